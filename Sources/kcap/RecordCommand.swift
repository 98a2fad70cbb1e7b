// `kcap record`: parses the options, then hands over to Recorder.Recording, which reads top to bottom like
// libbpf-bootstrap's main (check, start the command, open and load, attach, start the threads, wait for the
// stop, settle the command, shut down). Without -w the records go to a LiveRecordSink (the analyzer's engine,
// filter and printers) instead of a file.
import Analyzer
import EventSchema
import ArgumentParser
import CaptureFormat
import Glibc
import Recorder

struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record system calls and process events into a capture file, or print them live.",
        discussion: """
        With -w, records every syscall (arguments, result, latency, paths, socket addresses, the first --snaplen bytes of I/O) and every fork, exec and exit, losslessly, into a compressed capture that `kcap read`, `kcap stats` and `kcap info` replay anywhere without root. Needs root (or CAP_BPF+CAP_PERFMON) and a kernel with BTF: `kcap doctor` checks both. Ctrl-C stops and finishes the file; a killed recorder leaves a file readable up to its last second.

        Without -w, prints the events live as they happen, like sysdig or strace: the same enrichment, filter and output as `kcap read` (default line, -j JSON lines, -p format), with an optional filter in sysdig syntax as argument; -n then counts the events printed. Nothing is written to disk; drops are reported in one line on stderr at the end. A filter, -j and -p apply to live output only: with -w every record is kept, losslessly (narrow a recording with --events, --pid, --comm or -- COMMAND, and filter when reading it: kcap read FILE 'FILTER').

        The capture file is created with mode 0600 and locked while it is written: a second recorder on the same file fails at once, naming the pid that holds it. A symbolic link at the -w path is refused unless --follow-symlinks; so is a file that is not regular, belongs to another user or has other hard links.

        Flight recorder: with --flight TIME, -w names a directory. The newest TIME of the recording (bounded also by --flight-size, default 256M of compressed memory) is kept in memory and nothing is written until a trigger: SIGUSR1 to kcap, an event matching --trigger FILTER (the same filter language and engine as live output; --after TIME keeps recording that long past it), or, with -- COMMAND, the command's exit (with --keep-on-failure, only a non-zero exit). Each trigger writes one capture of the window into the directory (flight-TIME-KIND-N.kcap: a snapshot at its start, every event since, a snapshot at its end) that reads on its own; recording goes on after it.

        Rotation: with -C or -G the files are numbered before the extension (trace.kcap becomes trace-000.kcap, trace-001.kcap, ...); with -W N only the newest N are kept. Each file stands alone: header, start snapshot, events, counters.

        Examples:
          kcap record 'proc.name=cat'
              print what every cat does, live, until Ctrl-C
          kcap record 'evt.type=openat' -- ls /
              the files ls opens (its process tree only); exits with its status
          kcap record -j --duration 5s 'fd.type=ipv4' | jq .
          kcap record -p '%proc.name %evt.type %fd.name' -n 20 'evt.type=connect'
          kcap record -w trace.kcap --duration 10s
              the whole machine for 10 seconds
          kcap record -w build.kcap -- make -j2
              one command and its children; exits with the command's status
          kcap record -w net.kcap --events net --pid 1234
              network syscalls of one process tree
          kcap record -w io.kcap --events openat,read,write --comm nginx --snaplen 256
          kcap record -w ring.kcap -C 100 -W 5
              a ring of files on disk: the newest 5 of 100 MB each
          kcap record -w hourly.kcap -G 3600
              a new file every hour
          kcap record --flight 60s -w /var/tmp/flight
              keep the last minute in memory; kill -USR1 $(pidof kcap) writes it
          kcap record --flight 30s --after 5s -w flight --trigger 'evt.type=kill'
              the 30 s before a process sends a signal, and the 5 s after
          kcap record --flight 2m --keep-on-failure -w ci-traces -- make test
              record a flaky test; keep the last two minutes only when it fails
        """
    )

    @Option(name: [.customShort("w"), .customLong("write")], help: ArgumentHelp("Capture file to write (without it, events are printed live).", valueName: "file"))
    var output: String?

    @Flag(help: "Let -w be a symbolic link and write to its target (refused by default: a link planted in a shared directory could aim a root recorder at any file).")
    var followSymlinks = false

    @Flag(name: [.customShort("j"), .long], help: "Live output: print JSON lines with every field (not with -w).")
    var json = false

    @Option(name: [.customShort("p"), .long], help: "Live output: print with a format of %field placeholders, as kcap read -p (not with -w).")
    var format: String?

    @Option(help: ArgumentHelp("Stop after this long: 10 or 10s, 500ms, 2m, 1h.", valueName: "time"))
    var duration: String?

    @Option(name: [.customShort("n"), .long], help: "Stop after this many events (live: events printed, after the filter).")
    var maxEvents: UInt64?

    @Option(help: ArgumentHelp("What to record: classes file, net, process, all, and/or syscall names, comma-separated.",
                               valueName: "list"))
    var events: String = "all"

    @Option(name: .customLong("pid"), parsing: .singleValue,
            help: ArgumentHelp("Record only this process and its descendants (repeat or comma-separate).", valueName: "pid"))
    var pids: [String] = []

    @Option(help: ArgumentHelp("Record only threads with this command name (at most 15 characters).", valueName: "name"))
    var comm: String?

    @Option(help: "Bytes of I/O buffers to keep per event (0 keeps none).")
    var snaplen: Int = 80

    @Flag(name: [.customShort("A"), .customLong("print-ascii")], help: "Live output: print data buffers as text, as kcap read -A does (not with -w).")
    var printASCII = false

    @Flag(name: [.customShort("X"), .customLong("print-hex-ascii")], help: "Live output: print data buffers in hex and ASCII, as kcap read -X does (not with -w).")
    var printHexASCII = false

    @Flag(help: "Also record the environment execve and execveat pass (off by default: environments hold tokens and passwords; anyone who reads the capture sees them).")
    var env = false

    @Option(help: ArgumentHelp("Kernel record buffers, shared out over the CPUs: bytes or with K/M/G (each CPU's share is a power of two, at least 64K).", valueName: "size"))
    var bufferSize: String = "64M"

    @Option(help: ArgumentHelp("Write a thread/fd snapshot this often (0: only at the start of each file).", valueName: "time"))
    var snapshotInterval: String = "10s"

    @Option(name: [.customShort("C"), .customLong("rotate-size")], help: ArgumentHelp("Start a new file every this many MB.", valueName: "MB"))
    var rotateSize: UInt64?

    @Option(name: [.customShort("G"), .customLong("rotate-time")], help: ArgumentHelp("Start a new file every this many seconds.", valueName: "seconds"))
    var rotateTime: UInt64?

    @Option(name: [.customShort("W"), .customLong("rotate-count")], help: ArgumentHelp("Keep only the newest N files (with -C or -G).", valueName: "N"))
    var rotateCount: Int?

    @Option(help: ArgumentHelp("Flight recorder: keep this much of the recent past in memory and write it into the -w directory when triggered (SIGUSR1, --trigger, the command's exit).", valueName: "time"))
    var flight: String?

    @Option(help: ArgumentHelp("Flight recorder: memory for the window, compressed (at least 8M); the oldest data goes first when it is full.", valueName: "size"))
    var flightSize: String = "256M"

    @Option(help: ArgumentHelp("Flight recorder: write the window when an event matches this filter (sysdig syntax, as live output).", valueName: "filter"))
    var trigger: String?

    @Option(help: ArgumentHelp("Flight recorder: keep recording this long after a trigger before the window is written.", valueName: "time"))
    var after: String?

    @Flag(help: "Flight recorder with -- COMMAND: write the window only when the command exits non-zero (by default, whenever it exits).")
    var keepOnFailure = false

    // tools/bench/record.sh: run this syscall-loop binary under no programs, the empty ones and the recorder's,
    // in turn, ROUNDS times (RecordBench, driven by Recording.runBenchmark).
    @Option(help: .hidden)
    var benchLoop: String?
    @Option(help: .hidden)
    var benchRounds: Int = 10
    @Option(help: .hidden)
    var benchSeconds: Double = 1
    @Flag(help: .hidden)
    var benchPerf = false

    @Argument(help: ArgumentHelp("Live output: print only events that match this filter, in sysdig syntax (not with -w). After --: a command to run and record.",
                                 valueName: "filter"))
    var words: [String] = []

    // ArgumentParser refuses a positional array (the filter words) before a `.postTerminator` one (the
    // command), and puts everything after `--` into `words` too: the words after the first `--` of the
    // command line are the command. (`--` cannot be an option's value: the parser always takes it as the
    // terminator.)
    /// `-- COMMAND ARGS...`: the trailing words that came after `--`.
    var command: [String] {
        guard let i = CommandLine.arguments.firstIndex(of: "--") else { return [] }
        let n = min(CommandLine.arguments.count - i - 1, words.count)
        return Array(words.suffix(n))
    }

    /// The filter: the words before `--`, joined like `kcap read` joins them.
    var filterWords: [String] { Array(words.dropLast(command.count)) }

    func validate() throws {
        if let d = duration {
            // A negative time fails to parse; say what is wrong with it rather than that it is not a time.
            if d.drop(while: { $0 == " " }).hasPrefix("-") || (try? DurationParser.nanoseconds(d)) == 0 {
                throw ValidationError("--duration '\(d)' must be more than 0: a recording of no time records nothing")
            }
            if (try? DurationParser.nanoseconds(d)) == nil {
                throw ValidationError("--duration '\(d)' is not a time: use 10, 10s, 500ms, 2m or 1h (at most \(DurationText.maxText))")
            }
        }
        if (try? DurationParser.nanoseconds(snapshotInterval)) == nil {
            throw ValidationError("--snapshot-interval '\(snapshotInterval)' is not a time: use 10s, 500ms, 2m (at most \(DurationText.maxText))")
        }
        if (try? SizeParser.bytes(bufferSize)) == nil {
            throw ValidationError("--buffer-size '\(bufferSize)' is not a size: use 64M, 1G or a byte count")
        }
        if snaplen < 0 || snaplen > 4096 { throw ValidationError("--snaplen must be between 0 and 4096") }
        if rotateCount != nil && rotateSize == nil && rotateTime == nil {
            throw ValidationError("-W/--rotate-count needs -C/--rotate-size or -G/--rotate-time")
        }
        if let w = rotateCount, w < 1 { throw ValidationError("-W/--rotate-count must be at least 1") }
        if rotateSize == 0 || rotateTime == 0 { throw ValidationError("-C and -G must be at least 1") }
        // The policy counts bytes and ns in 64 bits: larger values would overflow there.
        if let c = rotateSize, c > Self.maxRotateSizeMB {
            throw ValidationError("-C/--rotate-size \(c) is too large: at most \(Self.maxRotateSizeMB) MB")
        }
        if let g = rotateTime, g > Self.maxRotateTimeSeconds {
            throw ValidationError("-G/--rotate-time \(g) is too large: at most \(Self.maxRotateTimeSeconds) seconds")
        }
        if let c = comm, c.utf8.count > Self.maxCommBytes {
            throw ValidationError("--comm is at most \(Self.maxCommBytes) bytes (the kernel's comm length)")
        }
        if !command.isEmpty && !pids.isEmpty { throw ValidationError("give either --pid or -- COMMAND, not both") }
        if json && format != nil { throw ValidationError("-j/--json and -p/--format exclude each other") }
        if printASCII && printHexASCII { throw ValidationError("-A/--print-ascii and -X/--print-hex-ascii exclude each other") }
        if output != nil && (!filterWords.isEmpty || json || format != nil || printASCII || printHexASCII) {
            // sysdig -w with a filter writes only the matching events; kcap keeps every record of a capture
            // (state must follow the whole stream), so rather than ignore the filter, say where it goes.
            throw ValidationError("a filter, -j, -p, -A and -X apply to live output only (without -w); a capture keeps every record: narrow it with --events, --pid, --comm or -- COMMAND and filter when reading: kcap read FILE 'FILTER'")
        }
        try validateFlight()
        if followSymlinks && output == nil { throw ValidationError("--follow-symlinks applies to -w FILE") }
        if benchLoop != nil && output == nil { throw ValidationError("--bench-loop needs -w FILE") }
        if output == nil && (rotateSize != nil || rotateTime != nil) {
            throw ValidationError("-C and -G rotate capture files: give -w FILE")
        }
        _ = try parsedPids()
    }

    /// The flight recorder's options make sense together, and only with --flight.
    func validateFlight() throws {
        guard let flight else {
            if trigger != nil || after != nil || keepOnFailure {
                throw ValidationError("--trigger, --after and --keep-on-failure belong to the flight recorder: add --flight TIME -w DIR")
            }
            return
        }
        guard let ns = try? DurationParser.nanoseconds(flight), ns > 0 else {
            throw ValidationError("--flight '\(flight)' is not a time: use 60s, 5m or 1h (at most \(DurationText.maxText))")
        }
        guard let size = try? SizeParser.bytes(flightSize) else {
            throw ValidationError("--flight-size '\(flightSize)' is not a size: use 256M, 1G or a byte count")
        }
        if size < FlightOptions.minSizeBytes { throw ValidationError("--flight-size must be at least 8M") }
        if output == nil { throw ValidationError("--flight needs -w DIR: the directory the windows are written into") }
        if rotateSize != nil || rotateTime != nil || rotateCount != nil {
            throw ValidationError("--flight keeps its window in memory: -C, -G and -W do not apply")
        }
        if followSymlinks { throw ValidationError("--follow-symlinks applies to -w FILE, not to a flight directory") }
        if let after, (try? DurationParser.nanoseconds(after)) == nil {
            throw ValidationError("--after '\(after)' is not a time: use 5s, 500ms or 1m")
        }
        if keepOnFailure && command.isEmpty { throw ValidationError("--keep-on-failure needs -- COMMAND") }
        if benchLoop != nil { throw ValidationError("--bench-loop does not run in flight mode") }
        if maxEvents != nil { throw ValidationError("-n does not apply to --flight (stop with --duration, Ctrl-C or the command's exit)") }
    }

    /// A thread's comm holds at most this many bytes (the kernel's TASK_COMM_LEN, 16, with its NUL).
    static let maxCommBytes = 15
    /// The largest -C (MB of 10^6 bytes) whose byte count fits a UInt64.
    static let maxRotateSizeMB = UInt64.max / 1_000_000
    /// The largest -G (seconds) whose nanoseconds fit the Int64 time arithmetic.
    static let maxRotateTimeSeconds = UInt64(Int64.max) / 1_000_000_000

    func parsedPids() throws -> [Int32] {
        let items: [Substring] = pids.reduce(into: []) { $0 += $1.split(separator: ",") }
        return try items.map {
            guard let p = Int32(String($0.filter { $0 != " " })), p > 0 else { throw ValidationError("--pid '\($0)' is not a process id") }
            return p
        }
    }

    /// `kcap record`, top to bottom: the options, the checks, the sink, the recording (or the benchmark), the
    /// report.
    func run() throws {
        // Live output: a bad filter or format is the only line, before anything is loaded (as in kcap read).
        let live = output == nil ? makeLiveSink() : nil
        let watch = makeTriggerWatch()
        do {
            let options = try recordingOptions(live: live)
            // Privileges and BTF first: without them nothing else is worth checking.
            try Recording.preflight()
            let flightSink = try flight == nil ? nil : makeFlightSink(options: options, watch: watch)
            let fileSink = try flight != nil ? nil : output.map { try makeFileSink(path: $0, options: options) }
            let sink: RecordSink
            if let flightSink { sink = flightSink } else if let fileSink { sink = fileSink } else { sink = live! }
            let recording = Recording(options: options, sink: sink)
            if command.isEmpty && live == nil { recording.started = { fputs(startedLine(options), stderr) } }
            if let flightSink { wire(flightSink, into: recording) }
            let result: RecordingResult
            if let benchLoop {
                let bench = RecordBench(loop: benchLoop, rounds: benchRounds, seconds: benchSeconds, withPerf: benchPerf)
                result = try recording.runBenchmark(bench.run)
            } else {
                result = try recording.run()
            }
            let status = report(result, live: live, fileSink: fileSink, flightSink: flightSink)
            if let status, status != 0 { throw ExitCode(status) }
        } catch let e as RecorderError {
            fputs("kcap record: \(e)\n", stderr)
            throw ExitCode(1)
        }
    }

    /// The machine's architecture (uname -m), which selects the syscall table.
    static func machine() -> String {
        var u = utsname()
        uname(&u)
        let capacity = MemoryLayout.size(ofValue: u.machine)
        return withUnsafePointer(to: &u.machine) { $0.withMemoryRebound(to: CChar.self, capacity: capacity) { String(cString: $0) } }
    }

    /// The live printer: compiles the filter and the format first, exiting 1 with `kcap read`'s one line when
    /// either is bad.
    func makeLiveSink() -> LiveRecordSink {
        let machine = Self.machine()
        let filterText = filterWords.joined(separator: " ")
        var filter: EventFilter? = nil
        if !filterText.allSatisfy({ $0 == " " || $0 == "\t" }) {
            do {
                filter = try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: machine)).compile(filterText, for: Event.self)
            } catch {
                fail("\(error)", code: 1)
            }
        }
        // Source → engine → filter → sink: the live ring feeds an engine made for this machine and clock (the
        // offset a capture header would get: boot-time ns + offset = wall-clock ns); the sink renders with its
        // printer, made for that engine.
        let offset = Int64(bitPattern: BootClock.realtimeNs() &- BootClock.nowNs())
        let replay = Replay(source: LiveRingSource(machine: machine, realtimeOffsetNs: offset))
        let printer = EventPrinter(engine: replay.engine)
        printer.bufferFormat = printHexASCII ? .hexASCII : printASCII ? .ascii : .dots
        let live: LiveOutput
        do {
            let output: ReadPipeline.Output = json ? .json : format.map { .format($0) } ?? .text
            live = try LiveOutput(replay: replay, filter: filter, output: output, printer: printer,
                                  out: OutputBuffer(fd: STDOUT_FILENO, chunkSize: 1 << 14), maxEvents: maxEvents)
        } catch {
            fail("-p/--format: \(error)", code: 1)
        }
        return LiveRecordSink(live: live)
    }

    /// Prints `message` as one line on stderr and exits with `code`.
    func fail(_ message: String, code: Int32) -> Never {
        fputs("kcap record: \(message)\n", stderr)
        Glibc.exit(code)
    }

    /// The recording's options from the command line; live output also gets a drain thread that never waits
    /// on it and an ignored SIGPIPE.
    func recordingOptions(live: LiveRecordSink?) throws -> RecordingOptions {
        let machine = Self.machine()
        var probe = ProbeOptions(events: try EventSelection(events, machine: machine))
        probe.snaplen = snaplen
        probe.environment = env
        probe.bufferSize = SizeParser.powerOfTwo(try SizeParser.bytes(bufferSize))
        probe.pids = try parsedPids()
        probe.comm = comm
        var options = RecordingOptions(probe: probe)
        options.durationNs = try duration.map(DurationParser.nanoseconds)
        // Live, -n counts the events printed (after the filter), so the printer stops the recording.
        options.maxEvents = live == nil ? maxEvents ?? 0 : 0
        options.snapshotIntervalNs = try DurationParser.nanoseconds(snapshotInterval)
        if flight != nil {
            // Windows start at a snapshot: at least four per window, so one starts at most a quarter early.
            options.snapshotIntervalNs = try flightOptions().snapshotIntervalNs(requested: options.snapshotIntervalNs)
        }
        options.command = command
        if live != nil {
            // The drain thread never waits on a slow reader (a paused terminal): a full pipeline drops chunks,
            // counted and reported at the end. On a terminal, lines appear at least every 100 ms.
            options.pipelineMaxWaitNs = 0
            if isatty(STDOUT_FILENO) == 1 { options.flushIntervalNs = 100_000_000 }
            // Ignored, so a reader that goes away (`| head`) shows as EPIPE and the recording ends cleanly.
            signal(SIGPIPE, SIG_IGN)
        }
        return options
    }

    /// `--trigger FILTER` compiled, before anything else is checked or loaded (a bad one is one line and
    /// exit 1, as in live output).
    func makeTriggerWatch() -> FlightFilterWatch? {
        guard let text = trigger else { return nil }
        let machine = Self.machine()
        let compiled: EventFilter
        do {
            compiled = try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: machine)).compile(text, for: Event.self)
        } catch {
            fail("--trigger: \(error)", code: 1)
        }
        let offset = Int64(bitPattern: BootClock.realtimeNs() &- BootClock.nowNs())
        return FlightFilterWatch(text: text, filter: compiled, machine: machine, realtimeOffsetNs: offset)
    }

    /// The flight recorder: its directory checked (or created) and its memory mapped here.
    func makeFlightSink(options: RecordingOptions, watch: FlightFilterWatch?) throws -> FlightRecorderSink {
        let header = Recording.makeHeader(options: options, commandLine: CommandLine.arguments)
        let sink = try FlightRecorderSink(options: try flightOptions(), header: header, filter: watch)
        sink.onCapture = { c in fputs("kcap record: \(Self.captureLine(c, offsetNs: header.bootTimeRealtimeOffsetNs))\n", stderr) }
        return sink
    }

    /// --flight, --flight-size, --after, --keep-on-failure and -w DIR (validated already).
    func flightOptions() throws -> FlightOptions {
        FlightOptions(directory: output ?? ".", windowNs: try DurationParser.nanoseconds(flight ?? "60s"),
                      sizeBytes: try SizeParser.bytes(flightSize),
                      afterNs: try after.map(DurationParser.nanoseconds) ?? 0, keepOnFailure: keepOnFailure)
    }

    /// SIGUSR1 and the command's exit trigger the flight recorder.
    func wire(_ sink: FlightRecorderSink, into recording: Recording) {
        recording.triggerSignal = { sink.trigger(.signal, atNs: $0) }
        let keepOnFailure = self.keepOnFailure
        recording.commandExited = { status in
            if !keepOnFailure || status != 0 { sink.trigger(.commandExited(status), atNs: BootClock.nowNs()) }
        }
    }

    /// `flight: wrote DIR/flight-....kcap (SIGUSR1; 61.2 s from 12:00:01.5 UTC, 1234 events, 2.1 MB)`.
    static func captureLine(_ c: FlightCapture, offsetNs: Int64) -> String {
        let seconds = Double(c.endNs &- c.startNs) / 1e9
        let start = formatWallClock(ns: wallClock(bootNs: c.startNs, offsetNs: offsetNs))
        let mb = Double(c.bytes) / 1e6
        var line = "flight: wrote \(c.path) (\(c.trigger); \(oneDecimal(seconds)) s from \(start), \(c.records) events, \(oneDecimal(mb)) MB)"
        if !c.startsWithSnapshot { line += "; warning: no snapshot at its start (the window outgrew --flight-size)" }
        return line
    }

    /// `x` with one decimal.
    static func oneDecimal(_ x: Double) -> String {
        let tenths = Int((x * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }

    /// The -w sink: its first file is created, locked and given its header here, before anything is loaded.
    func makeFileSink(path: String, options: RecordingOptions) throws -> CaptureFileSink {
        let header = Recording.makeHeader(options: options, commandLine: CommandLine.arguments)
        let rotation = RotationPolicy(maxBytes: (rotateSize ?? 0) * 1_000_000, maxAgeNs: (rotateTime ?? 0) * 1_000_000_000,
                                      maxFiles: rotateCount ?? 0)
        return try CaptureFileSink(path: path, header: header, rotation: rotation, followSymlinks: followSymlinks)
    }

    /// Like tcpdump's "listening on": the user knows when events start to count (not with -- COMMAND, whose own
    /// output should stay uncluttered, nor live, where the events are the output).
    func startedLine(_ options: RecordingOptions) -> String {
        let pids = options.probe.pids
        let scope = pids.isEmpty ? "system-wide" : "pid " + pids.map(String.init).joined(separator: ",")
        let stop = options.durationNs == nil && options.maxEvents == 0 ? " (Ctrl-C to stop)" : ""
        if let flight {
            return "kcap record: flight recording \(scope), keeping the last \(flight) in memory; kill -USR1 \(getpid()) writes it into \(output ?? ".")\(stop)\n"
        }
        return "kcap record: recording \(scope) to \(output ?? "live output")\(stop)\n"
    }

    /// Says how it went on stderr; returns the command's exit status for `-- COMMAND`.
    func report(_ result: RecordingResult, live: LiveRecordSink?, fileSink: CaptureFileSink?,
                flightSink: FlightRecorderSink? = nil) -> Int32? {
        if let live {
            // Live output stays quiet on stderr (the events are the output) except for what went wrong.
            if let e = live.outputError { fail("\(e)", code: 1) }
            if result.dropped > 0 { fputs("kcap record: warning: \(Self.dropText(result.counters))\n", stderr) }
            return result.commandExitStatus
        }
        var where_ = ""
        if let f = fileSink {
            let kept = f.files.filter { access($0, F_OK) == 0 }
            where_ = kept.count == 1 ? " to \(kept[0])" : " to \(kept.count) files (\(kept.first ?? "")...\(kept.last ?? ""))"
        }
        if let f = flightSink {
            let n = f.captures.count
            where_ = n == 0 ? "; no trigger, nothing written" : "; \(n) flight capture\(n == 1 ? "" : "s") in \(output ?? ".")"
            let bound = Double((try? SizeParser.bytes(flightSize)) ?? 0) / 1_048_576
            where_ += " (window memory peak \(Self.oneDecimal(Double(f.peakBytes) / 1_048_576)) MiB of \(Self.oneDecimal(bound)) MiB"
            where_ += f.recordsEvictedForSpace > 0 ? "; \(f.recordsEvictedForSpace) events left the window early for lack of memory)" : ")"
        }
        fputs("kcap record: \(result.summary)\(where_)\n", stderr)
        return result.commandExitStatus
    }

    /// The live drop warning: how many of how many events, and why.
    static func dropText(_ c: CaptureCounters) -> String {
        let dropped = c.dropRingFull + c.dropTooLarge + c.dropUserQueue
        var why: [String] = []
        if c.dropRingFull > 0 { why.append("\(c.dropRingFull) kernel buffer full (try a larger --buffer-size or a narrower --events/--pid/--comm)") }
        if c.dropTooLarge > 0 { why.append("\(c.dropTooLarge) too large") }
        if c.dropUserQueue > 0 { why.append("\(c.dropUserQueue) output too slow (try a filter, or -w FILE and kcap read)") }
        return "dropped \(dropped) of \(c.eventsSeen) events (\(why.joined(separator: ", "))); thread and fd state may be incomplete until the next snapshot"
    }
}
