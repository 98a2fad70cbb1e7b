/// `kcap export`'s pass: the same replay, filter and window as `kcap read`, into the table sinks. Here, in the
/// Analyzer, so the replay loop is specialised for the sinks (see `ReadPipeline`).
extension ReadPipeline {
    /// Runs the export: the events that pass `options.filter` into `events`, every event of the window into
    /// `processes` (lifetimes need their forks and exits); returns how many events went into `events`.
    /// `options.timeMode` and `maxEvents` do not apply. Throws `OutputError` when a file cannot be written,
    /// and the reader's errors.
    public static func run(_ replay: CaptureReplay, events: ParquetEventSink, processes: ProcessesTableSink,
                           options: Options) throws -> UInt64 {
        var everything = options
        everything.filter = nil
        everything.maxEvents = nil
        let split = SplitSink(all: processes, matched: events, filter: options.filter, printer: events.printer)
        _ = try play(replay, split, events.printer, everything)
        return UInt64(events.writer.rowCount)
    }
}
