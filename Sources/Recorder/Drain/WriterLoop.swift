import CaptureFormat
import Synchronization

/// The writer thread: takes sealed chunks from the pipeline to the sink, and on its own clock flushes and
/// writes counters; periodic snapshots come from a `SnapshotScheduler` thread. Everything slow
/// (compression, disk, /proc) happens off the drain thread.
final class WriterLoop {
    private let sink: RecordSink
    private let pipeline: ChunkPipeline
    private let snapshot: () -> CaptureSnapshot
    private let counters: () -> CaptureCounters
    private let options: RecordingOptions
    /// What the control thread polls while the writer runs.
    private struct Shared {
        var failed = false
        var sinkFinishedReason: StopReason?
    }
    private let shared = Mutex(Shared())
    // Written by the writer thread only; the control thread reads them after joining it.
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
    }

    /// Whether the sink failed (the control loop then stops the recording).
    var failed: Bool { shared.withLock { $0.failed } }

    /// The sink's `finishedReason` once it said it wants no more records (the control loop then stops).
    var sinkFinishedReason: StopReason? { shared.withLock { $0.sinkFinishedReason } }

    /// Lends the sink its providers, then writes the start snapshot and first counters, on the caller's
    /// thread, before recording begins.
    func start() throws {
        sink.begin(with: RecordSinkProviders(snapshot: snapshot, counters: { [unowned self] in self.currentCounters() }))
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
            var sinkFinished = false
            loop: while true {
                switch pipeline.next(deadlineNs: min(nextFlush, nextCounters)) {
                case .chunk(var chunk):
                    try sink.consume(chunk)
                    recordsWritten += UInt64(chunk.recordCount)
                    chunk.reset()
                    pipeline.recycle(consume chunk)
                    if !sinkFinished, let reason = sink.finishedReason {
                        sinkFinished = true
                        shared.withLock { $0.sinkFinishedReason = reason }
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
                } else if sink.wantsSnapshotSoon {
                    scheduler.hurry()
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
            shared.withLock { $0.failed = true }
            self.error = (error as? RecorderError) ?? RecorderError(step: "write capture", hint: "check the disk", detail: "\(error)")
            // Keep draining so the drainer never waits on a dead writer; the records are lost and counted.
            while case .chunk(var c) = pipeline.next(deadlineNs: UInt64.max) { c.reset(); pipeline.recycle(consume c) }
            try? sink.finish()
        }
    }
}
