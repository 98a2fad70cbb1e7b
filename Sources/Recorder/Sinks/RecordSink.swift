import CaptureFormat

/// Where a recording goes. The recorder calls a sink from its writer thread only, in order: snapshots,
/// event chunks (raw kcap_abi.h records, as the ring gave them) and counters, then `finish()` once.
/// `CaptureFileSink` writes capture files; the CLI can plug in a live printer (the analyzer engine) instead.
public protocol RecordSink: AnyObject {
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
    /// Whether the sink wants a fresh snapshot now (e.g. it has just started a new file).
    var needsSnapshot: Bool { get }
    /// Non-nil once the sink wants no more records (a live printer whose reader went away, or that printed
    /// its `-n` events): the recording then stops, with this as `RecordingResult.stopReason`
    /// (`RecordingResult.outputClosed` stops without the "command keeps running" warning).
    var finishedReason: String? { get }
}

extension RecordSink {
    /// By default a sink wants snapshots only on the recorder's own schedule.
    public var needsSnapshot: Bool { false }
    /// By default a sink takes records until the recording stops.
    public var finishedReason: String? { nil }
}
