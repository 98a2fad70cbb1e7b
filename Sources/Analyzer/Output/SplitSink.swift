/// Hands every event to `all` and the ones that pass `filter` to `matched`: an export whose events table is
/// filtered while its processes table follows every process (a lifetime needs its fork and exit events
/// whether or not they pass).
public struct SplitSink<All: EventSink, Matched: EventSink>: EventSink {
    /// Sees every event.
    public var all: All
    /// Sees the events that pass the filter.
    public var matched: Matched
    /// The filter; nil passes everything.
    public let filter: EventFilter?
    /// Renders the filter's printed fields.
    public let printer: EventPrinter
    /// Events handed to `matched`.
    public private(set) var matchedCount: UInt64 = 0

    /// A split on `filter`, evaluated with `printer`.
    public init(all: All, matched: Matched, filter: EventFilter?, printer: EventPrinter) {
        self.all = all
        self.matched = matched
        self.filter = filter
        self.printer = printer
    }

    /// Writes to `all`, and to `matched` when the event passes.
    @inline(__always)
    public mutating func write(_ event: Event) throws(OutputError) {
        try all.write(event)
        if filter?.matches(EventFields(event, printer: printer)) == false { return }
        try matched.write(event)
        matchedCount += 1
    }

    /// Finishes both.
    public mutating func finish() throws(OutputError) {
        try all.finish()
        try matched.finish()
    }
}
