import CaptureFormat
import Glibc

/// One recording, read top to bottom like libbpf-bootstrap's `main`: check, start the command, open and load,
/// attach, start the threads, wait for a reason to stop, settle the command, shut down. Each step is a method
/// below, in that order; each failure names its step (`RecorderError.step`).
public final class Recording {
    /// How often the control loop looks for a reason to stop.
    static let stopPollNs = 20_000_000
    /// How long a command that was passed kcap's stop signal is still recorded before kcap gives up on it.
    static let commandGraceNs: UInt64 = 2_000_000_000

    private let options: RecordingOptions
    private let sink: RecordSink
    private let objectBytes: [UInt8]
    private let scanner = ProcScanner()
    /// Called with each warning as soon as it is known (the CLI prints it on stderr).
    public var warn: (String) -> Void = { fputs("kcap record: warning: \($0)\n", stderr) }
    /// Called once the programs are attached and the start snapshot is written (the CLI says so).
    public var started: () -> Void = {}
    /// Flight recording: called on the control thread with the boot-time ns of each SIGUSR1 (which kcap then
    /// catches instead of dying of it); nil leaves SIGUSR1 alone.
    public var triggerSignal: ((UInt64) -> Void)?
    /// Called on the control thread with the `-- COMMAND`'s exit status once it is known, while the
    /// recording still runs (before the shutdown drains the last records).
    public var commandExited: ((Int32) -> Void)?

    /// A recording into `sink`, using the BPF object embedded in kcap (or `objectBytes` for tests).
    public init(options: RecordingOptions, sink: RecordSink, objectBytes: [UInt8]? = nil) {
        self.options = options
        self.sink = sink
        self.objectBytes = objectBytes ?? KcapBPFObject.bytesArray
    }

    /// Records until a signal, the duration, the event limit, the sink or the command's exit says stop;
    /// blocks the caller.
    public func run() throws -> RecordingResult {
        try Recording.preflight()
        let signals = StopSignals()
        defer { signals.restore() }
        let trigger = triggerSignal == nil ? nil : TriggerSignal()
        defer { trigger?.restore() }
        try checkTargetProcesses()
        let command = try startCommand()
        defer { command?.abandon() }
        var warnings: [String] = []
        let probe = try openAndLoad(probeOptions(command: command), following: command, warnings: &warnings)
        let session = try attach(probe, commandMode: command != nil)
        try session.startThreads()
        started()
        try session.shuttingDownOnError { try command?.release() }
        let (reason, exitedStatus) = waitForStop(session, command: command, signals: signals, trigger: trigger)
        let settled = settleCommand(command, stoppedBy: reason)
        if let status = exitedStatus ?? settled.exitStatus { commandExited?(status) }
        session.shutDown()

        var result = RecordingResult(stopReason: reason, commandExitStatus: exitedStatus ?? settled.exitStatus,
                                     warnings: warnings)
        session.totals(into: &result)
        if let failure = session.failure(orphanNote: settled.orphanNote) { throw failure }
        return result
    }

    /// tools/bench: records while `driver` runs its workload under each `BenchAttachment` in turn, switching
    /// what is attached through the function it is given, instead of waiting for a reason to stop. One process
    /// and one recording serve every setting, so they can alternate every second, which a machine whose
    /// speed drifts needs for a fair comparison. The empty (floor) programs are loaded too.
    public func runBenchmark(_ driver: (_ attach: (BenchAttachment) throws -> Void) throws -> Void) throws -> RecordingResult {
        try Recording.preflight()
        let signals = StopSignals()
        defer { signals.restore() }
        try checkTargetProcesses()
        let command = try startCommand()
        defer { command?.abandon() }
        var warnings: [String] = []
        var probeOptions = probeOptions(command: command)
        probeOptions.loadFloorPrograms = true
        let probe = try openAndLoad(probeOptions, following: command, warnings: &warnings)
        let session = try attach(probe, commandMode: command != nil)
        try session.startThreads()
        started()
        try session.shuttingDownOnError { try command?.release() }
        try session.shuttingDownOnError { try driver { try probe.switchAttachment(to: $0) } }
        session.shutDown()

        var result = RecordingResult(stopReason: .benchmarkDone, warnings: warnings)
        session.totals(into: &result)
        return result
    }

    // MARK: the steps, in order

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

    /// Every `--pid` must name a running process.
    private func checkTargetProcesses() throws {
        for pid in options.probe.pids where kill(pid, 0) != 0 && errno == ESRCH {
            throw RecorderError(step: "find process", object: "--pid \(pid)", errno: ESRCH, hint: "give the pid of a running process (pgrep NAME)")
        }
    }

    /// Start the command: forked now, but held before exec until the kernel side follows its pid.
    private func startCommand() throws -> ChildProcess? {
        options.command.isEmpty ? nil : try ChildProcess(command: options.command)
    }

    /// The kernel-side options, following the command's process tree when there is one.
    private func probeOptions(command: ChildProcess?) -> ProbeOptions {
        var probe = options.probe
        if command != nil { probe.followTraced = true }
        return probe
    }

    /// Open and load: the BPF object is opened, configured and loaded (programs whose tracepoint this kernel
    /// lacks are switched off, with a warning), and the command's pid is added to the traced set.
    private func openAndLoad(_ probeOptions: ProbeOptions, following command: ChildProcess?,
                             warnings: inout [String]) throws -> KcapProbe {
        let probe = try objectBytes.withUnsafeBytes { try KcapProbe(options: probeOptions, bytes: $0) }
        for w in probe.warnings { warn(w); warnings.append(w) }
        if let command { try probe.trace(pid: command.pid) }
        return probe
    }

    /// Attach: maps the record buffers for the drainer, attaches the programs, and prepares the writer with
    /// how to take snapshots and read the counters.
    private func attach(_ probe: KcapProbe, commandMode: Bool) throws -> RecordingSession {
        let pipeline = ChunkPipeline(chunks: options.pipelineChunks, capacity: options.chunkCapacity,
                                     maxWaitNs: options.pipelineMaxWaitNs)
        let drainer = try BufferDrainer(buffers: try probe.mapBuffers(), wakeFD: probe.wake.fd, pipeline: pipeline,
                                        chunkCapacity: options.chunkCapacity, maxRecords: options.maxEvents,
                                        sealIntervalNs: options.flushIntervalNs)
        try probe.attach()
        let attachedAtNs = BootClock.monotonicNs()
        let writer = WriterLoop(sink: sink, pipeline: pipeline, snapshot: snapshotMaker(probe, commandMode: commandMode),
                                counters: countersReader(probe, pipeline), options: options)
        return RecordingSession(probe: probe, pipeline: pipeline, drainer: drainer, writer: writer, attachedAtNs: attachedAtNs)
    }

    /// Wait for the stop: polls for a reason, in this order: a signal, the duration, the event limit, a
    /// failed drain or writer, the sink's own reason, the command's exit (with its status).
    private func waitForStop(_ session: RecordingSession, command: ChildProcess?, signals: StopSignals,
                             trigger: TriggerSignal? = nil) -> (StopReason, commandExitStatus: Int32?) {
        while true {
            var req = timespec(tv_sec: 0, tv_nsec: Recording.stopPollNs)
            nanosleep(&req, nil)
            if let t = trigger?.take() { triggerSignal?(t) }
            if let signo = signals.received { return (.signal(signo), nil) }
            if let d = options.durationNs, BootClock.monotonicNs() &- session.attachedAtNs >= d { return (.duration, nil) }
            let drained = session.drainer.status
            if drained.limitReached { return (.maxEvents, nil) }
            if drained.error != 0 || session.writer.failed { return (.error, nil) }
            if let reason = session.writer.sinkFinishedReason { return (reason, nil) }
            if let command, let status = command.poll() { return (.commandExited, status) }
        }
    }

    /// Settle the command when the recording stopped before it exited. After a signal, the signal is passed
    /// on and its last moments recorded; otherwise it goes on, unrecorded, and the user is told (a write error
    /// says so in its own line, as `orphanNote`, so that a full disk stays one line).
    private func settleCommand(_ command: ChildProcess?, stoppedBy reason: StopReason) -> (exitStatus: Int32?, orphanNote: String?) {
        guard let command else { return (nil, nil) }
        let name = "\(command.command.first ?? "command") (pid \(command.pid))"
        switch reason {
        case .commandExited, .benchmarkDone, .outputClosed:
            // Exited, or (output closed) the reader went away (`| head`): it asked for no more, the command is
            // simply not followed.
            return (nil, nil)
        case .error:
            return (nil, "\(name) keeps running, unrecorded")
        case .signal(let signo):
            // A Ctrl-C at the terminal reached the command already; a `kill` of kcap did not.
            kill(command.pid, signo)
            if let status = command.wait(timeoutNs: Recording.commandGraceNs) { return (status, nil) }
            warn("\(name) did not exit within 2 s of the signal; it keeps running")
            return (nil, nil)
        case .duration, .maxEvents:
            warn("stopping the recording; \(name) keeps running")
            return (nil, nil)
        }
    }

    // MARK: what the writer is given

    /// Thread/fd snapshots of what is recorded: every process system-wide, else the traced ones (with the
    /// entry time of each blocked syscall from the program).
    private func snapshotMaker(_ probe: KcapProbe, commandMode: Bool) -> () -> CaptureSnapshot {
        let pidScoped = options.probe.followTraced || commandMode || !options.probe.pids.isEmpty
        return { [scanner] in
            var s = scanner.snapshot(pids: pidScoped ? probe.tracedPids() : nil, enteredAt: { probe.enteredAt(tid: $0) })
            // The command's parent is kcap itself, which a pid-scoped snapshot leaves out: list its main thread
            // (not its fds), so the command's proc.pname is "kcap" rather than unknown.
            if commandMode, let me = scanner.mainThread(of: getpid()) { s.threads.append(me) }
            return s
        }
    }

    /// The cumulative counters: the program's per-CPU totals and the pipeline's drops.
    private func countersReader(_ probe: KcapProbe, _ pipeline: ChunkPipeline) -> () -> CaptureCounters {
        return {
            let k = probe.readCounters()
            return CaptureCounters(timestampNs: BootClock.nowNs(), eventsSeen: k.seen, eventsWritten: 0,
                                   dropRingFull: k.ringFull, dropTooLarge: k.tooLarge, dropReadFail: k.readFail,
                                   dropUserQueue: pipeline.userQueueDrops)
        }
    }
}
