import CaptureFormat

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

    /// Options with `kcap record`'s defaults for `probe`.
    public init(probe: ProbeOptions) { self.probe = probe }
}
