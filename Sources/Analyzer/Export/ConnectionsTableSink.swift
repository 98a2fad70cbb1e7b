import CaptureFormat
import EventSchema
import Parquet

/// Follows sockets through every event and writes one `ConnectionsTable` row per socket name a process
/// held: when the fd is closed, renamed (a connect after a bind), or its process exits, and at the end of the
/// capture for the rest. Bytes and calls count as `kcap stats` counts them (`CaptureStatistics.transferred`),
/// so the table's sums per `fd.name` are its connections.
public struct ConnectionsTableSink: EventSink {
    /// The file being written.
    public let writer: ParquetFileWriter
    private let state = State()

    /// One open row.
    final class Connection {
        let pid: UInt32
        let fd: Int32
        let name: String
        let comm: String
        let kind: String
        let l4proto: String?
        let local: (ip: String?, port: UInt16)?
        let remote: (ip: String?, port: UInt16)?
        let startNs: UInt64
        var bytesRead: Int64 = 0, bytesWritten: Int64 = 0, reads: Int64 = 0, writes: Int64 = 0, events: Int64 = 0

        init(_ e: Event, name: String) {
            pid = e.pid
            fd = e.fd
            self.name = name
            comm = e.procName ?? ""
            kind = e.fdType ?? ""
            l4proto = e.l4proto
            local = e.endpoint(local: true).map { (IPAddress(bytes: $0.address)?.description, $0.port) }
            remote = e.endpoint(local: false).map { (IPAddress(bytes: $0.address)?.description, $0.port) }
            startNs = e.timestampNs
        }
    }

    /// Open rows by pid and fd, and what is needed to place times; shared by the pipeline's copy of the sink.
    final class State {
        var open: [UInt64: Connection] = [:]
        var realtimeOffsetNs: Int64 = 0
    }

    /// Creates `path`; `metadata` and the schema version go into the footer.
    public init(path: String, metadata: [(key: String, value: String)], createdBy: String) throws(ParquetError) {
        writer = try ParquetFileWriter(
            path: path, columns: ConnectionsTable.columns,
            metadata: [("kcap.schema", "connections/\(ConnectionsTable.version)")] + metadata, createdBy: createdBy)
    }

    @inline(__always) private static func key(_ pid: UInt32, _ fd: Int32) -> UInt64 {
        UInt64(pid) << 32 | UInt64(UInt32(bitPattern: fd))
    }

    /// Counts the event into its socket's row; opens, renames and closes rows.
    public mutating func write(_ e: Event) throws(OutputError) {
        let s = state
        if e.kind == .procexit {
            if ExitRecord(unchecked: e.record).groupDead {
                let pid = e.pid
                for (k, c) in s.open where c.pid == pid {
                    s.open.removeValue(forKey: k)
                    try emit(c, endNs: e.timestampNs)
                }
            }
            return
        }
        guard e.isSyscall, e.fd != Event.noFd, let entry = e.fdEntry, entry.isSocket, entry.hasName else { return }
        s.realtimeOffsetNs = e.engine.realtimeOffsetNs
        let k = Self.key(e.pid, e.fd)
        let name = e.fdName ?? ""
        var c = s.open[k]
        if let old = c, old.name != name {
            s.open.removeValue(forKey: k)
            try emit(old, endNs: e.timestampNs)
            c = nil
        }
        let conn = c ?? Connection(e, name: name)
        if c == nil { s.open[k] = conn }
        if !e.isEntry { conn.events += 1 }  // one per syscall, as kcap stats counts
        if let (bytes, isRead) = CaptureStatistics.transferred(e, flags: e.info?.flags ?? []) {
            if isRead { conn.bytesRead &+= Int64(clamping: bytes); conn.reads += 1 }
            else { conn.bytesWritten &+= Int64(clamping: bytes); conn.writes += 1 }
        }
        if e.engine.effects.effect(UInt16(truncatingIfNeeded: e.syscall.nr)) == .close, !e.failed {
            s.open.removeValue(forKey: k)
            try emit(conn, endNs: e.timestampNs)
        }
    }

    /// Writes the rows still open (by pid, then fd: the same file on every run), then the footer.
    public mutating func finish() throws(OutputError) {
        for k in state.open.keys.sorted() { try emit(state.open[k]!, endNs: nil) }
        state.open.removeAll()
        do { try writer.close() } catch { throw .export(error.description) }
    }

    private func emit(_ c: Connection, endNs: UInt64?) throws(OutputError) {
        let cols = writer.columns
        func col(_ k: ConnectionsTable.Column) -> ParquetColumn { cols[k.rawValue] }
        let offset = state.realtimeOffsetNs
        col(.pid).append(Int64(c.pid))
        col(.name).append(c.comm.isEmpty ? nil : c.comm)
        col(.fdNum).append(Int64(c.fd))
        col(.fdType).append(c.kind)
        col(.fdName).append(c.name)
        col(.l4proto).append(c.l4proto)
        col(.lip).append(c.local?.ip)
        col(.lport).append(c.local.map { Int64($0.port) })
        col(.rip).append(c.remote?.ip)
        col(.rport).append(c.remote.map { Int64($0.port) })
        col(.start).append(wallClock(bootNs: c.startNs, offsetNs: offset))
        col(.end).append(endNs.map { wallClock(bootNs: $0, offsetNs: offset) })
        col(.bytesRead).append(c.bytesRead)
        col(.bytesWritten).append(c.bytesWritten)
        col(.reads).append(c.reads)
        col(.writes).append(c.writes)
        col(.events).append(c.events)
        do { try writer.endRow() } catch { throw .export(error.description) }
    }
}
