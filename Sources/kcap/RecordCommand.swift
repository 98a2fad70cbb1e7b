// `kcap record`: parses the options, then hands over to Recorder.Recording, which reads top to bottom like
// libbpf-bootstrap's main (check, open, configure, load, attach, drain, clean up).
import ArgumentParser
import CaptureFormat
import Glibc
import Recorder

struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record system calls and process events into a capture file.",
        discussion: """
        Records every syscall (arguments, result, latency, paths, socket addresses, the first --snaplen bytes of I/O) and every fork, exec and exit, losslessly, into a compressed capture that `kcap read`, `kcap stats` and `kcap info` replay anywhere without root. Needs root (or CAP_BPF+CAP_PERFMON) and a kernel with BTF: `kcap doctor` checks both. Ctrl-C stops and finishes the file; a killed recorder leaves a file readable up to its last second.

        Rotation: with -C or -G the files are numbered before the extension (trace.kcap becomes trace-000.kcap, trace-001.kcap, ...); with -W N only the newest N are kept. Each file stands alone: header, start snapshot, events, counters.

        Examples:
          kcap record -w trace.kcap --duration 10s
              the whole machine for 10 seconds
          kcap record -w build.kcap -- make -j2
              one command and its children; exits with the command's status
          kcap record -w net.kcap --events net --pid 1234
              network syscalls of one process tree
          kcap record -w io.kcap --events openat,read,write --comm nginx --snaplen 256
          kcap record -w ring.kcap -C 100 -W 5
              flight recorder: the newest 5 files of 100 MB each
          kcap record -w hourly.kcap -G 3600
              a new file every hour
        """
    )

    @Option(name: [.customShort("w"), .customLong("write")], help: ArgumentHelp("Capture file to write.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Stop after this long: 10 or 10s, 500ms, 2m, 1h.", valueName: "time"))
    var duration: String?

    @Option(name: [.customShort("n"), .long], help: "Stop after this many events.")
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

    @Option(help: ArgumentHelp("Kernel ring buffer size: bytes or with K/M/G (rounded up to a power of two).", valueName: "size"))
    var bufferSize: String = "64M"

    @Option(help: ArgumentHelp("Write a thread/fd snapshot this often (0: only at the start of each file).", valueName: "time"))
    var snapshotInterval: String = "10s"

    @Option(name: [.customShort("C"), .customLong("rotate-size")], help: ArgumentHelp("Start a new file every this many MB.", valueName: "MB"))
    var rotateSize: UInt64?

    @Option(name: [.customShort("G"), .customLong("rotate-time")], help: ArgumentHelp("Start a new file every this many seconds.", valueName: "seconds"))
    var rotateTime: UInt64?

    @Option(name: [.customShort("W"), .customLong("rotate-count")], help: ArgumentHelp("Keep only the newest N files (with -C or -G).", valueName: "N"))
    var rotateCount: Int?

    @Flag(help: .hidden)
    var benchFloor = false

    @Argument(parsing: .postTerminator, help: ArgumentHelp("A command to run and record (after --).", valueName: "command"))
    var command: [String] = []

    /// Set by the CLI wiring to print events live when no -w is given (the analyzer engine's sink). It gets
    /// the header a file would have had (machine, boot-time offset, configuration) to decode the records.
    nonisolated(unsafe) static var liveSinkFactory: ((CaptureHeader) throws -> RecordSink)?

    func validate() throws {
        if let d = duration, (try? DurationParser.nanoseconds(d)) == nil {
            throw ValidationError("--duration '\(d)' is not a time: use 10, 10s, 500ms, 2m or 1h")
        }
        if (try? DurationParser.nanoseconds(snapshotInterval)) == nil {
            throw ValidationError("--snapshot-interval '\(snapshotInterval)' is not a time: use 10s, 500ms, 2m")
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
        if let c = comm, c.utf8.count > 15 { throw ValidationError("--comm is at most 15 bytes (the kernel's comm length)") }
        if !command.isEmpty && !pids.isEmpty { throw ValidationError("give either --pid or -- COMMAND, not both") }
        if output == nil && RecordCommand.liveSinkFactory == nil && !benchFloor {
            throw ValidationError("give -w FILE (live printing without -w is not available in this build)")
        }
        _ = try parsedPids()
    }

    func parsedPids() throws -> [Int32] {
        let items: [Substring] = pids.reduce(into: []) { $0 += $1.split(separator: ",") }
        return try items.map {
            guard let p = Int32(String($0.filter { $0 != " " })), p > 0 else { throw ValidationError("--pid '\($0)' is not a process id") }
            return p
        }
    }

    func run() throws {
        do {
            if benchFloor {
                // tools/bench: the cost of empty programs on the syscall tracepoints, nothing recorded.
                try Recording.runBenchFloor(durationNs: try duration.map(DurationParser.nanoseconds))
                return
            }
            let status = try record()
            if let status, status != 0 { throw ExitCode(status) }
        } catch let e as RecorderError {
            fputs("kcap record: \(e)\n", stderr)
            throw ExitCode(1)
        }
    }

    /// Records; returns the command's exit status for `-- COMMAND`.
    func record() throws -> Int32? {
        var u = utsname()
        uname(&u)
        let machine = withUnsafePointer(to: &u.machine) { $0.withMemoryRebound(to: CChar.self, capacity: 65) { String(cString: $0) } }
        var probe = ProbeOptions(events: try EventSelection(events, machine: machine))
        probe.snaplen = snaplen
        probe.bufferSize = SizeParser.powerOfTwo(try SizeParser.bytes(bufferSize))
        probe.pids = try parsedPids()
        probe.comm = comm
        var options = RecordingOptions(probe: probe)
        options.durationNs = try duration.map(DurationParser.nanoseconds)
        options.maxEvents = maxEvents ?? 0
        options.snapshotIntervalNs = try DurationParser.nanoseconds(snapshotInterval)
        options.command = command

        // Privileges and BTF first: without them nothing else is worth checking.
        try Recording.preflight()
        let sink: RecordSink
        var fileSink: CaptureFileSink? = nil
        let header = Recording.makeHeader(options: options, commandLine: CommandLine.arguments)
        if let output {
            let rotation = RotationPolicy(maxBytes: (rotateSize ?? 0) * 1_000_000, maxAgeNs: (rotateTime ?? 0) * 1_000_000_000,
                                          maxFiles: rotateCount ?? 0)
            fileSink = try CaptureFileSink(path: output, header: header, rotation: rotation)
            sink = fileSink!
        } else {
            sink = try RecordCommand.liveSinkFactory!(header)
        }
        let recording = Recording(options: options, sink: sink)
        if command.isEmpty {
            // Like tcpdump's "listening on": the user knows when events start to count (not with -- COMMAND,
            // whose own output should stay uncluttered).
            let scope = probe.pids.isEmpty ? "system-wide" : "pid " + probe.pids.map(String.init).joined(separator: ",")
            let stop = options.durationNs == nil && options.maxEvents == 0 ? " (Ctrl-C to stop)" : ""
            recording.started = { fputs("kcap record: recording \(scope) to \(output ?? "live output")\(stop)\n", stderr) }
        }
        let result = try recording.run()
        var where_ = ""
        if let f = fileSink {
            let kept = f.files.filter { access($0, F_OK) == 0 }
            where_ = kept.count == 1 ? " to \(kept[0])" : " to \(kept.count) files (\(kept.first ?? "")...\(kept.last ?? ""))"
        }
        fputs("kcap record: \(result.summary)\(where_)\n", stderr)
        return result.commandExitStatus
    }
}

