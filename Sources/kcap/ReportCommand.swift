import Analyzer
import ArgumentParser
import CaptureFormat
import Foundation
import Recorder

/// `kcap report`: one pass of the captures through the engine and the filter into a self-contained HTML page
/// (docs/report.md).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report of captures: timeline, latency heat map, process tree, top tables.",
        discussion: """
        One file that opens offline in any browser (no network: the style, script and data are inline, the \
        charts are SVG). It holds the capture's facts (hosts, kernel, duration, events, the recorder's drops by \
        reason and when they happened); the selected events per time bucket for the busiest processes, with \
        drops and snapshots marked; a latency heat map per syscall (time x log-scale latency); the process tree \
        with lifetimes on the same time axis (execs, exit statuses, what was still running and in which \
        syscall at the end); top syscalls, processes, files, connections and errors (by errno and by process), \
        each table sortable; and a few hundred representative events (the slowest calls of each syscall, the \
        first failures of each kind). Selecting a time range, a cell or a row shows the exact `kcap read` \
        command that lists those events.

        The figures are `kcap stats`' over the same selection (a filter, --since, --until); the process tree \
        follows every process of the window whatever the filter. The page's size is bounded (240 time buckets, \
        at most 400 processes drawn, 50 rows a table, 500 events), whatever the capture's size. The data is one \
        JSON document inside the page (<script id="kcap-data">), the same bytes for the same input.

        \(ExitStatus.helpText)

        Examples:
          kcap report trace.kcap -o report.html
          kcap report trace.kcap 'proc.name=nginx' -o nginx.html
          kcap report trace.kcap --since 10:04:00 --until 10:06:00 -o incident.html
          kcap report trace.kcap.2 trace.kcap.0 trace.kcap.1 -o ring.html     # a rotation ring, any order
          kcap report capture.scap -o scap.html                                # a sysdig/falco capture
          kcap report trace.kcap -o - | gzip > report.html.gz
        """
    )

    @Argument(help: "FILE... [FILTER...]: the captures (several are merged by time), then an optional filter.")
    var words: [String]

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("The HTML file to write (overwritten), - for standard output.", valueName: "file"))
    var output: String

    @Option(name: .long, help: "Start at this time: +2s from the start, -5s from the end, 2026-11-22T10:00:00Z, or 10:00:00 (UTC).")
    var since: String?

    @Option(name: .long, help: "Stop after this time (same forms as --since).")
    var until: String?

    func validate() throws {
        if words.isEmpty { throw ValidationError("give a capture: kcap report FILE... ['FILTER'] -o report.html") }
        if output.isEmpty { throw ValidationError("give the file to write: -o report.html") }
    }

    func run() throws {
        let operands = CaptureOperands(words: words)
        let filterText = operands.filter.trimmingCharacters(in: .whitespaces)
        if let path = operands.paths.first, ScapCommands.isScap(path) {  // a sysdig/falco capture, by its magic
            guard operands.paths.count == 1 else {
                fail("\(path) is a sysdig capture: kcap report reads it on its own")
            }
            return try scap(path, filterText: filterText)
        }
        let replay = operands.replay { fail($0) }
        if output != "-", let input = CaptureOperands.sameFile(output, replay.readers) {
            fail("-o \(output) is the input \(input): write the report to another file")
        }
        replay.source.progress = ProgressMeter.terminal(range: replay.timeRange, printsAsItGoes: false)
        let engine = replay.engine
        let filter = compile(filterText, engine: engine)
        var options = ReadPipeline.Options()
        do { (options.startNs, options.endNs) = try replay.window(since: since, until: until) } catch { fail("\(error)") }

        let facts = ReportCaptureFacts(readers: replay.readers)
        let report = accumulator(engine: engine, filter: filter, facts: facts, options: options)
        do { _ = try ReadPipeline.run(replay, report: report, options: options) } catch { fail("\(error)") }
        // The end state of the whole capture, as `kcap stats` shows it (not with a filter or --until).
        let inFlight = filter == nil && until == nil
            ? InFlightReport.rows(engine: engine, machine: engine.machine, limit: report.limits.tableRows) : nil
        // The page's `kcap read` commands name the files as given on the command line.
        let data = report.data(facts: facts, paths: operands.paths, filter: filterText, since: since, until: until,
                               windowStart: options.startNs, windowEnd: options.endNs, inFlight: inFlight)
        try write(data)
        try CaptureWarnings.report(replay.readers, engine)
    }

    /// A sysdig/falco capture: the same accumulator, with the facts the file has (no counters, no snapshots).
    func scap(_ path: String, filterText: String) throws {
        let source = ScapCommands.open(path, command: "report")
        source.scan()
        let replay = Replay(source: source)
        let engine = replay.engine
        let filter = compile(filterText, engine: engine)
        var options = ReadPipeline.Options()
        do {
            (options.startNs, options.endNs) = try TimeBound.window(since: since, until: until, range: source.timeRange,
                                                                   realtimeOffsetNs: 0)
        } catch { fail("\(error)") }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? UInt64) ?? 0
        let file = ReportData.File(path: path, format: "sysdig capture (scap)" + (source.compression.map { ", \($0)" } ?? ""),
                                   hostname: source.machineInfo?.hostname ?? "", kernel: "", machine: engine.machine,
                                   cpus: Int(source.machineInfo?.cpuCount ?? 0), bytes: size, recordedCommand: "",
                                   problems: [])
        var facts = ReportCaptureFacts(files: [file], counters: [], lastCounters: nil, snapshotsNs: [],
                                       timeRange: source.timeRange, realtimeOffsetNs: 0)
        let report = accumulator(engine: engine, filter: filter, facts: facts, options: options)
        do { _ = try ReadPipeline.run(replay, report: report, options: options) } catch { fail("\(error)") }
        facts.files[0].problems = source.problems
        let data = report.data(facts: facts, paths: [path], filter: filterText, since: since, until: until,
                               windowStart: options.startNs, windowEnd: options.endNs, inFlight: nil, entryEvents: true)
        try write(data)
        try ScapCommands.finish(source, path)
    }

    func accumulator(engine: Engine, filter: EventFilter?, facts: ReportCaptureFacts, options: ReadPipeline.Options) -> ReportAccumulator {
        let axis = ReportAccumulator.axis(facts: facts, windowStart: options.startNs, windowEnd: options.endNs)
        return ReportAccumulator(engine: engine, printer: EventPrinter(engine: engine), filter: filter,
                                 originNs: facts.timeRange?.first ?? axis.start, startNs: axis.start, endNs: axis.end)
    }

    func compile(_ text: String, engine: Engine) -> EventFilter? {
        guard !text.isEmpty else { return nil }
        let filter: EventFilter
        do {
            filter = try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: engine.machine)).compile(text, for: Event.self)
        } catch { fail("\(error)") }
        for warning in EventTypeCheck.warnings(filter: text, machine: engine.machine) { warn(warning) }
        return filter
    }

    /// Writes the page, then one line saying where it is and what it holds.
    func write(_ data: ReportData) throws {
        let html: String
        do { html = try ReportPage.html(data, generator: "kcap \(KcapVersion.string)") } catch { fail("\(error)") }
        let bytes = Data(html.utf8)
        if output == "-" {
            FileHandle.standardOutput.write(bytes)
        } else {
            do { try bytes.write(to: URL(fileURLWithPath: output)) } catch {
                fail("\(output): cannot write it (\(error.localizedDescription))")
            }
            let s = data.stats
            FileHandle.standardError.write(Data("kcap report: wrote \(output) (\(StatisticsRenderer.bytes(UInt64(bytes.count)))): \(s.events) events, \(s.processCount) processes, \(data.processes.rows.count) lifetimes drawn\n".utf8))
        }
    }

    func warn(_ line: String) {
        FileHandle.standardError.write(Data("warning: \(line)\n".utf8))
    }

    /// Prints `message` as one line on stderr and exits with status 1.
    func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("kcap report: \(message)\n".utf8))
        Foundation.exit(1)
    }
}
