import CaptureFormat

/// The machine's state at one moment of a capture (`kcap ps --at T`, `kcap lsof --at T`): an engine fed from
/// the last snapshot before the moment (found through the block index; chunks before it are not read) up to
/// and including the last record at or before it. The work is one snapshot and the chunks after it, wherever
/// the moment falls, not a replay from the start.
public struct MomentReplay {
    /// The engine, holding the thread and fd tables at the moment.
    public let engine: Engine
    /// The moment (boot-time ns): the requested one, or the last event's when none was asked for.
    public let atNs: UInt64
    /// Records fed to reach it (from the snapshot, not from the start).
    public let recordsReplayed: UInt64

    /// Replays `readers`' captures (one, or several read as one) up to `at` (a `--at` text in `TimeBound`'s
    /// forms; nil: the end). With `fromStart` the replay starts at the beginning instead of the nearest
    /// snapshot (the slow answer the fast one is checked against). Throws `TimeBound.ParseError` for bad
    /// text, `CaptureSetSource.SetError`, and the readers' errors.
    public init(readers: [CaptureReader], at: String?, fromStart: Bool = false) throws {
        var source = try CaptureSetSource(readers: readers)
        let (atNs, _) = try source.window(since: at, until: nil)
        try self.init(source: &source, atNs: atNs ?? source.timeRange?.last ?? .max, fromStart: fromStart)
    }

    /// Replays `source` up to `atNs` (boot-time ns).
    public init(source: inout CaptureSetSource, atNs: UInt64, fromStart: Bool = false) throws {
        source.startNs = fromStart ? nil : atNs
        var bounded = MomentSource(base: source, endNs: atNs)
        let engine = Engine(for: bounded)
        var ignore = IgnoringConsumer()
        let (records, _) = try engine.run(&bounded, into: &ignore)
        self.engine = engine
        self.atNs = atNs
        recordsReplayed = records
    }
}

/// Consumes nothing: the moment's replay only wants the engine's tables.
struct IgnoringConsumer: EventConsumer {
    @inline(__always) mutating func consume(_ event: Event) -> Bool { true }
}
