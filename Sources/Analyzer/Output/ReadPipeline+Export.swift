/// `kcap export`'s pass: the same replay, filter and window as `kcap read`, into the table sinks. Here, in the
/// Analyzer, so the replay loop is specialised for the sinks (see `ReadPipeline`).
extension ReadPipeline {
    /// Runs the export: the events that pass `options.filter` into `events`, every event of the window into
    /// `processes` and `connections` (lifetimes need their forks, closes and exits whether or not they pass);
    /// returns how many events went into `events`.
    /// `options.timeMode` and `maxEvents` do not apply. Throws `OutputError` when a file cannot be written,
    /// and the reader's errors.
    public static func run(_ replay: CaptureReplay, events: ParquetEventSink, processes: ProcessesTableSink,
                           connections: ConnectionsTableSink, options: Options) throws -> UInt64 {
        try export(replay, events, TeeSink(processes, connections), events.printer, options)
        return UInt64(events.writer.rowCount)
    }

    /// The same into an hourly partitioned events dataset.
    public static func run(_ replay: CaptureReplay, events: PartitionedEventSink, processes: ProcessesTableSink,
                           connections: ConnectionsTableSink, options: Options) throws -> UInt64 {
        try export(replay, events, TeeSink(processes, connections), events.printer, options)
        return UInt64(events.rowsWritten)
    }

    /// The events that pass `options.filter` as a Chrome JSON trace (Perfetto); returns how many.
    public static func run(_ replay: CaptureReplay, trace: ChromeTraceSink, options: Options) throws -> UInt64 {
        var o = options
        o.maxEvents = nil
        return try play(replay, trace, trace.printer, o)
    }

    /// The events that pass `options.filter` as a Perfetto protobuf trace; returns how many.
    public static func run(_ replay: CaptureReplay, trace: PerfettoTraceSink, options: Options) throws -> UInt64 {
        var o = options
        o.maxEvents = nil
        return try play(replay, trace, trace.printer, o)
    }

    /// The Perfetto trace of a sysdig capture.
    public static func run(_ replay: Replay<ScapFileSource>, trace: PerfettoTraceSink, options: Options) throws -> UInt64 {
        var o = options
        o.maxEvents = nil
        return try play(replay, trace, trace.printer, o)
    }

    /// The tables of a sysdig capture.
    public static func run(_ replay: Replay<ScapFileSource>, events: ParquetEventSink, processes: ProcessesTableSink,
                           connections: ConnectionsTableSink, options: Options) throws -> UInt64 {
        try export(replay, events, TeeSink(processes, connections), events.printer, options)
        return UInt64(events.writer.rowCount)
    }

    /// The partitioned tables of a sysdig capture.
    public static func run(_ replay: Replay<ScapFileSource>, events: PartitionedEventSink, processes: ProcessesTableSink,
                           connections: ConnectionsTableSink, options: Options) throws -> UInt64 {
        try export(replay, events, TeeSink(processes, connections), events.printer, options)
        return UInt64(events.rowsWritten)
    }

    /// The trace of a sysdig capture.
    public static func run(_ replay: Replay<ScapFileSource>, trace: ChromeTraceSink, options: Options) throws -> UInt64 {
        var o = options
        o.maxEvents = nil
        return try play(replay, trace, trace.printer, o)
    }

    private static func export<Source: WindowedRecordSource, E: EventSink>(_ replay: Replay<Source>, _ events: E,
                                             _ tables: TeeSink<ProcessesTableSink, ConnectionsTableSink>,
                                             _ printer: EventPrinter, _ options: Options) throws {
        var everything = options
        everything.filter = nil
        everything.maxEvents = nil
        _ = try play(replay, SplitSink(all: tables, matched: events, filter: options.filter, printer: printer),
                     printer, everything)
    }
}
