import CaptureFormat
import Parquet

/// Follows process lifetimes through every event and writes one `ProcessesTable` row per lifetime: at the
/// process's exit (the engine still holds its final state then: it removes a process after its exit event),
/// or when its pid is forked again, or at the end of the capture for the processes still alive.
public struct ProcessesTableSink: EventSink {
    /// The file being written.
    public let writer: ParquetFileWriter
    // The writer's columns, unretained (the writer holds them): a retained load per value was a third of the
    // export's time.
    private let columns: [Unmanaged<ParquetColumn>]
    private let lifetimes = Lifetimes()
    private let scratch = OutputBuffer()

    /// What is known of one open lifetime.
    final class Lifetime {
        let process: ProcessState
        let startNs: UInt64?
        @exclusivity(unchecked) var events: Int64 = 0
        /// The main thread's name as last seen (any thread's until the main one shows up).
        @exclusivity(unchecked) var comm = ""
        init(process: ProcessState, startNs: UInt64?) {
            self.process = process
            self.startNs = startNs
        }
    }

    /// The open lifetimes by pid, and the fork times of children not seen yet; a class, so the sink's copies
    /// (the pipeline holds one) share them.
    final class Lifetimes {
        // Unchecked: touched on every event, by one sink on one thread.
        @exclusivity(unchecked) var open: [UInt32: Lifetime] = [:]
        @exclusivity(unchecked) var forkedNs: [UInt32: UInt64] = [:]
        @exclusivity(unchecked) var lastPid: UInt32 = .max
        @exclusivity(unchecked) var last: Lifetime?
        @exclusivity(unchecked) var realtimeOffsetNs: Int64 = 0
    }

    /// Creates `path`; `metadata` and the schema version go into the footer.
    public init(path: String, metadata: [(key: String, value: String)], createdBy: String) throws(ParquetError) {
        writer = try ParquetFileWriter(
            path: path, columns: ProcessesTable.columns,
            metadata: [("kcap.schema", "processes/\(ProcessesTable.version)")] + metadata, createdBy: createdBy)
        columns = writer.columns.map { Unmanaged.passUnretained($0) }
    }

    /// Counts the event into its process's lifetime; forks and exits open and close lifetimes.
    public mutating func write(_ e: Event) throws(OutputError) {
        let l = lifetimes
        let pid = e.pid
        if e.kind == .procfork {
            let fork = ForkRecord(unchecked: e.record)
            if !fork.isThread {
                if let old = l.open.removeValue(forKey: fork.childPid) { try emit(old, endNs: nil, exit: nil) }
                l.forkedNs[fork.childPid] = e.timestampNs
                if l.lastPid == fork.childPid { l.lastPid = .max; l.last = nil }
            }
        }
        let lifetime: Lifetime
        if pid == l.lastPid, let last = l.last {
            lifetime = last
        } else if let found = l.open[pid] {
            lifetime = found
        } else {
            l.realtimeOffsetNs = e.engine.realtimeOffsetNs
            let start = l.forkedNs.removeValue(forKey: pid) ?? (e.process.startTimeNs == 0 ? nil : e.process.startTimeNs)
            lifetime = Lifetime(process: e.process, startNs: start)
            l.open[pid] = lifetime
        }
        l.lastPid = pid
        l.last = lifetime
        lifetime.events += 1
        if e.tid == pid || lifetime.comm.isEmpty { lifetime.comm = e.thread.comm }
        if e.kind == .procexit {
            let exit = ExitRecord(unchecked: e.record)
            if exit.groupDead {
                l.open.removeValue(forKey: pid)
                l.lastPid = .max
                l.last = nil
                try emit(lifetime, endNs: e.timestampNs, exit: exit)
            }
        }
    }

    /// Writes the lifetimes still open (by pid, so the file is the same on every run), then the footer.
    public mutating func finish() throws(OutputError) {
        for pid in lifetimes.open.keys.sorted() {
            try emit(lifetimes.open[pid]!, endNs: nil, exit: nil)
        }
        lifetimes.open.removeAll()
        do { try writer.close() } catch { throw .export(error.description) }
    }

    private func emit(_ l: Lifetime, endNs: UInt64?, exit: ExitRecord?) throws(OutputError) {
        let p = l.process
        let offset = lifetimes.realtimeOffsetNs
        func column(_ c: ProcessesTable.Column, _ body: (ParquetColumn) -> Void) {
            columns[c.rawValue]._withUnsafeGuaranteedRef(body)
        }
        let comm = l.comm
        column(.pid) { $0.append(Int64(p.pid)) }
        column(.ppid) { $0.append(p.isKnown ? Int64(p.ppid) : nil) }
        column(.name) { $0.append(comm.isEmpty ? nil : comm) }
        column(.exepath) { $0.append(p.exe.isEmpty ? nil : p.exe) }
        column(.cmdline) { c in
            guard !comm.isEmpty else { return c.appendNull() }
            let rest = p.argsText
            c.append(rest.isEmpty ? comm : comm + " " + rest)
        }
        column(.uid) { $0.append(p.uid == .max ? nil : Int64(p.uid)) }
        column(.gid) { $0.append(p.gid == .max ? nil : Int64(p.gid)) }
        column(.container) { $0.append(!p.containerID.isEmpty ? p.containerID : (p.isKnown ? "host" : nil)) }
        column(.start) { $0.append(l.startNs.map { wallClock(bootNs: $0, offsetNs: offset) }) }
        column(.end) { $0.append(endNs.map { wallClock(bootNs: $0, offsetNs: offset) }) }
        column(.exitStatus) { $0.append(exit.flatMap { $0.signal == 0 ? Int64($0.status) : nil }) }
        column(.exitSignal) { $0.append(exit.flatMap { $0.signal == 0 ? nil : Int64($0.signal) }) }
        column(.events) { $0.append(l.events) }
        do { try writer.endRow() } catch { throw .export(error.description) }
    }
}
