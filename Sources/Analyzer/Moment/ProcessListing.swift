/// `kcap ps`: the processes an engine knows, as a tree (each process under its parent, roots by pid), with
/// the facts `ps -ef` shows: user, threads, start time, command line.
public struct ProcessListing: Equatable, Sendable {
    /// One process.
    public struct Row: Equatable, Sendable, Encodable {
        /// Depth in the tree (0: its parent is not known).
        public var depth: Int
        public var pid: UInt32
        public var ppid: UInt32
        public var uid: UInt32
        /// The user's name from the capture's tables, nil when it has none.
        public var user: String?
        /// Threads known.
        public var threads: Int
        /// Boot-time ns of its start, nil when the capture never saw it.
        public var startNs: UInt64?
        /// Command name of its main thread (or of its first known thread).
        public var comm: String
        /// Executable path.
        public var exe: String
        /// argv.
        public var args: [String]
        /// Working directory.
        public var cwd: String
        /// The process's host, in a capture of several hosts (nil otherwise).
        public var host: String? = nil
    }

    /// The rows in tree order.
    public let rows: [Row]

    /// The listing of `engine`'s tables: each host's tree in turn when the capture holds several.
    public init(engine: Engine) {
        guard engine.hostCount > 1 else {
            rows = Self.rows(engine)
            return
        }
        var all: [Row] = []
        engine.forEachHost { _ in
            all += Self.rows(engine).map { var r = $0; r.host = engine.hostName; return r }
        }
        rows = all
    }

    /// The tree of the engine's current tables.
    static func rows(_ engine: Engine) -> [Row] {
        var byPid: [UInt32: Row] = [:]
        for t in engine.threads.allThreads {
            let p = t.process
            if var row = byPid[p.pid] {
                row.threads += 1
                if t.tid == p.pid { row.comm = t.comm }
                byPid[p.pid] = row
                continue
            }
            byPid[p.pid] = Row(depth: 0, pid: p.pid, ppid: p.ppid, uid: p.uid, user: p.isKnown ? engine.userNames[p.uid] : nil,
                               threads: 1, startNs: p.startTimeNs == 0 ? nil : p.startTimeNs, comm: t.comm, exe: p.exe,
                               args: p.args, cwd: p.cwd < 0 ? "" : engine.paths.string(p.cwd))
        }
        var children: [UInt32: [UInt32]] = [:]
        var roots: [UInt32] = []
        for pid in byPid.keys.sorted() {
            let ppid = byPid[pid]!.ppid
            if ppid != pid, byPid[ppid] != nil { children[ppid, default: []].append(pid) } else { roots.append(pid) }
        }
        var out: [Row] = []
        var visited = Set<UInt32>()
        // Depth first, iteratively (a hostile capture can chain a million processes).
        var stack: [(UInt32, Int)] = roots.reversed().map { ($0, 0) }
        while let (pid, depth) = stack.popLast() {
            guard visited.insert(pid).inserted, var row = byPid[pid] else { continue }
            row.depth = depth
            out.append(row)
            for child in (children[pid] ?? []).reversed() { stack.append((child, depth + 1)) }
        }
        // A cycle of parents (possible only in a damaged capture) has no root: list what it left out, flat.
        for pid in byPid.keys.sorted() where !visited.contains(pid) { out.append(byPid[pid]!) }
        return out
    }
}
