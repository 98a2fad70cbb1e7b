import CaptureFormat

/// `kcap read` as one call: replay a capture through the engine, a filter and a sink.
///
/// It lives in this module so the generic replay loop is specialised for each concrete sink here (a generic
/// call from another module would run unspecialised, with every per-event call going through witness tables).
public enum ReadPipeline {
    /// Which sink.
    public enum Output {
        /// The default line.
        case text
        /// JSON lines.
        case json
        /// A `-p` format (already validated or not: the sink throws `FilterError` for a bad one).
        case format(String)
        /// Nothing printed: events are only counted (benchmarks, `--quiet` style scans).
        case none
    }

    /// Options of one read.
    public struct Options {
        /// Compiled filter, nil for none.
        public var filter: CompiledFilter<Event>?
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

    /// Runs the read; returns how many events passed the filter (and were written). Throws `OutputError` when
    /// the output fails or closes, `FilterError` for a bad format, and the reader's errors.
    public static func run(_ replay: CaptureReplay, output: Output, to out: OutputBuffer, options: Options) throws -> UInt64 {
        let printer = replay.engine.printer
        switch output {
        case .text: return try play(replay, TextSink(out: out, printer: printer, timeMode: options.timeMode), options)
        case .json: return try play(replay, JSONSink(out: out, printer: printer, timeMode: options.timeMode), options)
        case .format(let f):
            return try play(replay, try FormatSink(format: f, out: out, printer: printer, timeMode: options.timeMode), options)
        case .none: return try play(replay, NullSink(), options)
        }
    }

    static func play<S: EventSink>(_ replay: CaptureReplay, _ sink: S, _ options: Options) throws -> UInt64 {
        var c = FilteredSink(sink: sink, filter: options.filter, maxEvents: options.maxEvents)
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
