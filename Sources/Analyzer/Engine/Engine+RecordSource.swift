import CaptureFormat

extension Engine {
    /// Feeds what `source` has through the engine into `consumer`: snapshots load, records become events.
    /// Returns how many records the source handed over, and whether it ran out (false: the consumer stopped it).
    ///
    /// Generic over both ends, so the source's record loop, the engine's `process` and the consumer are
    /// specialised together in this module (call it from here, through `ReadPipeline`, `LiveOutput` or a
    /// `Replay`, not generically from another module: there every per-record call would go through a witness
    /// table).
    @inline(__always)
    public func run<Source: RecordSource, Consumer: EventConsumer>(_ source: inout Source, into consumer: inout Consumer)
        throws -> (records: UInt64, ranOut: Bool) {
        try withUnsafeMutablePointer(to: &consumer) { c in
            var feed = EngineFeed(engine: self, consumer: c)
            let ranOut = try source.feed(into: &feed)
            return (feed.records, ranOut)
        }
    }
}

/// The engine as a `RecordReceiver`: each record goes through `Engine.process` into the consumer.
struct EngineFeed<Consumer: EventConsumer>: RecordReceiver {
    unowned(unsafe) let engine: Engine
    /// The caller's consumer, in place (no copy in and out per run).
    let consumer: UnsafeMutablePointer<Consumer>
    /// Records handed over.
    var records: UInt64 = 0

    @inline(__always)
    init(engine: Engine, consumer: UnsafeMutablePointer<Consumer>) {
        self.engine = engine
        self.consumer = consumer
    }

    mutating func load(_ snapshot: CaptureSnapshot) { engine.load(snapshot) }

    mutating func numberEvents(after n: UInt64) { engine.advanceNumbering(to: n) }

    @inline(__always)
    mutating func receive(_ record: RecordView) -> Bool {
        records &+= 1
        return engine.process(record, into: &consumer.pointee)
    }
}
