/// `kcap export`'s pass: the same replay, filter and window as `kcap read`, into a table sink. Here, in the
/// Analyzer, so the replay loop is specialised for the sink (see `ReadPipeline`).
extension ReadPipeline {
    /// Runs the export into `sink` (whose printer renders the filter's fields too); returns how many events
    /// were written. `options.timeMode` does not apply. Throws `OutputError` when the file cannot be written,
    /// and the reader's errors.
    public static func run(_ replay: CaptureReplay, into sink: ParquetEventSink, options: Options) throws -> UInt64 {
        try play(replay, sink, sink.printer, options)
    }
}
