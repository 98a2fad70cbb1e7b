import CaptureFormat

/// The replay driver: one source feeding one engine made for it. `kcap read` and `kcap stats` replay a file
/// (`CaptureReplay`), live output the ring (`Replay<LiveRingSource>`), and a new source needs neither a new
/// driver nor a change to the engine.
public final class Replay<Source: RecordSource> {
    /// Where records come from.
    public var source: Source
    /// The engine records go through.
    public let engine: Engine
    /// Records fed so far.
    @exclusivity(unchecked)
    public private(set) var recordCount: UInt64 = 0

    /// A replay of `source` with a fresh engine for its machine and clock.
    public init(source: Source) {
        self.source = source
        engine = Engine(for: source)
    }

    /// Feeds what the source has through the engine into `consumer`, until the source runs out or the
    /// consumer stops; returns false when the consumer stopped it.
    @discardableResult
    public func run<C: EventConsumer>(into consumer: inout C) throws -> Bool {
        let (records, ranOut) = try engine.run(&source, into: &consumer)
        recordCount &+= records
        return ranOut
    }
}

/// A capture file's replay.
public typealias CaptureReplay = Replay<CaptureFileSource>

extension Replay where Source == CaptureFileSource {
    /// A replay of `reader`'s capture with a fresh engine for its machine.
    public convenience init(reader: CaptureReader) {
        self.init(source: CaptureFileSource(reader: reader))
    }

    /// The file.
    public var reader: CaptureReader { source.reader }

    /// Boot-time ns of the first and last record (`CaptureFileSource.timeRange`).
    public var timeRange: (first: UInt64, last: UInt64)? { source.timeRange }

    /// The `--since`/`--until` window (`CaptureFileSource.window(since:until:)`).
    public func window(since: String?, until: String?) throws -> (start: UInt64?, end: UInt64) {
        try source.window(since: since, until: until)
    }

    /// Every intact counters block (`CaptureFileSource.counters()`).
    public func counters() -> [CaptureCounters] { source.counters() }

    /// The recording's totals (`CaptureFileSource.lastCounters()`).
    public func lastCounters() -> CaptureCounters? { source.lastCounters() }

    /// The drop warning (`CaptureFileSource.dropWarning(timeText:)`).
    public func dropWarning(timeText: (UInt64) -> String) -> String? { source.dropWarning(timeText: timeText) }
}

extension Replay where Source: WindowedRecordSource {
    /// Feeds every block to the engine, from the last snapshot at or before `startNs` (chunks before that
    /// snapshot are skipped unread), until the consumer stops; the consumer drops the events before `startNs`.
    @discardableResult
    public func run<C: EventConsumer>(from startNs: UInt64?, into consumer: inout C) throws -> Bool {
        source.startNs = startNs
        return try run(into: &consumer)
    }
}

/// Several captures' replay (`CaptureSetSource`).
public typealias CaptureSetReplay = Replay<CaptureSetSource>

extension Replay where Source == CaptureSetSource {
    /// A replay of `readers`' captures as one, with a fresh engine for their machine. Throws
    /// `CaptureSetSource.SetError` for captures that cannot be read together.
    public convenience init(readers: [CaptureReader]) throws {
        self.init(source: try CaptureSetSource(readers: readers))
    }

    /// The files, in the set's order.
    public var readers: [CaptureReader] { source.readers }

    /// Boot-time ns of the first and last record over every file.
    public var timeRange: (first: UInt64, last: UInt64)? { source.timeRange }

    /// The `--since`/`--until` window over every file (`CaptureSetSource.window(since:until:)`).
    public func window(since: String?, until: String?) throws -> (start: UInt64?, end: UInt64) {
        try source.window(since: since, until: until)
    }

    /// The recording's totals (`CaptureSetSource.lastCounters()`).
    public func lastCounters() -> CaptureCounters? { source.lastCounters() }

    /// Each file's drop warning (`CaptureSetSource.dropWarnings(timeText:)`).
    public func dropWarnings(timeText: (UInt64) -> String) -> [String] { source.dropWarnings(timeText: timeText) }
}
