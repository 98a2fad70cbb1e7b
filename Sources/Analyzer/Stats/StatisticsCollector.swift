import CaptureFormat

/// Feeds engine events into `CaptureStatistics`, through an optional filter.
public struct StatisticsCollector: EventConsumer {
    /// The accumulator.
    public let statistics: CaptureStatistics
    /// Events outside [startNs, endNs] or rejected by the filter are not counted.
    public var filter: ((Event) -> Bool)?
    /// First boot-time ns counted.
    public var startNs: UInt64 = 0
    /// Last boot-time ns counted; replay stops past it.
    public var endNs: UInt64 = .max

    /// A collector into `statistics`.
    public init(statistics: CaptureStatistics, filter: ((Event) -> Bool)? = nil) {
        self.statistics = statistics
        self.filter = filter
    }

    /// Counts the event when it passes the time range and the filter.
    public mutating func consume(_ event: Event) -> Bool {
        let ts = event.timestampNs
        if ts > endNs { return false }
        if ts < startNs { return true }
        if let filter, !filter(event) { return true }
        statistics.add(event)
        return true
    }
}
