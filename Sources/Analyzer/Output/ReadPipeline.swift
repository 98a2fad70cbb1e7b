import CaptureFormat

/// `kcap read` and `kcap stats` as one call each: a capture's replay (source → engine) through a filter into
/// a sink, wired by the caller (`kcap read` picks the sink, compiles the filter and the window).
///
/// It lives in this module so the generic replay loop is specialised for each concrete sink here (a generic
/// call from another module would run unspecialised, with every per-event call going through witness tables).
/// A new file source gets its own `run` overload here; the loop underneath (`play`) is generic over it.
public enum ReadPipeline {
    /// Which sink.
    public enum Output {
        /// The default line.
        case text
        /// JSON lines with every field.
        case json
        /// Lean JSON lines: the common fields, nothing null, typed arguments (`kcap read -j`).
        case leanJSON
        /// A `-p` format (already validated or not: the sink throws `FilterError` for a bad one).
        case format(String)
        /// Nothing printed: events are only counted (benchmarks, `--quiet` style scans).
        case none
    }

    /// Options of one read.
    public struct Options {
        /// Compiled filter, nil for none.
        public var filter: EventFilter?
        /// Stop after this many events written.
        public var maxEvents: UInt64?
        /// Boot-time ns bounds (`--since`/`--until`).
        public var startNs: UInt64?
        /// Upper bound, inclusive.
        public var endNs: UInt64 = .max
        /// Time column mode.
        public var timeMode: EventPrinter.TimeMode = .absolute
        /// Options with nothing set.
        public init() {}
    }

    /// Runs the read; returns how many events passed the filter (and were written). The sink and the filter
    /// share one printer, made for the replay's engine. Throws `OutputError` when the output fails or closes,
    /// `FilterError` for a bad format, and the reader's errors.
    public static func run(_ replay: CaptureReplay, output: Output, to out: OutputBuffer, options: Options) throws -> UInt64 {
        let printer = EventPrinter(engine: replay.engine)
        switch output {
        case .text: return try play(replay, TextSink(out: out, printer: printer, timeMode: options.timeMode), printer, options)
        case .json: return try play(replay, JSONSink(out: out, printer: printer, timeMode: options.timeMode), printer, options)
        case .leanJSON: return try play(replay, LeanJSONSink(out: out, printer: printer), printer, options)
        case .format(let f):
            return try play(replay, try FormatSink(format: f, out: out, printer: printer, timeMode: options.timeMode), printer,
                            options)
        case .none: return try play(replay, NullSink(), printer, options)
        }
    }

    /// Runs `kcap stats`' pass: the events that pass the filter and the window are counted into `statistics`;
    /// returns how many. `options.maxEvents` and `timeMode` do not apply. Throws the reader's errors.
    public static func run(_ replay: CaptureReplay, into statistics: CaptureStatistics, options: Options) throws -> UInt64 {
        var options = options
        options.maxEvents = nil
        return try play(replay, StatisticsSink(statistics: statistics), EventPrinter(engine: replay.engine), options)
    }

    static func play<S: EventSink>(_ replay: CaptureReplay, _ sink: S, _ printer: EventPrinter, _ options: Options) throws
        -> UInt64 {
        var c = FilteredSink(sink: sink, filter: options.filter, printer: printer, maxEvents: options.maxEvents)
        c.startNs = options.startNs ?? 0
        c.endNs = options.endNs
        try replay.run(from: options.startNs, into: &c)
        if let e = c.error { throw e }
        try c.sink.finish()
        return c.written
    }
}

/// A sink that prints nothing (counting scans).
public struct NullSink: EventSink {
    /// A sink.
    public init() {}
    /// Does nothing.
    @inline(__always) public mutating func write(_ event: Event) throws(OutputError) {}
    /// Does nothing.
    public mutating func finish() throws(OutputError) {}
}
