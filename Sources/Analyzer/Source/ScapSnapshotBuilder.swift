import CaptureFormat
import ScapFormat

/// A sysdig capture's process and fd lists as the engine's snapshot: the same `load` path as a kcap
/// capture's thread and fd tables.
struct ScapSnapshotBuilder {
    var threads: [ScapThread] = []
    var fds: [(tid: UInt64, fds: [ScapFd])] = []
    var users: [UInt32: String] = [:]
    var groups: [UInt32: String] = [:]

    var hasContent: Bool { !threads.isEmpty || !fds.isEmpty || !users.isEmpty || !groups.isEmpty }

    /// The snapshot; the translator learns the pid of every listed thread, and that every listed process is
    /// described. An IPv4 socket of the fd list that lacks an address has it filled in from `interfaces`, as
    /// sysdig does when it loads the list (its IPv6 sockets are left as they are, as sysdig leaves them).
    func snapshot(_ translator: inout ScapRecordTranslator, interfaces: NetworkInterfaces) -> CaptureSnapshot {
        for t in threads { translator.setPid(t.tid, UInt32(truncatingIfNeeded: t.pid)) }
        translator.describedPids.formUnion(threads.map { UInt32(truncatingIfNeeded: $0.pid) })
        let infos = threads.map { t -> ThreadInfo in
            // ptid is the parent thread; the table wants the parent process.
            let ppid = translator.pidOf(t.ptid) ?? UInt32(truncatingIfNeeded: t.ptid)
            return ThreadInfo(tid: UInt32(truncatingIfNeeded: t.tid), pid: UInt32(truncatingIfNeeded: t.pid), ppid: ppid,
                              uid: t.uid, gid: t.gid, comm: t.comm, exe: t.exepath.isEmpty ? t.exe : t.exepath,
                              args: [t.exe] + t.args, cwd: t.cwd,
                              containerID: t.cgroups.lazy.map(ThreadInfo.containerID(fromCgroup:)).first { !$0.isEmpty } ?? "")
        }
        var out: [FdInfo] = []
        for (tid, list) in fds {
            let pid = translator.pidOf(tid) ?? UInt32(truncatingIfNeeded: tid)
            for f in list {
                guard f.fd >= 0, f.fd <= Int64(Int32.max) else { continue }
                var f = f
                if f.kind == .ipv4Socket {
                    interfaces.complete(family: 2, local: &f.sourceAddress, localPort: f.sourcePort,
                                        remote: &f.destinationAddress, remotePort: f.destinationPort)
                }
                out.append(Self.info(f, pid: pid))
            }
        }
        return CaptureSnapshot(timestampNs: 0, threads: infos, fds: out, users: users, groups: groups)
    }

    static func info(_ f: ScapFd, pid: UInt32) -> FdInfo {
        let kind: FdKind
        switch f.kind {
        case .file, .fileV2: kind = .file
        case .directory: kind = .directory
        case .ipv4Socket, .ipv4ServerSocket: kind = .ipv4
        case .ipv6Socket, .ipv6ServerSocket: kind = .ipv6
        case .fifo: kind = .pipe
        case .unixSocket: kind = .unix
        case .event: kind = .event
        case .signalfd: kind = .signalfd
        case .eventpoll: kind = .eventpoll
        case .inotify: kind = .inotify
        case .timerfd: kind = .timerfd
        case .netlink: kind = .netlink
        case .bpf: kind = .bpf
        case .userfaultfd: kind = .userfaultfd
        case .iouring: kind = .iouring
        case .memfd: kind = .memfd
        case .pidfd: kind = .pidfd
        case .unsupported: kind = .other
        case .unknown: kind = .unknown
        }
        var socket: SocketTuple? = nil
        switch f.kind {
        case .ipv4Socket, .ipv6Socket, .ipv4ServerSocket, .ipv6ServerSocket:
            let v6 = f.kind == .ipv6Socket || f.kind == .ipv6ServerSocket
            socket = SocketTuple(family: v6 ? 10 : 2, proto: f.ipProtocol, localAddress: f.sourceAddress,
                                 localPort: f.sourcePort, remoteAddress: f.destinationAddress, remotePort: f.destinationPort)
        case .unixSocket:
            socket = SocketTuple(family: 1, unixPath: f.name)
        default:
            break
        }
        return FdInfo(pid: pid, fd: Int32(f.fd), kind: kind, openFlags: ScapFlagMap.linuxOpenFlags(f.openFlags),
                      name: socket == nil ? f.name : "", inode: f.inode, socket: socket)
    }
}
