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
        // The feed holds the consumer by value for the run (copied in and back out once), so the loop reads and
        // writes it as an exclusive inout value the optimiser keeps in registers, not through a pointer that
        // might alias the engine's tables.
        var feed = EngineFeed(engine: self, consumer: consumer)
        defer { consumer = feed.consumer }
        let ranOut = try source.feed(into: &feed)
        return (feed.records, ranOut)
    }
}

/// The engine as a `RecordReceiver`: each record goes through `Engine.process` into the consumer.
struct EngineFeed<Consumer: EventConsumer>: RecordReceiver {
    /// Unretained, used through `_withUnsafeGuaranteedRef`: a call on an `unowned(unsafe)` or a stored strong
    /// reference read from the inout feed costs a retain and a release per record. The caller holds the engine.
    let engine: Unmanaged<Engine>
    /// The caller's consumer, for the run.
    var consumer: Consumer
    /// Records handed over.
    var records: UInt64 = 0

    @inline(__always)
    init(engine: Engine, consumer: Consumer) {
        self.engine = Unmanaged.passUnretained(engine)
        self.consumer = consumer
    }

    mutating func load(_ snapshot: CaptureSnapshot) { engine.takeUnretainedValue().load(snapshot) }

    mutating func numberEvents(after n: UInt64) { engine.takeUnretainedValue().advanceNumbering(to: n) }

    mutating func switchHost(to host: Int) { engine.takeUnretainedValue().switchHost(to: host) }

    mutating func useInterfaces(_ interfaces: NetworkInterfaces) { engine.takeUnretainedValue().networkInterfaces = interfaces }

    @inline(__always)
    mutating func receive(_ record: RecordView) -> Bool {
        records &+= 1
        return engine._withUnsafeGuaranteedRef { $0.process(record, into: &consumer) }
    }
}
