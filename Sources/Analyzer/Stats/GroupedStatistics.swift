import EventSchema

/// `kcap stats --by FIELD,… [--interval D]`: events counted by the values of any filter fields (as sysdig's
/// chisels group), optionally per time interval: count, errors, syscall time and bytes transferred per group.
///
/// A group is named by the bytes `-p` prints for its fields (`EventPrinter.appendField`), made in one reused
/// buffer and looked up by a 64-bit hash of those bytes, so a counted event allocates nothing once its group
/// exists. A field the event lacks groups under `<NA>`, as `-p '*…'` prints it.
public final class GroupedStatistics {
    /// One group's figures.
    public struct Figures: Equatable, Sendable {
        /// Events.
        public var count: UInt64 = 0
        /// Syscalls that failed.
        public var errors: UInt64 = 0
        /// Time inside syscalls (ns; saturates).
        public var timeNs: UInt64 = 0
        /// Bytes read and written by successful I/O syscalls.
        public var bytes: UInt64 = 0
    }

    /// One row of the report.
    public struct Row: Equatable, Sendable {
        /// The interval's start, in ns after the first event counted (0 without `--interval`).
        public var intervalStartNs: UInt64
        /// The values of the grouping fields, in the order given.
        public var key: [String]
        /// The figures.
        public var figures: Figures
    }

    /// The grouping fields, as given.
    public let fieldNames: [String]
    /// The interval (ns), nil for one table over the whole window.
    public let intervalNs: UInt64?
    private let fields: [(ref: FieldRef, type: FieldType)]
    /// Renders the keys; the replay's filter evaluates with it too.
    let printer: EventPrinter
    private let arch: SyscallArch
    private let ioFlags: [EventFlags]
    private let keyBuffer = OutputBuffer()
    /// Hash of a row's key bytes (interval included) → row; a collision probes the next hash value.
    private var rowByHash: [UInt64: Int] = [:]
    private var rowKeys: [[UInt8]] = []
    private var rowIntervals: [UInt64] = []
    private var rowFigures: [Figures] = []
    /// Boot-time ns of the first event counted: intervals start there.
    private var firstNs: UInt64? = nil

    /// Statistics grouped by `fields` (filter field names, `fd.name`, `evt.arg[0]`…), per `intervalNs` when
    /// given, of events rendered by `printer`. Throws the filter's `FilterError` for an unknown field.
    public init(by fields: [String], intervalNs: UInt64?, printer: EventPrinter) throws {
        var resolved: [(ref: FieldRef, type: FieldType)] = []
        var column = 1
        for name in fields {
            let r = try FieldResolver.resolve(name, column: column)
            if !r.info.supported { throw FilterError(.unsupportedField(name), column: column) }
            resolved.append((r.ref, r.info.type))
            column += name.count + 1
        }
        self.fields = resolved
        fieldNames = fields
        self.intervalNs = intervalNs.map { max($0, 1) }
        self.printer = printer
        arch = printer.arch
        ioFlags = EventTable.all.map { $0.flags }
    }

    /// Counts one event.
    public func add(_ event: Event) {
        let first = firstNs ?? event.timestampNs
        if firstNs == nil { firstNs = first }
        let interval = intervalNs.map { event.timestampNs >= first ? (event.timestampNs - first) / $0 * $0 : 0 } ?? 0
        let row = rowIndex(event, interval: interval)
        rowFigures[row].count &+= 1
        guard event.kind == .syscall else { return }
        if event.failed { rowFigures[row].errors &+= 1 }
        if let l = event.latencyNs {
            let (sum, overflow) = rowFigures[row].timeNs.addingReportingOverflow(l)
            rowFigures[row].timeNs = overflow ? .max : sum
        }
        if let id = EventTable.id(syscall: Int(event.syscallNumber), arch: arch),
           let moved = CaptureStatistics.transferred(event, flags: ioFlags[id]) {
            rowFigures[row].bytes &+= moved.bytes
        }
    }

    /// The row of `event`'s group in `interval`, made when new.
    private func rowIndex(_ event: Event, interval: UInt64) -> Int {
        keyBuffer.reset()
        for (i, f) in fields.enumerated() {
            if i > 0 { keyBuffer.append(0x1F) }  // a unit separator: no printed value holds it
            if !printer.appendField(f.ref, f.type, event, timeMode: .absolute, firstNs: firstNs ?? 0, to: keyBuffer) {
                keyBuffer.append("<NA>")
            }
        }
        var hash = Self.fnv1a(keyBuffer.bytes, seed: interval)
        while let row = rowByHash[hash] {
            if rowIntervals[row] == interval, rowKeys[row].elementsEqual(keyBuffer.bytes) { return row }
            hash &+= 1
        }
        let row = rowKeys.count
        rowByHash[hash] = row
        rowKeys.append(Array(keyBuffer.bytes))
        rowIntervals.append(interval)
        rowFigures.append(Figures())
        return row
    }

    static func fnv1a(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
        for b in bytes {
            h ^= UInt64(b)
            h &*= 0x100_0000_01b3
        }
        return h
    }

    /// The rows: by interval, then by count (largest first), then by key; at most `limit` per interval.
    public func rows(limit: Int = .max) -> [Row] {
        let all = rowKeys.indices.map { i in
            Row(intervalStartNs: rowIntervals[i],
                key: fields.isEmpty ? [] : rowKeys[i].split(separator: 0x1F, omittingEmptySubsequences: false)
                    .map { String(decoding: $0, as: UTF8.self) },
                figures: rowFigures[i])
        }
        let sorted = all.sorted { a, b in
            if a.intervalStartNs != b.intervalStartNs { return a.intervalStartNs < b.intervalStartNs }
            if a.figures.count != b.figures.count { return a.figures.count > b.figures.count }
            return a.key.lexicographicallyPrecedes(b.key)
        }
        var out: [Row] = []
        var run = 0
        for (i, r) in sorted.enumerated() {
            run = i > 0 && sorted[i - 1].intervalStartNs == r.intervalStartNs ? run + 1 : 0
            if run < limit { out.append(r) }
        }
        return out
    }
}
