/// A sink that counts every event it is handed into `statistics` (filtering and the time window are
/// `FilteredSink`'s job, as for the printing sinks): `kcap stats` and `stats --by` as sinks.
public struct CountingSink<Counter: EventCounter>: EventSink {
    /// The accumulator.
    public let statistics: Counter

    /// A sink counting into `statistics`.
    public init(statistics: Counter) {
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

/// `kcap stats` as a sink.
public typealias StatisticsSink = CountingSink<CaptureStatistics>
