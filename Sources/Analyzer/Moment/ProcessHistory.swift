import CaptureFormat

/// `kcap ps --all`: every process a capture saw, with when it started and when (and how) it ended, from a
/// replay of the whole capture: the processes of its snapshots, those forked while it recorded, their last
/// exec, and the exit of their last thread.
public final class ProcessHistory: EventCounter {
    /// One process's life, as far as the capture saw it.
    public struct Row: Equatable, Sendable, Encodable {
        public var pid: UInt32
        public var ppid: UInt32
        public var uid: UInt32
        /// The user's name from the capture's tables, nil when it has none.
        public var user: String?
        /// Boot-time ns of its start (its fork, or what a snapshot said), nil when unknown.
        public var startNs: UInt64?
        /// Boot-time ns of its last thread's exit, nil when it outlived the capture.
        public var exitNs: UInt64?
        /// Exit status (`exit(n)`), nil while it lives or when a signal ended it.
        public var exitStatus: Int32?
        /// The signal that ended it, nil when it exited or lives.
        public var exitSignal: Int32?
        /// Command name (of its main thread, after its last exec).
        public var comm: String
        /// Executable path and argv after its last exec.
        public var exe: String
        public var args: [String]
    }

    private let engine: Engine
    /// Rows in the order processes were first seen; a pid used again after an exit gets a new row.
    private var rowList: [Row] = []
    private var latest: [UInt32: Int] = [:]

    /// A history of the processes `engine` replays.
    public init(engine: Engine) {
        self.engine = engine
    }

    /// Follows one event: a first sight, a fork, an exec, an exit.
    public func add(_ event: Event) {
        let pid = event.pid
        let row = rowIndex(pid, event.process, comm: event.thread.comm)
        switch event.kind {
        case .procfork:
            guard let fork = try? ForkRecord(event.record), fork.childPid != pid else { return }
            // The child starts as a copy of its parent; its own exec, if any, comes later.
            var child = rowList[row]
            child.pid = fork.childPid
            child.ppid = pid
            child.startNs = event.timestampNs
            child.exitNs = nil
            child.exitStatus = nil
            child.exitSignal = nil
            child.comm = fork.childComm
            latest[fork.childPid] = rowList.count
            rowList.append(child)
        case .procexec:
            let p = event.process
            rowList[row].exe = p.exe
            rowList[row].args = p.args
            rowList[row].comm = event.thread.comm
        case .procexit:
            guard let exit = try? ExitRecord(event.record), exit.groupDead else { return }
            rowList[row].exitNs = event.timestampNs
            if exit.signal != 0 { rowList[row].exitSignal = exit.signal } else { rowList[row].exitStatus = exit.status }
        case .syscall, .signal:
            break
        }
    }

    /// The row of `pid`, made from the engine's facts when the process is new (or its pid was reused).
    private func rowIndex(_ pid: UInt32, _ p: ProcessState, comm: String) -> Int {
        if let i = latest[pid], rowList[i].exitNs == nil { return i }
        latest[pid] = rowList.count
        rowList.append(row(for: p, comm: comm))
        return rowList.count - 1
    }

    private func row(for p: ProcessState, comm: String) -> Row {
        Row(pid: p.pid, ppid: p.ppid, uid: p.uid, user: p.isKnown ? engine.userNames[p.uid] : nil,
            startNs: p.startTimeNs == 0 ? nil : p.startTimeNs, exitNs: nil, exitStatus: nil, exitSignal: nil,
            comm: comm, exe: p.exe, args: p.args)
    }

    /// Every process: those the events showed, and those the engine knows that never made an event (a
    /// snapshot listed them); by start time (unknown first), then pid.
    public func rows() -> [Row] {
        var out = rowList
        let seen = Set(rowList.map(\.pid))
        for p in engine.threads.allProcesses where !seen.contains(p.pid) {
            out.append(row(for: p, comm: engine.threads.thread(p.pid)?.comm ?? ""))
        }
        return out.sorted { a, b in
            let (sa, sb) = (a.startNs ?? 0, b.startNs ?? 0)
            return sa != sb ? sa < sb : a.pid < b.pid
        }
    }
}
