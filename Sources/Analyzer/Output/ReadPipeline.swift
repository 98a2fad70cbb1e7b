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
        /// JSON lines of a format's fields (`-j -p FORMAT`).
        case fieldsJSON(String)
        /// JSON lines of a list of fields (`-j --json-fields evt.num,proc.name`).
        case fieldListJSON(String)
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
        /// Also hand over the records a slice kept only for their state changes (`RecordFlags.context`).
        public var showContext = false
        /// How data buffers print (`-A`, `-X`).
        public var bufferFormat: EventPrinter.BufferFormat = .dots
        /// Options with nothing set.
        public init() {}
    }

    /// Runs the read; returns how many events passed the filter (and were written). The sink and the filter
    /// share one printer, made for the replay's engine. Throws `OutputError` when the output fails or closes,
    /// `FilterError` for a bad format, and the reader's errors.
    public static func run(_ replay: CaptureReplay, output: Output, to out: OutputBuffer, options: Options) throws -> UInt64 {
        try printEvents(replay, output: output, to: out, options: options)
    }

    /// `run(_:output:to:options:)` over several captures read as one.
    public static func run(_ replay: CaptureSetReplay, output: Output, to out: OutputBuffer, options: Options) throws -> UInt64 {
        try printEvents(replay, output: output, to: out, options: options)
    }

    /// `kcap read` of a sysdig capture: the same engine, filter and sinks (`options.startNs` and `endNs`
    /// bound events by their wall-clock ns, which is what a scap capture's clock is).
    public static func run(_ replay: Replay<ScapFileSource>, output: Output, to out: OutputBuffer, options: Options) throws -> UInt64 {
        try printEvents(replay, output: output, to: out, options: options)
    }

    /// `kcap read -f`: prints what the followed capture holds, then what lands in it, flushing after each
    /// look, until the file is finished (the recorder stopped), `-n` events were printed, or `wait` (called
    /// between looks; it sleeps) says to stop. Returns how many events were written.
    public static func follow(_ replay: Replay<FollowedCaptureSource>, output: Output, to out: OutputBuffer, options: Options,
                              wait: @escaping () -> Bool) throws -> UInt64 {
        try printEvents(replay, output: output, to: out, options: options, following: wait)
    }

    static func printEvents<Source: WindowedRecordSource>(_ replay: Replay<Source>, output: Output, to out: OutputBuffer,
                                                    options: Options, following wait: (() -> Bool)? = nil) throws -> UInt64 {
        let printer = EventPrinter(engine: replay.engine)
        printer.bufferFormat = options.bufferFormat
        // Records no filter can match and that change no state are only numbered.
        replay.engine.restrict(toTypeCodes: options.filter.flatMap { EventTypeSet.codes($0, machine: replay.engine.machine) })
        switch output {
        case .text: return try play(replay, TextSink(out: out, printer: printer, timeMode: options.timeMode), printer, options, wait)
        case .json: return try play(replay, JSONSink(out: out, printer: printer, timeMode: options.timeMode), printer, options, wait)
        case .leanJSON: return try play(replay, LeanJSONSink(out: out, printer: printer), printer, options, wait)
        case .format(let f):
            return try play(replay, try FormatSink(format: f, out: out, printer: printer, timeMode: options.timeMode), printer,
                            options, wait)
        case .fieldsJSON(let f):
            return try play(replay, try FieldsJSONSink(format: f, out: out, printer: printer), printer, options, wait)
        case .fieldListJSON(let list):
            return try play(replay, try FieldsJSONSink(fieldList: list, out: out, printer: printer), printer, options, wait)
        case .none: return try play(replay, NullSink(), printer, options, wait)
        }
    }

    /// Runs `kcap stats`' pass: the events that pass the filter and the window are counted into `statistics`;
    /// returns how many. `options.maxEvents` and `timeMode` do not apply. Throws the reader's errors.
    public static func run(_ replay: CaptureReplay, into statistics: CaptureStatistics, options: Options) throws -> UInt64 {
        try count(replay, into: statistics, options: options)
    }

    /// `run(_:into:options:)` over several captures read as one.
    public static func run(_ replay: CaptureSetReplay, into statistics: CaptureStatistics, options: Options) throws -> UInt64 {
        try count(replay, into: statistics, options: options)
    }

    static func count<Source: WindowedRecordSource>(_ replay: Replay<Source>, into statistics: CaptureStatistics,
                                                    options: Options) throws -> UInt64 {
        var options = options
        options.maxEvents = nil
        return try play(replay, StatisticsSink(statistics: statistics), EventPrinter(engine: replay.engine), options)
    }

    /// `kcap stats` of a sysdig capture.
    public static func run(_ replay: Replay<ScapFileSource>, into statistics: CaptureStatistics, options: Options) throws -> UInt64 {
        try count(replay, into: statistics, options: options)
    }

    /// Runs `kcap stats --by/--interval`'s pass: the events that pass the filter and the window are counted into
    /// their groups; returns how many. `options.maxEvents` and `timeMode` do not apply.
    public static func run(_ replay: CaptureSetReplay, into statistics: GroupedStatistics, options: Options) throws -> UInt64 {
        var options = options
        options.maxEvents = nil
        return try play(replay, CountingSink(statistics: statistics), statistics.printer, options)
    }

    /// Runs `kcap ps --all`'s pass: every event of the capture(s) through `history`.
    public static func run(_ replay: CaptureSetReplay, into history: ProcessHistory) throws {
        _ = try play(replay, CountingSink(statistics: history), EventPrinter(engine: replay.engine), Options())
    }

    /// Runs `kcap diff`'s profile pass over every event (no filter, no window).
    static func run(_ replay: CaptureSetReplay, into profile: RunProfileSink) throws -> UInt64 {
        try play(replay, profile, profile.printer, Options())
    }

    static func play<Source: WindowedRecordSource, S: EventSink>(_ replay: Replay<Source>, _ sink: S, _ printer: EventPrinter,
                                                                _ options: Options, _ wait: (() -> Bool)? = nil) throws -> UInt64 {
        var c = FilteredSink(sink: sink, filter: options.filter, printer: printer, maxEvents: options.maxEvents)
        c.startNs = options.startNs ?? 0
        c.endNs = options.endNs
        c.showContext = options.showContext
        var more = try replay.run(from: options.startNs, into: &c)
        while true {
            if let e = c.error { throw e }
            try c.sink.finish()
            // Following: look again until the source is finished, the consumer stopped, or the wait says stop.
            guard let wait, more, let followed = replay.source as? FollowedCaptureSource, !followed.isFinished, wait() else { break }
            more = try replay.run(into: &c)
        }
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
