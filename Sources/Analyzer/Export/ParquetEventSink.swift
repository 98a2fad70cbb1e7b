import CaptureFormat
import Parquet

/// Writes events as rows of `EventsTable` into a Parquet file: the sink of `kcap export --format parquet`.
/// Values go straight into the writer's column buffers (text rendered through one reused scratch buffer),
/// so an event costs no allocation once the buffers have grown to a row group.
public struct ParquetEventSink: EventSink {
    /// The file being written.
    public let writer: ParquetFileWriter
    // The writer's columns, unretained (the writer holds them): a retained load per value was a third of the
    // export's time.
    private let columns: [Unmanaged<ParquetColumn>]
    /// The shared renderer (`evt.args`, `evt.res`, `fd.name`).
    public let printer: EventPrinter
    private let scratch = OutputBuffer()
    private let last = LastProcess()

    /// What the previous event's process columns were made from: while an event's thread and process state
    /// are the same (same objects, same strings, same ids), its process columns repeat the previous row's
    /// values instead of being rendered and looked up again.
    final class LastProcess {
        @exclusivity(unchecked) var thread: ThreadState?
        @exclusivity(unchecked) var process: ProcessState?
        @exclusivity(unchecked) var comm = ""
        @exclusivity(unchecked) var exe = ""
        @exclusivity(unchecked) var args: [String] = []
        @exclusivity(unchecked) var container = ""
        @exclusivity(unchecked) var ids: (cwd: Int32, ppid: UInt32, uid: UInt32, gid: UInt32, known: Bool) = (0, 0, 0, 0, false)

        /// True when `e`'s process columns are those of the previous row; remembers `e`'s state otherwise.
        @inline(__always)
        func unchanged(_ e: Event) -> Bool {
            let t = e.thread, p = t.process
            let ids = (p.cwd, p.ppid, p.uid, p.gid, p.isKnown)
            if thread === t, process === p, self.ids == ids, comm == t.comm, exe == p.exe, args == p.args,
               container == p.containerID {
                return true
            }
            thread = t
            process = p
            self.ids = ids
            comm = t.comm
            exe = p.exe
            args = p.args
            container = p.containerID
            return false
        }
    }

    /// Creates `path` for the events of `printer`'s engine. The schema version and `metadata` (the source
    /// capture, its host) go into the footer's key-value metadata; `createdBy` names kcap and its version.
    public init(path: String, printer: EventPrinter, metadata: [(key: String, value: String)], createdBy: String,
                rowsPerGroup: Int = 1 << 17) throws(ParquetError) {
        writer = try ParquetFileWriter(
            path: path, columns: EventsTable.columns, rowsPerGroup: rowsPerGroup,
            metadata: [("kcap.schema", "events/\(EventsTable.version)")] + metadata, createdBy: createdBy)
        self.printer = printer
        columns = writer.columns.map { Unmanaged.passUnretained($0) }
    }

    @inline(__always)
    private func column(_ c: EventsTable.Column, _ body: (ParquetColumn) -> Void) {
        columns[c.rawValue]._withUnsafeGuaranteedRef(body)
    }

    /// The scratch buffer's bytes as a string value (or null when `present` is false).
    @inline(__always)
    private func rendered(_ c: EventsTable.Column, _ render: (OutputBuffer) -> Bool) {
        scratch.reset()
        let present = render(scratch)
        column(c) { present ? $0.append(bytes: scratch.bytes) : $0.appendNull() }
    }

    /// Appends one row.
    public mutating func write(_ e: Event) throws(OutputError) {
        column(.num) { $0.append(Int64(e.number)) }
        column(.time) { $0.append(e.realtimeNs) }
        column(.cpu) { $0.append(Int64(e.cpu)) }
        column(.type) { $0.append(bytes: e.typeNameBytes) }
        column(.category) { $0.append(e.category) }
        column(.res) { $0.append(printer.resultText(e)) }
        column(.rawres) { $0.append(e.isSyscall ? e.result : nil) }
        column(.failed) { $0.append(e.failed) }
        column(.latency) { $0.append(e.latencyNs.map { Int64(clamping: $0) }) }
        column(.buflen) { $0.append(e.bufferLength) }
        rendered(.args) { printer.appendArgs(e, to: $0); return true }
        column(.pid) { $0.append(Int64(e.pid)) }
        let same = last.unchanged(e)
        column(.ppid) { if !same || !$0.repeatLast() { $0.append(e.ppid.map { Int64($0) }) } }
        column(.name) { if !same || !$0.repeatLast() { $0.append(e.procName) } }
        column(.exe) { if !same || !$0.repeatLast() { $0.append(e.exe) } }
        column(.exepath) { if !same || !$0.repeatLast() { $0.append(e.exePath) } }
        if !same || !columns[EventsTable.Column.cmdline.rawValue]._withUnsafeGuaranteedRef({ $0.repeatLast() }) {
            rendered(.cmdline) { out in
                guard let name = e.procName else { return false }
                out.append(name)
                let rest = e.process.argsText
                if !rest.isEmpty { out.append(UInt8(ascii: " ")); out.append(rest) }
                return true
            }
        }
        let cwd = e.process.cwd
        column(.cwd) { c in
            if same, c.repeatLast() { return }
            cwd >= 0 ? e.engine.paths.withBytes(cwd) { c.append(bytes: $0) } : c.appendNull()
        }
        // The parent's name can change without this process changing (the parent execs): looked up each time.
        column(.pname) { $0.append(e.ancestor(1).flatMap { e.name(of: $0) }) }
        column(.tid) { $0.append(Int64(e.tid)) }
        column(.uid) { if !same || !$0.repeatLast() { $0.append(e.uid.map { Int64($0) }) } }
        column(.gid) { if !same || !$0.repeatLast() { $0.append(e.gid.map { Int64($0) }) } }
        column(.container) { if !same || !$0.repeatLast() { $0.append(e.containerID) } }
        column(.fdNum) { $0.append(e.fdNumber) }
        column(.fdType) { $0.append(e.fdType) }
        rendered(.fdName) { out in
            guard let entry = e.fdEntry, entry.hasName else { return false }
            printer.appendFdName(entry, to: out)
            return true
        }
        column(.fdIno) { $0.append(e.fdInode.map { Int64(bitPattern: $0) }) }
        column(.l4proto) { $0.append(e.l4proto) }
        let local = e.inetTuple == nil ? nil : e.endpoint(local: true)
        let remote = e.inetTuple == nil ? nil : e.endpoint(local: false)
        column(.lip) { $0.append(local.flatMap { IPAddress(bytes: $0.address)?.description }) }
        column(.lport) { $0.append(local.map { Int64($0.port) }) }
        column(.rip) { $0.append(remote.flatMap { IPAddress(bytes: $0.address)?.description }) }
        column(.rport) { $0.append(remote.map { Int64($0.port) }) }
        do { try writer.endRow() } catch { throw .export(error.description) }
    }

    /// Writes the last row group and the footer.
    public mutating func finish() throws(OutputError) {
        do { try writer.close() } catch { throw .export(error.description) }
    }
}
