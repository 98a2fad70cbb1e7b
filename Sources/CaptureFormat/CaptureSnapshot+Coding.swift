// Binary encoding of a snapshot block's raw payload (docs/capture-format.md, "Snapshot payload").
// Every entry is prefixed by its byte length, so fields appended by a later minor version are skipped.

extension InFlightSyscall {
    /// s32 nr, u32 0, u64 entry time, 6 × u64 arguments.
    static let encodedSize = 4 + 4 + 8 + 6 * 8
}

extension CaptureSnapshot {
    /// Smallest possible encoded thread entry (u32 length + fixed part + empty strings), used to bound counts.
    static let minThreadEntry = 4 + 28 + 4 * 6
    /// Smallest possible encoded fd entry.
    static let minFdEntry = 4 + 24 + 4
    /// Smallest possible encoded user or group entry (u32 length + u32 id + empty name).
    static let minNameEntry = 4 + 4 + 4

    func encodedPayload() -> [UInt8] {
        var s = ByteSink()
        s.write(timestampNs)
        s.write(UInt32(threads.count))
        s.write(UInt32(fds.count))
        for t in threads {
            let start = s.beginLength()
            s.write(t.tid); s.write(t.pid); s.write(t.ppid); s.write(t.uid); s.write(t.gid)
            s.write(t.startTimeNs)
            s.write(t.comm); s.write(t.exe)
            s.write(UInt32(t.args.count))
            for a in t.args { s.write(a) }
            s.write(t.cwd); s.write(t.cgroup); s.write(t.containerID)
            // Format 1.2: the syscall in flight, only when there is one (a 1.1 reader skips these bytes).
            if let c = t.syscall {
                s.write(c.nr); s.write(UInt32(0)); s.write(c.enteredNs)
                for i in 0..<6 { s.write(i < c.args.count ? c.args[i] : 0) }
            }
            s.patchLength(at: start)
        }
        for f in fds {
            let start = s.beginLength()
            s.write(f.pid); s.write(f.fd); s.write(f.kind.rawValue)
            s.write(UInt8(f.socket == nil ? 0 : 1)); s.write(UInt16(0))
            s.write(f.openFlags); s.write(f.inode)
            s.write(f.name)
            if let t = f.socket {
                s.write(t.family); s.write(t.proto); s.write(t.localPort); s.write(t.remotePort)
                s.write(SocketTuple.pad(t.localAddress)); s.write(SocketTuple.pad(t.remoteAddress))
                s.write(t.unixPath)
                // Format 1.3: the socket's state (a 1.2 reader skips the byte).
                s.write(f.socketState.rawValue)
            }
            s.patchLength(at: start)
        }
        // Format 1.1: the name tables follow the fds (a 1.0 reader stops after the fds and never sees them).
        // Sorted by id so the same tables always encode to the same bytes.
        for table in [users, groups] {
            s.write(UInt32(table.count))
            for (id, name) in table.sorted(by: { $0.key < $1.key }) {
                let start = s.beginLength()
                s.write(id); s.write(name)
                s.patchLength(at: start)
            }
        }
        // Format 1.3: the host of a merged capture's snapshot (a 1.2 reader stops after the tables).
        if let host { s.write(host) }
        return s.bytes
    }

    /// Reads one id → name table (users or groups); an entry's bytes past its name belong to a later version.
    static func decodeNames(_ c: inout ByteCursor, _ what: String, _ cuts: inout SnapshotCuts) throws -> [UInt32: String] {
        let n = try c.readCount(minElementSize: minNameEntry, "\(what) count")
        var table: [UInt32: String] = [:]
        table.reserveCapacity(min(n, StateLimits.threads))
        for _ in 0..<n {
            let len = Int(try c.read(UInt32.self, "\(what) entry length"))
            var e = ByteCursor(try c.readBytes(len, "\(what) entry"))
            let id = try e.read(UInt32.self, "\(what) id")
            let name = try cuts.string(&e, "\(what) name", max: StateLimits.shortStringBytes)
            // Ids past the thread bound are not kept: a host has far fewer users (and a table of a million
            // hostile ids would otherwise be kept whole).
            if table.count < StateLimits.threads || table[id] != nil {
                table[id] = name
            } else {
                cuts.note(.nameTable, "a snapshot's \(what) table lists \(n) names; kept the first \(StateLimits.threads)")
            }
        }
        return table
    }

    /// Decodes a snapshot payload; entries past `StateLimits` are dropped and noted in `cuts` (first of each kind).
    static func decode(payload: UnsafeRawBufferPointer) throws -> CaptureSnapshot {
        var cuts = SnapshotCuts()
        return try decode(payload: payload, cuts: &cuts)
    }

    static func decode(payload: UnsafeRawBufferPointer, cuts: inout SnapshotCuts) throws -> CaptureSnapshot {
        var c = ByteCursor(payload)
        let ts = try c.read(UInt64.self, "snapshot timestamp")
        let nThreads = Int(try c.read(UInt32.self, "thread count"))
        let nFds = Int(try c.read(UInt32.self, "fd count"))
        guard nThreads <= c.remaining / minThreadEntry, nFds <= c.remaining / minFdEntry else {
            throw ByteCursor.Overrun(what: "snapshot counts \(nThreads)/\(nFds)", position: 8)
        }
        if nThreads > StateLimits.threads {
            cuts.note(.snapshotThreads, "a snapshot lists \(nThreads) threads; kept the first \(StateLimits.threads) (kcap's bound, kernel.threads-max of a 32 GiB host)")
        }
        if nFds > StateLimits.snapshotFds {
            cuts.note(.snapshotFds, "a snapshot lists \(nFds) open fds; kept the first \(StateLimits.snapshotFds) (kcap's bound, above a busy server's fs.file-nr)")
        }
        var threads: [ThreadInfo] = []
        threads.reserveCapacity(min(nThreads, StateLimits.threads))
        for i in 0..<nThreads {
            let len = Int(try c.read(UInt32.self, "thread entry length"))
            let bytes = try c.readBytes(len, "thread entry")
            if i >= StateLimits.threads { continue }  // read past, so the fds and tables after it still decode
            var e = ByteCursor(bytes)
            var t = ThreadInfo(tid: 0, pid: 0)
            t.tid = try e.read(UInt32.self, "tid")
            t.pid = try e.read(UInt32.self, "pid")
            t.ppid = try e.read(UInt32.self, "ppid")
            t.uid = try e.read(UInt32.self, "uid")
            t.gid = try e.read(UInt32.self, "gid")
            t.startTimeNs = try e.read(UInt64.self, "start time")
            t.comm = try cuts.string(&e, "comm", max: StateLimits.shortStringBytes)
            t.exe = try cuts.string(&e, "exe", max: StateLimits.pathBytes)
            let nArgs = try e.readCount(minElementSize: 4, "args")
            var budget = ArgvBudget()
            var kept = 0
            for _ in 0..<nArgs {
                let n = Int(try e.read(UInt32.self, "arg"))
                let raw = try e.readBytes(n, "arg")
                if kept == t.args.count, budget.admit(length: n) {
                    t.args.append(String(decoding: raw, as: UTF8.self))
                }
                kept += 1
            }
            if t.args.count < nArgs {
                cuts.note(.argv, "thread \(t.tid) has \(nArgs) arguments in a snapshot; kept the first \(t.args.count) (\(budget.used) bytes: ARG_MAX of a default 8 MiB stack is \(StateLimits.argvBytes))")
            }
            t.cwd = try cuts.string(&e, "cwd", max: StateLimits.pathBytes)
            t.cgroup = try cuts.string(&e, "cgroup", max: StateLimits.pathBytes)
            t.containerID = try cuts.string(&e, "container id", max: StateLimits.shortStringBytes)
            if e.remaining >= InFlightSyscall.encodedSize {
                let nr = try e.read(Int32.self, "syscall nr")
                try e.skip(4, "padding")
                let entered = try e.read(UInt64.self, "syscall entry time")
                var args: [UInt64] = []
                args.reserveCapacity(6)
                for _ in 0..<6 { args.append(try e.read(UInt64.self, "syscall argument")) }
                t.syscall = InFlightSyscall(nr: nr, args: args, enteredNs: entered)
            }
            threads.append(t)  // bytes left in the entry are fields of a later minor version
        }
        var fds: [FdInfo] = []
        fds.reserveCapacity(min(nFds, StateLimits.snapshotFds))
        for i in 0..<nFds {
            let len = Int(try c.read(UInt32.self, "fd entry length"))
            let bytes = try c.readBytes(len, "fd entry")
            if i >= StateLimits.snapshotFds { continue }
            var e = ByteCursor(bytes)
            let pid = try e.read(UInt32.self, "pid")
            let fd = try e.read(Int32.self, "fd")
            let kind = FdKind(rawValue: try e.read(UInt8.self, "kind")) ?? .other
            let hasSocket = try e.read(UInt8.self, "socket flag")
            try e.skip(2, "padding")
            let flags = try e.read(UInt32.self, "open flags")
            let inode = try e.read(UInt64.self, "inode")
            let name = try cuts.string(&e, "fd name", max: StateLimits.pathBytes)
            var tuple: SocketTuple?
            if hasSocket != 0 {
                let family = try e.read(UInt16.self, "family")
                let proto = try e.read(UInt16.self, "proto")
                let lport = try e.read(UInt16.self, "local port")
                let rport = try e.read(UInt16.self, "remote port")
                let laddr = Array(try e.readBytes(16, "local address"))
                let raddr = Array(try e.readBytes(16, "remote address"))
                let upath = try cuts.string(&e, "unix path", max: StateLimits.pathBytes)
                tuple = SocketTuple(family: family, proto: proto, localAddress: laddr, localPort: lport,
                                    remoteAddress: raddr, remotePort: rport, unixPath: upath)
            }
            var info = FdInfo(pid: pid, fd: fd, kind: kind, openFlags: flags, name: name, inode: inode, socket: tuple)
            if tuple != nil, e.remaining >= 1 {
                info.socketState = SocketState(rawValue: try e.read(UInt8.self, "socket state")) ?? .unknown
            }
            fds.append(info)
        }
        // Name tables (format 1.1) are present when bytes remain; a 1.0 snapshot ends after its fds.
        let users = c.remaining > 0 ? try decodeNames(&c, "user", &cuts) : [:]
        let groups = c.remaining > 0 ? try decodeNames(&c, "group", &cuts) : [:]
        // The host of a merged capture's snapshot (format 1.3); bytes after it belong to a later version.
        let host = c.remaining >= 4 ? try c.read(UInt32.self, "host") : nil
        return CaptureSnapshot(timestampNs: ts, threads: threads, fds: fds, users: users, groups: groups, host: host)
    }
}
