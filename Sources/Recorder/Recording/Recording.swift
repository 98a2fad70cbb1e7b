import CLibBPF
import CaptureFormat
import Glibc

/// Everything `kcap record` was asked to do.
public struct RecordingOptions: Sendable {
    /// Kernel-side settings: buffer size, snaplen, events, filters.
    public var probe: ProbeOptions
    /// Stop after this many ns (nil: until a signal, the command's exit or the event limit).
    public var durationNs: UInt64? = nil
    /// Stop after this many records (0: no limit).
    public var maxEvents: UInt64 = 0
    /// Take a thread/fd snapshot this often (ns); 0 only at the start of each file.
    public var snapshotIntervalNs: UInt64 = 10_000_000_000
    /// Write cumulative counters this often (ns).
    public var countersIntervalNs: UInt64 = 1_000_000_000
    /// Seal a partial chunk, and flush the file, at least this often (ns). A record waits at most one
    /// interval to be sealed and one more to be flushed, so a SIGKILL loses at most the last second.
    public var flushIntervalNs: UInt64 = 500_000_000
    /// `-- COMMAND ARGS...`: run it, record only its process tree, stop when it exits.
    public var command: [String] = []
    /// Raw bytes per event chunk.
    public var chunkCapacity: Int = CaptureFileFormat.defaultChunkCapacity
    /// Chunks in the drain→writer pipeline (their memory is allocated up front).
    public var pipelineChunks: Int = 16
    /// How long the drain thread waits for a free chunk when the writer is behind before dropping one
    /// (counted as dropUserQueue). A file writer is worth waiting for (the kernel ring absorbs the pause);
    /// a live printer stuck on a paused terminal is not: 0 keeps the drain thread from ever waiting on output.
    public var pipelineMaxWaitNs: UInt64 = 2_000_000_000
    /// tools/bench: instead of waiting for a reason to stop, hand a switch of what is attached to this driver,
    /// which runs its workload under each setting in turn. One process and one recording serve every setting,
    /// so they can alternate every second, which a machine whose speed drifts needs for a fair comparison.
    /// Needs `probe.loadFloorPrograms`.
    public var benchDriver: (@Sendable (_ attach: (BenchAttachment) throws -> Void) throws -> Void)? = nil

    /// Options with `kcap record`'s defaults for `probe`.
    public init(probe: ProbeOptions) { self.probe = probe }
}

/// What a benchmark phase runs under.
public enum BenchAttachment: Sendable {
    /// No program attached.
    case nothing
    /// The empty programs on sys_enter and sys_exit.
    case floor
    /// The recorder's programs (the records go to the capture as usual).
    case recorder
}

/// What a finished recording did.
public struct RecordingResult: Sendable {
    /// Records written to the sink.
    public var eventsCaptured: UInt64 = 0
    /// Final counters (kernel totals and user-space drops).
    public var counters = CaptureCounters()
    /// Why it stopped: "signal", "duration", "max-events", "command exited", "error", or the sink's
    /// `finishedReason` (e.g. `outputClosed`).
    public var stopReason = ""
    /// The stop reason of a live sink whose reader went away (`kcap record | head`).
    public static let outputClosed = "output closed"
    /// The command's exit status as a shell reports it (128+signal when killed), for `-- COMMAND`.
    public var commandExitStatus: Int32? = nil
    /// Warnings for the user (e.g. tracepoints the kernel lacks).
    public var warnings: [String] = []

    /// Drops of every reason (read failures are not drops: the record is kept without the item).
    public var dropped: UInt64 { counters.dropRingFull + counters.dropTooLarge + counters.dropUserQueue }

    /// `captured N events, dropped M` with the reasons when M > 0.
    public var summary: String {
        var s = "captured \(eventsCaptured) events, dropped \(dropped)"
        if dropped > 0 {
            var why: [String] = []
            if counters.dropRingFull > 0 { why.append("\(counters.dropRingFull) kernel buffer full (try a larger --buffer-size)") }
            if counters.dropTooLarge > 0 { why.append("\(counters.dropTooLarge) too large") }
            if counters.dropUserQueue > 0 { why.append("\(counters.dropUserQueue) writer too slow (disk?)") }
            s += " (" + why.joined(separator: ", ") + ")"
        }
        if counters.dropReadFail > 0 { s += "; \(counters.dropReadFail) records lack an unreadable argument" }
        return s
    }
}

/// Set by the SIGINT/SIGTERM handler; polled by the control loop (a handler may only touch such a flag).
nonisolated(unsafe) private var stopSignal: sig_atomic_t = 0

/// One recording, top to bottom like libbpf-bootstrap's main: check, open, configure, load, attach, drain
/// and write until told to stop, then detach, drain the rest, write the final counters and the footer.
public final class Recording {
    private let options: RecordingOptions
    private let sink: RecordSink
    private let objectBytes: [UInt8]
    private let scanner = ProcScanner()
    /// Called with each warning as soon as it is known (the CLI prints it on stderr).
    public var warn: (String) -> Void = { fputs("kcap record: warning: \($0)\n", stderr) }
    /// Called once the programs are attached and the start snapshot is written (the CLI says so).
    public var started: () -> Void = {}

    /// A recording into `sink`, using the BPF object embedded in kcap (or `objectBytes` for tests).
    public init(options: RecordingOptions, sink: RecordSink, objectBytes: [UInt8]? = nil) {
        self.options = options
        self.sink = sink
        self.objectBytes = objectBytes ?? KcapBPFObject.bytesArray
    }

    /// The capture header for this machine and these options: host facts and the configuration.
    public static func makeHeader(options: RecordingOptions, commandLine: [String]) -> CaptureHeader {
        var u = utsname()
        uname(&u)
        func field<T>(_ v: inout T) -> String {
            withUnsafePointer(to: &v) { $0.withMemoryRebound(to: CChar.self, capacity: MemoryLayout<T>.size) { String(cString: $0) } }
        }
        let boot = BootClock.nowNs(), real = BootClock.realtimeNs()
        var recorder: [String: String] = [
            "commandLine": commandLine.joined(separator: " "),
            "snaplen": String(options.probe.snaplen),
            "events": options.probe.events.spec,
            "bufferSize": String(options.probe.bufferSize),
            "snapshotIntervalNs": String(options.snapshotIntervalNs),
            "kcapVersion": KcapVersion.string,
        ]
        if !options.probe.pids.isEmpty { recorder["pids"] = options.probe.pids.map(String.init).joined(separator: ",") }
        if let c = options.probe.comm { recorder["comm"] = c }
        if !options.command.isEmpty { recorder["command"] = options.command.joined(separator: " ") }
        return CaptureHeader(abiVersion: 1, hostname: field(&u.nodename), kernelRelease: field(&u.release),
                             machine: field(&u.machine), cpuCount: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))),
                             bootTimeRealtimeOffsetNs: Int64(bitPattern: real &- boot), createdRealtimeNs: Int64(real),
                             recorder: recorder)
    }

    /// Checks what recording needs before touching the kernel, so each missing piece is one clear line.
    public static func preflight() throws {
        if !Privileges.canUseBPF {
            throw RecorderError(step: "check privileges", errno: EPERM,
                                hint: "kcap record needs root or CAP_BPF+CAP_PERFMON: run it with sudo; `kcap doctor` checks the machine")
        }
        if !KernelFeatures.hasBTF {
            throw RecorderError(step: "check BTF", object: KernelFeatures.vmlinuxBTFPath, errno: ENOENT,
                                hint: "this kernel has no BTF; kcap needs a kernel built with CONFIG_DEBUG_INFO_BTF=y (Linux >= 5.5)")
        }
    }

    /// Records until a signal, the duration, the event limit or the command's exit; blocks the caller.
    public func run() throws -> RecordingResult {
        var result = RecordingResult()
        try Recording.preflight()

        // Signals: a handler that only raises a flag, so Ctrl-C and SIGTERM always reach the control loop
        // whichever thread the kernel picks, and flush everything instead of killing the process.
        stopSignal = 0
        var action = sigaction()
        // A second signal ends the process at once: the first one may be waiting on an output that no longer
        // moves (a live printer blocked on a paused terminal, a stuck disk); what was flushed stays readable.
        action.__sigaction_handler.sa_handler = { signo in
            if stopSignal != 0 { _exit(128 + signo) }
            stopSignal = signo
        }
        sigemptyset(&action.sa_mask)
        var oldInt = sigaction(), oldTerm = sigaction()
        sigaction(SIGINT, &action, &oldInt)
        sigaction(SIGTERM, &action, &oldTerm)
        defer { sigaction(SIGINT, &oldInt, nil); sigaction(SIGTERM, &oldTerm, nil) }

        for pid in options.probe.pids where kill(pid, 0) != 0 && errno == ESRCH {
            throw RecorderError(step: "find process", object: "--pid \(pid)", errno: ESRCH, hint: "give the pid of a running process (pgrep NAME)")
        }

        // 0. the command, forked now but held before exec until the kernel follows its pid
        var child: ChildProcess? = nil
        var probeOptions = options.probe
        if !options.command.isEmpty {
            child = try ChildProcess(command: options.command)
            probeOptions.followTraced = true
        }
        defer { child?.abandon() }

        // 1-5. open, configure, load
        let probe = try objectBytes.withUnsafeBytes { try KcapProbe(options: probeOptions, bytes: $0) }
        for w in probe.warnings { warn(w); result.warnings.append(w) }
        if let child { try probe.trace(pid: child.pid) }

        // 6. attach, then the threads
        let pipeline = ChunkPipeline(chunks: options.pipelineChunks, capacity: options.chunkCapacity,
                                     maxWaitNs: options.pipelineMaxWaitNs)
        let drainer = try BufferDrainer(buffers: try probe.mapBuffers(), wakeFD: probe.wake.fd, pipeline: pipeline,
                                        chunkCapacity: options.chunkCapacity, maxRecords: options.maxEvents,
                                        sealIntervalNs: options.flushIntervalNs)
        try probe.attach()
        let pidScope: [Int32]? = probeOptions.followTraced || !probeOptions.pids.isEmpty ? [] : nil
        let commandMode = child != nil
        let snapshot: () -> CaptureSnapshot = { [scanner] in
            var s = scanner.snapshot(pids: pidScope == nil ? nil : probe.tracedPids(), enteredAt: { probe.enteredAt(tid: $0) })
            // The command's parent is kcap itself, which a pid-scoped snapshot leaves out: list its main thread
            // (not its fds), so the command's proc.pname is "kcap" rather than unknown.
            if commandMode, let me = scanner.mainThread(of: getpid()) { s.threads.append(me) }
            return s
        }
        if let fileSink = sink as? CaptureFileSink { fileSink.snapshotProvider = snapshot }
        let startNs = BootClock.monotonicNs()
        let counters: () -> CaptureCounters = {
            let k = probe.readCounters()
            return CaptureCounters(timestampNs: BootClock.nowNs(), eventsSeen: k.seen, eventsWritten: 0,
                                   dropRingFull: k.ringFull, dropTooLarge: k.tooLarge, dropReadFail: k.readFail,
                                   dropUserQueue: pipeline.userQueueDrops)
        }
        let writer = WriterLoop(sink: sink, pipeline: pipeline, snapshot: snapshot, counters: counters, options: options)
        if let fileSink = sink as? CaptureFileSink { fileSink.countersProvider = { [unowned writer] in writer.currentCounters() } }
        // The start snapshot is taken before the command runs, so the capture opens on a known state.
        try writer.start()
        let drainThread = try NativeThread(name: "kcap-drain") { drainer.run() }
        let writeThread: NativeThread
        do {
            writeThread = try NativeThread(name: "kcap-write") { writer.run() }
        } catch {
            drainer.stop()
            drainThread.join()
            throw error
        }
        // 8. detach, drain the rest, final counters, footer (also when the command could not start).
        func shutdown() {
            probe.detach()
            drainer.stop()
            drainThread.join()
            writeThread.join()
            result.counters = writer.finalCounters
            result.eventsCaptured = writer.recordsWritten
        }
        started()
        do {
            try child?.release()
        } catch {
            shutdown()
            throw error
        }

        if let driver = options.benchDriver {
            do {
                try driver { setting in
                    probe.detach()
                    switch setting {
                    case .nothing: break
                    case .floor: try probe.attach(floor: true)
                    case .recorder: try probe.attach()
                    }
                }
            } catch {
                shutdown()
                throw error
            }
            result.stopReason = "benchmark done"
            shutdown()
            return result
        }

        // 7. wait for a reason to stop
        var commandDone = false
        while true {
            var req = timespec(tv_sec: 0, tv_nsec: 20_000_000)
            nanosleep(&req, nil)
            if stopSignal != 0 { result.stopReason = "signal"; break }
            if let d = options.durationNs, BootClock.monotonicNs() &- startNs >= d { result.stopReason = "duration"; break }
            let st = drainer.status
            if st.limitReached { result.stopReason = "max-events"; break }
            if st.error != 0 { result.stopReason = "error"; break }
            if writer.failed { result.stopReason = "error"; break }
            if let reason = writer.sinkFinishedReason { result.stopReason = reason; break }
            if let c = child, let status = c.poll() {
                result.commandExitStatus = status
                commandDone = true
                result.stopReason = "command exited"
                break
            }
        }
        var orphanNote: String?
        if let c = child, !commandDone {
            // Stopped early by --duration or -n: the command goes on, unrecorded; say so. A write error says so
            // in its own line, so that a full disk stays one line.
            if result.stopReason == RecordingResult.outputClosed {
                // The reader went away (`| head`): it asked for no more, the command is simply not followed.
            } else if result.stopReason == "error" {
                orphanNote = "\(c.command.first ?? "command") (pid \(c.pid)) keeps running, unrecorded"
            } else if result.stopReason != "signal" {
                warn("stopping the recording; \(c.command.first ?? "command") (pid \(c.pid)) keeps running")
            } else {
                // Pass the signal on (a Ctrl-C at the terminal reached it already; a `kill` of kcap did not)
                // and record the command's last moments, for at most 2 s.
                kill(c.pid, stopSignal)
                if let status = c.wait(timeoutNs: 2_000_000_000) {
                    result.commandExitStatus = status
                } else {
                    warn("\(c.command.first ?? "command") (pid \(c.pid)) did not exit within 2 s of the signal; it keeps running")
                }
            }
        }

        shutdown()
        let st = drainer.status
        if st.error != 0 {
            throw RecorderError(step: "drain record buffers", object: "kcap_buf", errno: st.error, hint: "this is a kcap bug; please report it")
        }
        if var e = writer.error {
            if let orphanNote { e.hint += e.hint.isEmpty ? orphanNote : "; \(orphanNote)" }
            throw e
        }
        return result
    }
}

/// The writer thread: takes sealed chunks from the pipeline to the sink, and on its own clock flushes and
/// writes counters; periodic snapshots come from a `SnapshotScheduler` thread. Everything slow
/// (compression, disk, /proc) happens off the drain thread.
final class WriterLoop {
    private let sink: RecordSink
    private let pipeline: ChunkPipeline
    private let snapshot: () -> CaptureSnapshot
    private let counters: () -> CaptureCounters
    private let options: RecordingOptions
    private var mutex = pthread_mutex_t()
    private var _failed = false
    private var _sinkFinishedReason: String?
    /// The first error the sink threw, if any.
    private(set) var error: RecorderError?
    /// Records handed to the sink.
    private(set) var recordsWritten: UInt64 = 0
    /// The counters written last.
    private(set) var finalCounters = CaptureCounters()

    init(sink: RecordSink, pipeline: ChunkPipeline, snapshot: @escaping () -> CaptureSnapshot,
         counters: @escaping () -> CaptureCounters, options: RecordingOptions) {
        self.sink = sink
        self.pipeline = pipeline
        self.snapshot = snapshot
        self.counters = counters
        self.options = options
        pthread_mutex_init(&mutex, nil)
    }

    /// Whether the sink failed (the control loop then stops the recording).
    var failed: Bool {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return _failed
    }

    /// The sink's `finishedReason` once it said it wants no more records (the control loop then stops).
    var sinkFinishedReason: String? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return _sinkFinishedReason
    }

    /// Writes the start snapshot and first counters, on the caller's thread, before recording begins.
    func start() throws {
        try sink.consume(snapshot())
        try sink.consume(currentCounters())
        try sink.flush()
    }

    /// The counters now, with the records written so far (writer thread only).
    func currentCounters() -> CaptureCounters {
        var c = counters()
        c.eventsWritten = recordsWritten
        finalCounters = c
        return c
    }

    func run() {
        let now = BootClock.monotonicNs()
        var nextFlush = now + options.flushIntervalNs
        var nextCounters = now + options.countersIntervalNs
        let scheduler = SnapshotScheduler(intervalNs: options.snapshotIntervalNs, scan: snapshot)
        defer { scheduler.stop() }
        do {
            try scheduler.start()
            loop: while true {
                switch pipeline.next(deadlineNs: min(nextFlush, nextCounters)) {
                case .chunk(var chunk):
                    try sink.consume(chunk)
                    recordsWritten += UInt64(chunk.recordCount)
                    chunk.reset()
                    pipeline.recycle(consume chunk)
                    if _sinkFinishedReason == nil, let reason = sink.finishedReason {
                        pthread_mutex_lock(&mutex)
                        _sinkFinishedReason = reason
                        pthread_mutex_unlock(&mutex)
                    }
                case .closed:
                    break loop
                case .timeout:
                    break
                }
                let t = BootClock.monotonicNs()
                if sink.needsSnapshot {
                    try sink.consume(snapshot())
                } else if let periodic = scheduler.take() {
                    try sink.consume(periodic)
                }
                if t >= nextCounters {
                    try sink.consume(currentCounters())
                    nextCounters = t + options.countersIntervalNs
                }
                if t >= nextFlush {
                    try sink.flush()
                    nextFlush = t + options.flushIntervalNs
                }
            }
            // A last snapshot: the threads still blocked in a syscall (their records would come at its return),
            // and the state the next reader of this file ends in.
            try sink.consume(snapshot())
            try sink.consume(currentCounters())
            try sink.finish()
        } catch {
            pthread_mutex_lock(&mutex)
            _failed = true
            pthread_mutex_unlock(&mutex)
            self.error = (error as? RecorderError) ?? RecorderError(step: "write capture", hint: "check the disk", detail: "\(error)")
            // Keep draining so the drainer never waits on a dead writer; the records are lost and counted.
            while case .chunk(var c) = pipeline.next(deadlineNs: UInt64.max) { c.reset(); pipeline.recycle(consume c) }
            try? sink.finish()
        }
    }
}
