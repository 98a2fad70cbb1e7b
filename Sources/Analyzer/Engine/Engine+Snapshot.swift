import CaptureFormat

extension Engine {
    /// Loads a thread/fd snapshot: the whole state at the start of a file, or a keyframe later on.
    ///
    /// A later snapshot resynchronises: every listed thread and process takes the snapshot's facts, every
    /// listed process's fd table is replaced by the snapshot's fds, and threads that started before the
    /// snapshot but are not in it are dropped (they ended while their exit was not captured). Threads the engine
    /// learned of after the snapshot was taken (a fork record newer than the snapshot) are kept.
    public func load(_ snapshot: CaptureSnapshot) {
        // Names only accumulate: a later snapshot adds users created while recording, and a snapshot from a
        // 1.0 capture (no tables) leaves what is known alone.
        userNames.merge(snapshot.users) { _, new in new }
        groupNames.merge(snapshot.groups) { _, new in new }
        var listedThreads = Set<UInt32>()
        var processes: [UInt32: ProcessState] = [:]
        for info in snapshot.threads {
            listedThreads.insert(info.tid)
            let p: ProcessState
            if let seen = processes[info.pid] {
                p = seen
            } else {
                p = threads.process(info.pid) ?? ProcessState(pid: info.pid)
                processes[info.pid] = p
                p.fds.removeAll()
            }
            if info.tid == info.pid || p.exe.isEmpty {
                p.ppid = info.ppid
                p.exe = info.exe
                p.args = info.args
                p.cwd = info.cwd.isEmpty ? PathPool.none : paths.intern(info.cwd)
                p.uid = info.uid
                p.gid = info.gid
                p.containerID = info.containerID
                if info.tid == info.pid { p.startTimeNs = info.startTimeNs }
                p.isKnown = true
            }
            let thread: ThreadState
            if let t = threads.thread(info.tid), t.process === p {
                t.comm = info.comm
                t.startTimeNs = info.startTimeNs
                thread = t
            } else {
                thread = ThreadState(tid: info.tid, process: p, comm: info.comm, startTimeNs: info.startTimeNs)
                threads.insert(thread)
            }
            thread.inFlight = info.syscall
            thread.inFlightSnapshotNs = info.syscall == nil ? 0 : snapshot.timestampNs
        }
        for info in snapshot.fds {
            let p: ProcessState
            if let seen = processes[info.pid] {
                p = seen
            } else if let known = threads.process(info.pid) {
                p = known
                processes[info.pid] = p
                p.fds.removeAll()
            } else {
                continue // fds of a process with no thread listed: nobody to attach them to
            }
            p.fds.set(info.fd, entry(for: info))
        }
        if snapshotsApplied > 0 {
            for t in threads.allThreads where !listedThreads.contains(t.tid) && t.startTimeNs < snapshot.timestampNs {
                threads.remove(tid: t.tid)
            }
        }
        snapshotsApplied += 1
    }

    /// The engine's entry for a snapshot fd.
    func entry(for info: FdInfo) -> FdEntry {
        var e = FdEntry(kind: info.kind, openFlags: info.openFlags, cloexec: info.openFlags & 0o2000000 != 0)
        e.file.inode = info.inode
        if let s = info.socket {
            e.tuple.family = s.family
            e.tuple.proto = s.proto
            e.tuple.localPort = s.localPort
            e.tuple.remotePort = s.remotePort
            s.localAddress.withUnsafeBytes { e.tuple.setAddress($0, remote: false) }
            s.remoteAddress.withUnsafeBytes { e.tuple.setAddress($0, remote: true) }
            if !s.unixPath.isEmpty { e.name = paths.intern(s.unixPath) }
            e.socketState = info.socketState
        } else if !info.name.isEmpty {
            e.name = paths.intern(info.name)
        }
        return e
    }
}
