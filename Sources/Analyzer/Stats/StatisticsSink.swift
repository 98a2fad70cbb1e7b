/// `kcap stats` as a sink: every event it is handed is counted into `statistics` (filtering and the time
/// window are `FilteredSink`'s job, as for the printing sinks).
public struct StatisticsSink: EventSink {
    /// The accumulator.
    public let statistics: CaptureStatistics

    /// A sink counting into `statistics`.
    public init(statistics: CaptureStatistics) {
        self.statistics = statistics
    }

    /// Counts one event.
    @inline(__always)
    public mutating func write(_ event: Event) throws(OutputError) {
        statistics.add(event)
    }

    /// Nothing is buffered.
    public mutating func finish() throws(OutputError) {}
}
