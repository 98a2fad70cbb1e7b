/// `kcap export`'s pass: the same replay, filter and window as `kcap read`, into the table sinks. Here, in the
/// Analyzer, so the replay loop is specialised for the sinks (see `ReadPipeline`).
extension ReadPipeline {
    /// Runs the export: the events that pass `options.filter` into `events`, every event of the window into
    /// `processes` (lifetimes need their forks and exits); returns how many events went into `events`.
    /// `options.timeMode` and `maxEvents` do not apply. Throws `OutputError` when a file cannot be written,
    /// and the reader's errors.
    public static func run(_ replay: CaptureReplay, events: ParquetEventSink, processes: ProcessesTableSink,
                           options: Options) throws -> UInt64 {
        try export(replay, events, processes, events.printer, options)
        return UInt64(events.writer.rowCount)
    }

    /// The same into an hourly partitioned events dataset.
    public static func run(_ replay: CaptureReplay, events: PartitionedEventSink, processes: ProcessesTableSink,
                           options: Options) throws -> UInt64 {
        try export(replay, events, processes, events.printer, options)
        return UInt64(events.rowsWritten)
    }

    private static func export<E: EventSink>(_ replay: CaptureReplay, _ events: E, _ processes: ProcessesTableSink,
                                             _ printer: EventPrinter, _ options: Options) throws {
        var everything = options
        everything.filter = nil
        everything.maxEvents = nil
        _ = try play(replay, SplitSink(all: processes, matched: events, filter: options.filter, printer: printer),
                     printer, everything)
    }
}
