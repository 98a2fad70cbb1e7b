import CaptureFormat

/// Where events go: the default text line, JSON lines, a `-p` format, the statistics of `kcap stats`.
/// Interchangeable; the engine and the source know nothing of them. The printing sinks own their
/// `EventPrinter` (made for the engine whose events they take).
public protocol EventSink {
    /// Formats one event into the sink's buffer (flushing when it is full).
    mutating func write(_ event: Event) throws(OutputError)
    /// Hands every buffered byte out.
    mutating func finish() throws(OutputError)
    /// Whether the last `write` printed the event: a `-p` format without `*` skips an event that lacks one of
    /// its fields, and `-n` counts printed lines, as sysdig's does.
    var printedLast: Bool { get }
}

extension EventSink {
    /// Every other sink prints (or counts) every event it is handed.
    @inline(__always) public var printedLast: Bool { true }
}

/// Filters events, hands the ones that pass to a sink, and stops after `maxEvents`: the engine → filter → sink
/// stretch of `kcap read`, `kcap stats` and live output, as an `EventConsumer`.
public struct FilteredSink<Sink: EventSink>: EventConsumer {
    /// The sink.
    public var sink: Sink
    /// The filter; nil passes everything.
    public var filter: EventFilter?
    /// Renders the filter's fields that print (`evt.args`, `evt.arg.NAME`, `evt.res`): the sink's printer when
    /// it has one, so both share one symbol cache.
    public let printer: EventPrinter
    /// Stop after this many events were written; nil (or 0, as `-n 0` means in `kcap record` and sysdig) for no
    /// limit.
    public var maxEvents: UInt64?
    /// Events before this boot-time ns are skipped (state still follows them).
    public var startNs: UInt64 = 0
    /// Events after this boot-time ns end the replay.
    public var endNs: UInt64 = .max
    /// Hand over the records a slice kept only for their state changes (`RecordFlags.context`) too.
    public var showContext = false
    /// Events written.
    public private(set) var written: UInt64 = 0
    /// The output error that stopped the replay, if any.
    public private(set) var error: OutputError?

    /// A pipeline into `sink`, its filter's fields rendered by `printer`.
    public init(sink: Sink, filter: EventFilter? = nil, printer: EventPrinter, maxEvents: UInt64? = nil) {
        self.sink = sink
        self.filter = filter
        self.printer = printer
        self.maxEvents = maxEvents == 0 ? nil : maxEvents
    }

    /// Filters and writes one event.
    @inline(__always)
    public mutating func consume(_ event: Event) -> Bool {
        let ts = event.timestampNs
        if ts < startNs { return true }
        if ts > endNs { return false }
        if !showContext && event.record.rawFlags & RecordFlags.context.rawValue != 0 { return true }
        // Optional chaining calls the predicate in place (binding it would copy and retain it per event).
        if filter?.matches(EventFields(event, printer: printer)) == false { return true }
        do { try sink.write(event) } catch {
            self.error = error
            return false
        }
        guard sink.printedLast else { return true }
        written += 1
        if let m = maxEvents, written >= m { return false }
        return true
    }
}
