import CaptureFormat

/// A recording from the moment its programs are attached: the loaded probe, the drain→writer pipeline and
/// the two threads on either side of it. `Recording` makes one in its attach step and ends it with
/// `shutDown()`.
final class RecordingSession {
    let probe: KcapProbe
    let pipeline: ChunkPipeline
    let drainer: BufferDrainer
    let writer: WriterLoop
    /// When the programs were attached (monotonic ns): `--duration` counts from here.
    let attachedAtNs: UInt64
    private var drainThread: NativeThread?
    private var writeThread: NativeThread?

    init(probe: KcapProbe, pipeline: ChunkPipeline, drainer: BufferDrainer, writer: WriterLoop, attachedAtNs: UInt64) {
        self.probe = probe
        self.pipeline = pipeline
        self.drainer = drainer
        self.writer = writer
        self.attachedAtNs = attachedAtNs
    }

    /// Writes the start snapshot (before the command runs, so the capture opens on a known state), then
    /// starts the drain and write threads. When the write thread cannot start, the drain thread is stopped
    /// again before the error is thrown.
    func startThreads() throws {
        try writer.start()
        let drainer = self.drainer, writer = self.writer
        let drain = try NativeThread(name: "kcap-drain") { drainer.run() }
        do {
            writeThread = try NativeThread(name: "kcap-write") { writer.run() }
        } catch {
            drainer.stop()
            drain.join()
            throw error
        }
        drainThread = drain
    }

    /// Runs `body`; if it throws, shuts down first (the capture still gets its last blocks and footer).
    func shuttingDownOnError<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            shutDown()
            throw error
        }
    }

    /// Detaches the programs, lets the drain thread take what is left and both threads end; the writer has
    /// then written the last snapshot, the final counters and the footer. Safe to call more than once.
    func shutDown() {
        probe.detach()
        drainer.stop()
        drainThread?.join()
        writeThread?.join()
        drainThread = nil
        writeThread = nil
    }

    /// What was written, once shut down.
    func totals(into result: inout RecordingResult) {
        result.counters = writer.finalCounters
        result.eventsCaptured = writer.recordsWritten
    }

    /// The error the drain or the writer ended with, once shut down; `orphanNote` (a command left running)
    /// is added to the writer's hint.
    func failure(orphanNote: String?) -> RecorderError? {
        let drained = drainer.status
        if drained.error != 0 {
            return RecorderError(step: "drain record buffers", object: "kcap_buf", errno: drained.error,
                                 hint: "this is a kcap bug; please report it")
        }
        guard var e = writer.error else { return nil }
        if let orphanNote { e.hint += e.hint.isEmpty ? orphanNote : "; \(orphanNote)" }
        return e
    }
}
