import CaptureFormat

/// `kcap slice`: a smaller capture that stands alone, cut from one or more captures by time and filter.
///
/// The slice holds the input's header, a snapshot of the state at its start (so it names every process and fd
/// the original names there), the snapshots the input took inside the window, the records the filter passes,
/// and the records the filter hides but whose state changes later records need (forks, execs, exits, opens,
/// closes, dups…), marked `RecordFlags.context` so readers apply them and do not print them. Reading the
/// slice, with or without the filter, prints what reading the input with the window and the filter prints.
/// The input is read from its last snapshot at or before the window (through the block index), so the work
/// follows the slice's size, not the file's.
public enum CaptureSlicer {
    /// What a slice holds.
    public struct Summary: Equatable, Sendable {
        /// Records read from the input (from the snapshot before the window to its end).
        public var recordsRead: UInt64 = 0
        /// Records written that the filter passed.
        public var recordsMatched: UInt64 = 0
        /// Records written only for their state changes.
        public var recordsForState: UInt64 = 0
        /// Snapshots written (the one at the start included).
        public var snapshots = 0
    }

    /// Writes the slice of `readers`' captures (one, or several read as one) to `path`: from `since` to
    /// `until` (`TimeBound` texts; nil: the input's start or end), the events `filter` passes (nil: all).
    /// Throws `TimeBound.ParseError`, `FilterError`, `CaptureSetSource.SetError`, and the readers' and the
    /// writer's `CaptureError`.
    /// `kcap merge` is the slice of several captures with no window and no filter: one capture, by timestamp,
    /// its header saying `mergedFrom` instead of `slicedFrom`. Captures of several hosts make a capture of
    /// several hosts: the header lists them (`hosts`), a `KCAP_REC_HOST` record goes before each run of one
    /// host's records, every snapshot names its host, and every timestamp is on the earliest-booted host's
    /// clock (each host's moved by the difference of the realtime offsets). With `redactor`, every record,
    /// snapshot and the header are redacted as they are written (`Redactor`).
    public static func slice(readers: [CaptureReader], to path: String, since: String?, until: String?, filter: String?,
                             merging: Bool = false, redactor: Redactor? = nil,
                             progress: ((first: UInt64, last: UInt64)?) -> ProgressMeter? = { _ in nil }) throws -> Summary {
        var source = try CaptureSetSource(readers: readers)
        let (startNs, endNs) = try source.window(since: since, until: until)
        source.startNs = startNs
        // The meter spans what is replayed: from the window's start (or the capture's) to its end.
        if let range = source.timeRange {
            source.progress = progress((max(range.first, startNs ?? 0), min(range.last, endNs)))
        }
        let engine = Engine(for: source)
        let printer = EventPrinter(engine: engine)
        let compiled = try filter.map { try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: engine.machine)).compile($0, for: Event.self) }
        var header = source.files[0].reader.header
        // Several hosts: their list, and the set's clock (records and snapshots are moved to it as they are read).
        if source.hosts.count > 1 {
            header.hosts = source.hosts
            header.hostname = source.hosts[0].hostname
            header.bootTimeRealtimeOffsetNs = source.realtimeOffsetNs
        }
        // Says what the file is (kcap info shows the recorder map): a slice, of what, and how it was cut.
        header.recorder[merging ? "mergedFrom" : "slicedFrom"] = readers.map(\.path).joined(separator: " ")
        if let since { header.recorder["sliceSince"] = since }
        if let until { header.recorder["sliceUntil"] = until }
        if let filter { header.recorder["sliceFilter"] = filter }
        let writer = try CaptureWriter(path: path, header: redactor.map { $0.redact(header) } ?? header)
        var receiver = SliceReceiver(engine: engine, writer: writer, matcher: SliceMatcher(filter: compiled, printer: printer),
                                     startNs: startNs ?? 0, endNs: endNs, redactor: redactor)
        _ = try source.feed(into: &receiver)
        try receiver.finish()
        try writer.finish()
        return receiver.summary
    }
}
