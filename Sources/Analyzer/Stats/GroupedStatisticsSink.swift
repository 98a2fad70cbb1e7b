/// `kcap stats --by/--interval` as a sink: every event it is handed is counted into its group (filtering and
/// the time window are `FilteredSink`'s job).
public struct GroupedStatisticsSink: EventSink {
    /// The accumulator.
    public let statistics: GroupedStatistics

    /// A sink counting into `statistics`.
    public init(statistics: GroupedStatistics) {
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
