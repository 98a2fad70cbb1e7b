import CaptureFormat

extension Engine {
    /// The engine's thread and fd tables as a capture snapshot taken at `timestampNs`: what `kcap ps` and
    /// `kcap lsof` print, and what a record writer puts at the start of a capture cut out of another, so a
    /// reader starting there knows every process and fd the engine knew. The inverse of `load(_:)`: loading
    /// the result into a fresh engine gives the same tables (threads by tid, fds by pid and number; which end
    /// of an accepted socket is the client is not kept, as /proc does not tell it either).
    public func snapshot(at timestampNs: UInt64) -> CaptureSnapshot {
        var threadInfos: [ThreadInfo] = []
        threadInfos.reserveCapacity(threads.threadCount)
        var pids: [UInt32] = []
        var seenPids = Set<UInt32>()
        for t in threads.allThreads {
            let p = t.process
            var info = ThreadInfo(tid: t.tid, pid: p.pid, ppid: p.ppid, uid: p.uid, gid: p.gid, startTimeNs: t.startTimeNs,
                                  comm: t.comm, exe: p.exe, args: p.args, cwd: p.cwd == PathPool.none ? "" : paths.string(p.cwd),
                                  containerID: p.containerID)
            info.syscall = t.inFlight
            threadInfos.append(info)
            if seenPids.insert(p.pid).inserted { pids.append(p.pid) }
        }
        var fdInfos: [FdInfo] = []
        for pid in pids.sorted() {
            guard let p = threads.process(pid) else { continue }
            for fd in p.fds.allFds() {
                guard let e = p.fds[fd] else { continue }
                fdInfos.append(info(for: e, pid: pid, fd: fd))
            }
        }
        return CaptureSnapshot(timestampNs: timestampNs, threads: threadInfos, fds: fdInfos, users: userNames, groups: groupNames,
                               host: hostCount > 1 ? UInt32(currentHost) : nil)
    }

    /// The snapshot entry of one fd (the inverse of `entry(for:)`).
    func info(for e: FdEntry, pid: UInt32, fd: Int32) -> FdInfo {
        let name = e.name == PathPool.none ? "" : paths.string(e.name)
        var info = FdInfo(pid: pid, fd: fd, kind: e.kind, openFlags: e.fdinfoFlags, inode: e.file.inode)
        if e.isSocket {
            let t = e.tuple
            info.socket = SocketTuple(family: t.family, proto: t.proto, localAddress: t.address(remote: false), localPort: t.localPort,
                                      remoteAddress: t.address(remote: true), remotePort: t.remotePort,
                                      unixPath: e.kind == .unix ? name : "")
            info.socketState = e.socketState
        } else {
            info.name = name
        }
        return info
    }
}
