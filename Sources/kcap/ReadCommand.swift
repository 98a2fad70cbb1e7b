import Analyzer
import ArgumentParser
import CaptureFormat
#if canImport(Glibc)
import Glibc
#endif

/// `kcap read`: replays a capture through the enrichment engine, filtered and formatted.
struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Replay a capture through the enrichment engine, filtered and formatted.",
        discussion: """
        The default line follows `sysdig -r`: number, time, cpu, process (tid), direction, type, arguments. \
        kcap records each syscall once, at its exit, so every line shows the exit direction `<` with the \
        entry's arguments merged in (sysdig prints a `>` line and a `<` line). A sysdig/falco capture (.scap, \
        gzip'd or not, told by its first bytes) has both, and kcap prints and filters both (`evt.dir`), hiding \
        the events `sysdig -r` hides (docs/scap.md).

        Time is the wall-clock time of day in UTC, from the capture's own clock offset, so the output is the \
        same on every machine; --relative-time prints seconds since the first event printed instead. \
        Unknown processes and fds print as <NA>. A capture with drops gets one warning line on stderr first.

        \(ExitStatus.helpText)

        Examples:
          kcap read trace.kcap
          kcap read -r trace.kcap 'evt.type=openat and fd.name contains hostname'
          kcap read trace.kcap 'proc.name=curl and evt.failed=true' -n 20
          kcap read trace.kcap -p '%evt.num %proc.name %fd.name' 'evt.type=openat'
          kcap read trace.kcap --json --since +2s --until +3s
          kcap read trace.kcap -j --json-fields all 'evt.type=openat'
          kcap read trace.kcap -j --json-fields evt.num,proc.name,fd.name,evt.args
          kcap read trace.kcap -j -p '%evt.num %proc.name %fd.name'
          kcap read trace.kcap --since 2026-11-22T10:00:00Z --until -5s
          # a rotation ring (any order) or several captures, merged by time
          kcap read trace.kcap.2 trace.kcap.0 trace.kcap.1 'proc.name=nginx'
          # follow a capture while kcap record -w writes it
          kcap read -f trace.kcap 'evt.failed=true'
          # a sysdig/falco capture (gzip'd or not)
          kcap read capture.scap 'evt.type=open and evt.dir=<'
        """
    )

    @Option(name: .customShort("r"), help: ArgumentHelp("The capture to read (may also be given as the first argument).", valueName: "file"))
    var readFile: String?

    @Argument(help: "[FILE...] [FILTER...]: the captures (unless -r is given; several are merged by time), then a filter in sysdig syntax.")
    var words: [String] = []

    @Flag(name: [.customShort("j"), .long], help: "Print JSON lines: lean by default (docs/json.md); --json-fields or -p choose the fields.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("With -j: lean (the common fields, nothing null, typed evt.args), all (every field, null when unknown), or a comma-separated list of fields (evt.num,proc.name,evt.args), each left out when an event lacks it.", valueName: "fields"))
    var jsonFields = "lean"

    @Option(name: [.customShort("p"), .long], help: "Print with a format of %field placeholders: '%evt.num %proc.name %fd.name'. Start it with * to print events that lack a field.")
    var format: String?

    @Option(name: .long, help: "Start at this time: +2s from the start, -5s from the end, 2026-11-22T10:00:00Z, or 10:00:00 (UTC).")
    var since: String?

    @Option(name: .long, help: "Stop after this time (same forms as --since).")
    var until: String?

    @Option(name: [.customShort("n"), .long], help: "Stop after this many events are printed.")
    var maxEvents: UInt64?

    @Flag(name: .long, help: "Print time as seconds since the first event printed.")
    var relativeTime = false

    @Flag(name: [.customShort("A"), .customLong("print-ascii")], help: "Print data buffers as text, as sysdig -A does: on a line of their own, printable characters and line ends only.")
    var printASCII = false

    @Flag(name: [.customShort("X"), .customLong("print-hex-ascii")], help: "Print data buffers in hex and ASCII, as sysdig -X does: rows of 16 bytes with their offset.")
    var printHexASCII = false

    @Flag(name: [.customShort("f"), .long], help: "Follow a capture being recorded, as tail -f does: print its events, then those that land, until the recording stops (or Ctrl-C).")
    var follow = false

    @Flag(name: .long, help: "Also print the events a slice kept only for their state changes (kcap slice marks them; hidden by default).")
    var showContext = false

    @Flag(name: [.customShort("D"), .customLong("show-internal")], help: "Sysdig captures: also print the events sysdig hides (procinfo, the libraries' own events, user and group metadata), as sysdig -D does.")
    var showInternal = false

    @Flag(name: [.customShort("l"), .long], help: "List every filter and output field, then exit.")
    var listFields = false

    /// -A, -X or the default line's dots.
    var bufferFormat: EventPrinter.BufferFormat { printHexASCII ? .hexASCII : printASCII ? .ascii : .dots }

    func validate() throws {
        if json && format != nil && jsonFields != "lean" {
            throw ValidationError("give -j's fields either with -p or with --json-fields, not both")
        }
        if !json && jsonFields != "lean" { throw ValidationError("--json-fields applies to -j output: add -j") }
        if printASCII && printHexASCII { throw ValidationError("-A/--print-ascii and -X/--print-hex-ascii exclude each other") }
        if !listFields && readFile == nil && words.isEmpty { throw ValidationError("give a capture: kcap read FILE ['FILTER']") }
    }

    func run() throws {
        if listFields {
            print(FieldRegistry.textListing(), terminator: "")
            return
        }
        signal(SIGPIPE, SIG_IGN)
        let operands = CaptureOperands(words: words, readFile: readFile)
        let filterText = operands.filter
        let mode: EventPrinter.TimeMode = relativeTime ? .relative : .absolute
        let output: ReadPipeline.Output
        switch (json, jsonFields, format) {
        case (true, _, let f?): output = .fieldsJSON(f)
        case (true, "lean", nil): output = .leanJSON
        case (true, "all", nil): output = .json
        case (true, let list, nil): output = .fieldListJSON(list)
        case (false, _, let f?): output = .format(f)
        case (false, _, nil): output = .text
        }
        if let path = operands.paths.first, ScapCommands.isScap(path) {  // a sysdig/falco capture, by its magic
            guard operands.paths.count == 1, !follow else {
                fail("\(path) is a sysdig capture: it reads on its own (no -f, no other captures with it)", code: 1)
            }
            return try ScapCommands.read(path: path, filter: filterText, output: output,
                                         maxEvents: maxEvents, timeMode: mode, since: since, until: until,
                                         bufferFormat: bufferFormat, showInternal: showInternal)
        }
        // Source → engine → filter → sink: the files (one, or several merged by time) feed an engine made for
        // their machine and clock; the filter and the sink (with its printer) take the engine's events
        // (ReadPipeline runs the specialised loop).
        let replay = operands.replay { fail($0, code: 1) }
        replay.source.progress = ProgressMeter.terminal(range: replay.timeRange, printsAsItGoes: true)
        let readers = replay.readers
        let engine = replay.engine
        let out = OutputBuffer(fd: 1)

        var filter: EventFilter? = nil
        if !filterText.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                filter = try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: engine.machine))
                    .compile(filterText, for: Event.self)
            } catch {
                fail("\(error)", code: 1)
            }
        }
        for warning in EventTypeCheck.warnings(filter: filterText, machine: engine.machine) { fputs("warning: \(warning)\n", stderr) }
        // A capture converted from a sysdig capture keeps the events sysdig has in one direction only (switch,
        // procexit...): its `>` events exist.
        if !readers.contains(where: { $0.header.recorder["convertedFrom"] != nil }), let warning = DirectionCheck.warning(filter: filterText) {
            fputs("warning: \(warning)\n", stderr)
        }

        if case .format(let f) = output {
            // Checked before anything is printed, so a bad format is the only line.
            do { _ = try FormatSink(format: f, out: OutputBuffer(), printer: EventPrinter(engine: engine)) } catch {
                fail("-p/--format: \(error)", code: 1)
            }
        }
        do {
            if case .fieldsJSON(let f) = output { _ = try FieldsJSONSink(format: f, out: OutputBuffer(), printer: EventPrinter(engine: engine)) }
            if case .fieldListJSON(let l) = output { _ = try FieldsJSONSink(fieldList: l, out: OutputBuffer(), printer: EventPrinter(engine: engine)) }
        } catch {
            fail("\(format == nil ? "--json-fields" : "-p/--format"): \(error)", code: 1)
        }

        var startNs: UInt64? = nil
        var endNs: UInt64 = .max
        do {
            (startNs, endNs) = try replay.window(since: since, until: until)
        } catch {
            fail("\(error)", code: 1)
        }

        // Damage found when the file was opened is reported before the events; damage found while reading, after.
        let problemsBefore = readers.map(\.problems.count)
        for reader in readers {
            for problem in reader.problems { fputs("warning: \(reader.path): \(problem)\n", stderr) }
        }
        let offset = replay.source.realtimeOffsetNs
        for warning in replay.dropWarnings(timeText: { Self.clock(wallClock(bootNs: $0, offsetNs: offset)) }) {
            fputs(warning + "\n", stderr)
        }

        var options = ReadPipeline.Options()
        options.filter = filter
        options.maxEvents = maxEvents
        options.startNs = startNs
        options.endNs = endNs
        options.timeMode = mode
        options.showContext = showContext
        options.bufferFormat = bufferFormat
        do {
            if follow {
                _ = try ReadPipeline.follow(try Self.followed(readers), output: output, to: out, options: options) {
                    usleep(250_000)  // a look four times a second: the recorder writes a chunk every few ms to seconds
                    return true
                }
            } else {
                _ = try ReadPipeline.run(replay, output: output, to: out, options: options)
            }
        } catch OutputError.closed {
            throw ExitCode.success
        } catch let e as OutputError {
            fail("\(e)", code: 1)
        } catch {
            fail("\(error)", code: 1)
        }
        for (reader, before) in zip(readers, problemsBefore) {
            for problem in reader.problems.dropFirst(before) { fputs("warning: \(reader.path): \(problem)\n", stderr) }
        }
        // Problems past the listed ones, and state bounds reached: one line each, however many events hit them.
        for reader in readers {
            for line in reader.omittedProblemLines { fputs("warning: \(reader.path): \(line)\n", stderr) }
        }
        for line in engine.limitWarnings { fputs("warning: \(operands.paths.joined(separator: ", ")): \(line)\n", stderr) }
        // Every intact chunk was printed; the status still says the file is damaged, as `kcap info` does.
        if readers.contains(where: { !$0.problems.isEmpty }) { throw ExitCode(ExitStatus.problems) }
    }

    /// hh:mm:ss.nnnnnnnnn UTC of wall-clock ns.
    static func clock(_ wall: Int64) -> String {
        let secs = wall / 1_000_000_000
        let sod = ((secs % 86_400) + 86_400) % 86_400
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var frac = String(wall % 1_000_000_000 < 0 ? 0 : wall % 1_000_000_000)
        while frac.count < 9 { frac = "0" + frac }
        return "\(two(sod / 3600)):\(two(sod / 60 % 60)):\(two(sod % 60)).\(frac)"
    }

    /// Prints `message` as one line on stderr and exits with `code`.
    func fail(_ message: String, code: Int32) -> Never {
        fputs("kcap read: \(message)\n", stderr)
        Foundation.exit(code)
    }
}

import Foundation
