/// `kcap report` as a sink: every event of the window goes to the accumulator, which follows lifetimes with
/// all of them and counts the ones its filter selects (the pipeline's own filter is off: see
/// `ReadPipeline.run(_:report:options:)`).
public struct ReportSink: EventSink {
    /// The figures.
    public let accumulator: ReportAccumulator

    /// A sink into `accumulator`.
    public init(accumulator: ReportAccumulator) {
        self.accumulator = accumulator
    }

    /// Follows and counts one event.
    @inline(__always)
    public mutating func write(_ event: Event) throws(OutputError) {
        accumulator.add(event)
    }

    /// Nothing is buffered.
    public mutating func finish() throws(OutputError) {}
}

extension ReadPipeline {
    /// Runs `kcap report`'s pass: every event of the window (`options.startNs...endNs`) into the report's
    /// accumulator, which applies its own filter (`options.filter` is not applied here: lifetimes need every
    /// fork and exit). Returns how many events of the window there were.
    public static func run(_ replay: CaptureSetReplay, report: ReportAccumulator, options: Options) throws -> UInt64 {
        try playReport(replay, report, options)
    }

    /// The same over a sysdig capture.
    public static func run(_ replay: Replay<ScapFileSource>, report: ReportAccumulator, options: Options) throws -> UInt64 {
        try playReport(replay, report, options)
    }

    static func playReport<Source: WindowedRecordSource>(_ replay: Replay<Source>, _ report: ReportAccumulator,
                                                        _ options: Options) throws -> UInt64 {
        var o = options
        o.filter = nil
        o.maxEvents = nil
        return try play(replay, ReportSink(accumulator: report), report.printer, o)
    }
}
