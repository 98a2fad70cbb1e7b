/// Hands every event to two sinks (the tables of an export that follow every event: processes, connections).
public struct TeeSink<First: EventSink, Second: EventSink>: EventSink {
    /// The first sink.
    public var first: First
    /// The second sink.
    public var second: Second

    /// A tee into `first` and `second`.
    public init(_ first: First, _ second: Second) {
        self.first = first
        self.second = second
    }

    /// Writes to both.
    @inline(__always)
    public mutating func write(_ event: Event) throws(OutputError) {
        try first.write(event)
        try second.write(event)
    }

    /// Finishes both.
    public mutating func finish() throws(OutputError) {
        try first.finish()
        try second.finish()
    }
}
