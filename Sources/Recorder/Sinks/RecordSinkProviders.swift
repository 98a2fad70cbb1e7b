import CaptureFormat

/// What the recorder lends a sink for the blocks the sink writes on its own initiative, e.g. the start
/// snapshot and counters of a file it starts by rotation. Both run on the writer thread, like every sink call.
public struct RecordSinkProviders {
    /// A fresh thread/fd snapshot of what is being recorded.
    public var snapshot: () -> CaptureSnapshot
    /// The cumulative counters now (kernel totals, user-space drops, records written so far).
    public var counters: () -> CaptureCounters

    /// Providers from the two closures.
    public init(snapshot: @escaping () -> CaptureSnapshot, counters: @escaping () -> CaptureCounters) {
        self.snapshot = snapshot
        self.counters = counters
    }
}
