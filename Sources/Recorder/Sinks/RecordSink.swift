import CaptureFormat

/// Where a recording goes. The recorder calls a sink from its writer thread only, in order: `begin(with:)`,
/// then snapshots, event chunks (raw kcap_abi.h records, as the ring gave them) and counters, then `finish()`
/// once. `CaptureFileSink` writes capture files; the CLI can plug in a live printer (the analyzer engine)
/// instead.
public protocol RecordSink: AnyObject {
    /// Called once, before the start snapshot: what the sink may call for blocks of its own (a rotated file's
    /// start snapshot and counters).
    func begin(with providers: RecordSinkProviders)
    /// One chunk of raw records; the chunk is reused after the call returns, so copy what must be kept.
    func consume(_ chunk: EventChunk) throws
    /// A thread/fd table (the first one describes the state when recording started).
    func consume(_ snapshot: CaptureSnapshot) throws
    /// Cumulative counters (events seen, written, dropped by reason).
    func consume(_ counters: CaptureCounters) throws
    /// Called about once a second: make what was consumed durable (a killed recorder keeps it).
    func flush() throws
    /// The recording is over: nothing more will be consumed.
    func finish() throws
    /// Whether the sink wants a fresh snapshot now (e.g. it has just started a new file): taken on the
    /// writer thread before the next chunk.
    var needsSnapshot: Bool { get }
    /// Whether the sink wants the next periodic snapshot early (the flight recorder, whose newest segment
    /// grew large): the snapshot thread scans at once, off the writer thread.
    var wantsSnapshotSoon: Bool { get }
    /// Non-nil once the sink wants no more records (a live printer whose reader went away, or that printed
    /// its `-n` events): the recording then stops, with this as `RecordingResult.stopReason`
    /// (`.outputClosed` stops without the "command keeps running" warning).
    var finishedReason: StopReason? { get }
}

extension RecordSink {
    /// By default a sink writes nothing of its own and needs no providers.
    public func begin(with providers: RecordSinkProviders) {}
    /// By default a sink wants snapshots only on the recorder's own schedule.
    public var needsSnapshot: Bool { false }
    /// By default periodic snapshots keep their interval.
    public var wantsSnapshotSoon: Bool { false }
    /// By default a sink takes records until the recording stops.
    public var finishedReason: StopReason? { nil }
}
