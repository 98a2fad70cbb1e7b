/// `kcap lsof`: the open fds an engine knows, by process and fd number, named as `kcap read` names them
/// (paths, `client:port->server:port` tuples, `pipe:[inode]`).
public struct OpenFileListing: Equatable, Sendable {
    /// One open fd.
    public struct Row: Equatable, Sendable, Encodable {
        public var pid: UInt32
        /// The process's command name.
        public var comm: String
        public var fd: Int32
        /// `fd.type` (file, directory, ipv4, unix, pipe…).
        public var type: String
        /// `fd.name`, "" when unknown.
        public var name: String
        /// Open flags (O_*) as /proc/PID/fdinfo shows them (`FdEntry.fdinfoFlags`).
        public var openFlags: UInt32
        /// A socket's state: LISTEN, CONNECTED, UNCONNECTED; nil for other fds and when unknown.
        public var state: String? = nil
        /// The process's host, in a capture of several hosts (nil otherwise).
        public var host: String? = nil
    }

    /// The rows, by pid then fd.
    public let rows: [Row]

    /// The listing of `engine`'s tables, restricted to `pid` when given: each host's in turn when the capture
    /// holds several.
    public init(engine: Engine, pid: UInt32? = nil) {
        guard engine.hostCount > 1 else {
            rows = Self.rows(engine, pid: pid)
            return
        }
        var all: [Row] = []
        engine.forEachHost { _ in
            all += Self.rows(engine, pid: pid).map { var r = $0; r.host = engine.hostName; return r }
        }
        rows = all
    }

    /// The rows of the engine's current tables.
    static func rows(_ engine: Engine, pid: UInt32?) -> [Row] {
        let printer = EventPrinter(engine: engine)
        let name = OutputBuffer()
        // The main thread's command name, or the first known thread's.
        var comms: [UInt32: String] = [:]
        for t in engine.threads.allThreads where comms[t.process.pid] == nil || t.tid == t.process.pid {
            comms[t.process.pid] = t.comm
        }
        var out: [Row] = []
        for p in engine.threads.allProcesses where pid == nil || p.pid == pid {
            let comm = comms[p.pid] ?? ""
            for fd in p.fds.allFds() {
                guard let e = p.fds[fd] else { continue }
                name.reset()
                printer.appendFdName(e, to: name)
                var row = Row(pid: p.pid, comm: comm, fd: fd, type: FdNameRenderer.typeName(e.kind), name: name.string,
                              openFlags: e.fdinfoFlags)
                if e.isSocket, e.socketState != .unknown { row.state = e.socketState.name }
                out.append(row)
            }
        }
        return out
    }
}
