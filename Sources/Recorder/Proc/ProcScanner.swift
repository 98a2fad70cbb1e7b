import CaptureFormat
import Glibc

/// Builds thread/fd snapshots from /proc: every thread (identity, credentials, cwd, cgroup, start time) and
/// every open fd of the chosen processes (kind, path or socket tuple, flags). It runs on the writer thread,
/// never on the drain path; anything that vanishes mid-scan is skipped.
public struct ProcScanner {
    /// Root of the proc filesystem (tests may point it elsewhere).
    public var procRoot: String
    /// Directory holding passwd and group (tests may point it elsewhere).
    public var etcRoot: String
    private let ticksPerSecond: UInt64

    /// A scanner over `procRoot` (default /proc), naming users and groups from `etcRoot` (default /etc).
    public init(procRoot: String = "/proc", etcRoot: String = "/etc") {
        self.procRoot = procRoot
        self.etcRoot = etcRoot
        ticksPerSecond = UInt64(max(sysconf(Int32(_SC_CLK_TCK)), 1))
    }

    /// A snapshot of `pids` (nil: every process), stamped with the current boot-time clock. `enteredAt` gives
    /// the entry time the recorder saw for a thread blocked in a syscall (nil: unknown).
    public func snapshot(pids: [Int32]? = nil, enteredAt: ((UInt32) -> UInt64?)? = nil) -> CaptureSnapshot {
        let ts = BootClock.nowNs()
        let list: [Int] = pids.map { $0.map(Int.init).sorted() } ?? ProcFiles.numericEntries(procRoot)
        var threads: [ThreadInfo] = []
        var fds: [FdInfo] = []
        var socketsByNetns: [String: SocketTable] = [:]
        for pid in list {
            guard let proc = processFacts(pid) else { continue }
            for tid in ProcFiles.numericEntries("\(procRoot)/\(pid)/task") {
                if var t = thread(pid: pid, tid: tid, proc: proc) {
                    if t.syscall != nil, let entered = enteredAt?(t.tid) { t.syscall?.enteredNs = entered }
                    threads.append(t)
                }
            }
            let netns = ProcFiles.readlink("\(procRoot)/\(pid)/ns/net") ?? "?"
            fds += openFds(pid: pid) { inode in
                if socketsByNetns[netns] == nil { socketsByNetns[netns] = SocketTable(netDir: "\(procRoot)/\(pid)/net") }
                return socketsByNetns[netns]?.byInode[inode]
            }
        }
        // Re-read every time: a keyframe then names users added while recording, and each rotated file
        // stands alone.
        let names = UserDatabase(etcRoot: etcRoot)
        return CaptureSnapshot(timestampNs: ts, threads: threads, fds: fds, users: names.users, groups: names.groups)
    }

    /// PF_KTHREAD (<linux/sched.h>), the flag of a kernel thread in /proc/TID/stat's flags field.
    static let kernelThreadFlag: UInt64 = 0x0020_0000

    /// The main thread of process `pid` as a snapshot lists it, without a syscall in flight (it is named for
    /// its children's sake, not recorded), or nil when it is gone.
    func mainThread(of pid: Int32) -> ThreadInfo? {
        guard let proc = processFacts(Int(pid)), var t = thread(pid: Int(pid), tid: Int(pid), proc: proc) else { return nil }
        t.syscall = nil
        return t
    }

    /// What every thread of a process shares.
    struct ProcessFacts {
        var ppid: UInt32 = 0, uid: UInt32 = 0, gid: UInt32 = 0
        var exe = "", cwd = "", cgroup = "", containerID = ""
        var args: [String] = []
    }

    func processFacts(_ pid: Int) -> ProcessFacts? {
        let dir = "\(procRoot)/\(pid)"
        guard let status = ProcFiles.text("\(dir)/status") else { return nil }
        var p = ProcessFacts()
        for line in status.split(separator: "\n") {
            if line.hasPrefix("PPid:") { p.ppid = UInt32(line.dropFirst(5).trimmingCharacters(whitespace: true)) ?? 0 }
            else if line.hasPrefix("Uid:") { p.uid = UInt32(line.dropFirst(4).split(separator: "\t").first ?? "") ?? 0 }
            else if line.hasPrefix("Gid:") { p.gid = UInt32(line.dropFirst(4).split(separator: "\t").first ?? "") ?? 0 }
        }
        p.exe = ProcFiles.readlink("\(dir)/exe") ?? ""
        p.cwd = ProcFiles.readlink("\(dir)/cwd") ?? ""
        if let cmd = ProcFiles.read("\(dir)/cmdline", limit: 65536) {
            p.args = cmd.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            if p.args.last == "" { p.args.removeLast() }
        }
        if let cg = ProcFiles.text("\(dir)/cgroup") {
            // cgroup v2 is the "0::" line; with v1 only, take the first line's path.
            let lines = cg.split(separator: "\n")
            let line = lines.first(where: { $0.hasPrefix("0::") }) ?? lines.first ?? ""
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            p.cgroup = parts.count == 3 ? String(parts[2]) : String(line)
            p.containerID = ProcScanner.containerID(fromCgroup: p.cgroup)
        }
        return p
    }

    func thread(pid: Int, tid: Int, proc: ProcessFacts) -> ThreadInfo? {
        let dir = "\(procRoot)/\(pid)/task/\(tid)"
        guard let stat = ProcFiles.text("\(dir)/stat") else { return nil }
        // comm may hold spaces and parentheses: it ends at the last ')'.
        guard let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { return nil }
        let comm = String(stat[stat.index(after: open)..<close])
        let rest = stat[stat.index(after: close)...].split(separator: " ")
        // rest[0] is field 3 (state); starttime is field 22.
        let startTicks = rest.count > 19 ? UInt64(rest[19]) ?? 0 : 0
        let startNs = startTicks * (1_000_000_000 / ticksPerSecond)
        var t = ThreadInfo(tid: UInt32(tid), pid: UInt32(pid), ppid: proc.ppid, uid: proc.uid, gid: proc.gid,
                           startTimeNs: startNs, comm: comm, exe: proc.exe, args: proc.args, cwd: proc.cwd,
                           cgroup: proc.cgroup, containerID: proc.containerID)
        // A thread that is not running may be blocked inside a syscall: which one, with its arguments. Kernel
        // threads (PF_KTHREAD in field 9) make no syscalls; /proc shows them as syscall 0.
        let flags = rest.count > 6 ? UInt64(rest[6]) ?? 0 : 0
        let kernelThread = flags & ProcScanner.kernelThreadFlag != 0
        if !kernelThread, let state = rest.first, state != "R", let line = ProcFiles.text("\(dir)/syscall") {
            t.syscall = ProcScanner.inFlightSyscall(line)
        }
        return t
    }

    /// Parses /proc/TID/syscall: "NR ARG1..ARG6 SP PC" (hex arguments) for a thread inside syscall NR,
    /// "-1 SP PC" for one blocked outside any syscall, "running" for one on a CPU.
    public static func inFlightSyscall(_ line: String) -> InFlightSyscall? {
        let f = line.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard f.count >= 7, let nr = Int32(f[0]), nr >= 0 else { return nil }
        var args: [UInt64] = []
        for a in f[1...6] {
            guard a.hasPrefix("0x"), let v = UInt64(a.dropFirst(2), radix: 16) else { return nil }
            args.append(v)
        }
        return InFlightSyscall(nr: nr, args: args)
    }

    func openFds(pid: Int, socket: (UInt64) -> SocketTable.Entry?) -> [FdInfo] {
        let dir = "\(procRoot)/\(pid)"
        var out: [FdInfo] = []
        for fd in ProcFiles.numericEntries("\(dir)/fd") {
            guard let target = ProcFiles.readlink("\(dir)/fd/\(fd)") else { continue }
            var info = FdInfo(pid: UInt32(pid), fd: Int32(fd), kind: .unknown, name: target)
            if let fdinfo = ProcFiles.text("\(dir)/fdinfo/\(fd)") {
                for line in fdinfo.split(separator: "\n") where line.hasPrefix("flags:") {
                    info.openFlags = UInt32(line.dropFirst(6).trimmingCharacters(whitespace: true), radix: 8) ?? 0
                }
            }
            let (kind, inode) = ProcScanner.classify(target)
            info.kind = kind
            info.inode = inode
            switch kind {
            case .file, .directory, .memfd:
                var st = stat()
                if stat("\(dir)/fd/\(fd)", &st) == 0 {
                    info.inode = UInt64(st.st_ino)
                    if kind == .file && (st.st_mode & S_IFMT) == S_IFDIR { info.kind = .directory }
                }
            case .other where target.hasPrefix("socket:"):
                if let entry = socket(inode) {
                    info.kind = entry.kind
                    info.socket = entry.tuple
                    if entry.tuple != nil { info.socketState = entry.state }
                    if let t = entry.tuple { info.name = SocketTable.render(t) }
                } else {
                    info.kind = .other
                }
            default:
                break
            }
            out.append(info)
        }
        return out
    }

    /// The fd kind and inode a /proc/PID/fd link names: "/path", "socket:[N]", "pipe:[N]",
    /// "anon_inode:[eventfd]", "anon_inode:inotify", "anon_inode:bpf-map", "/memfd:NAME (deleted)"...
    /// Sockets come back as `.other` with their inode, to be resolved through /proc/net.
    public static func classify(_ target: String) -> (FdKind, UInt64) {
        func bracketNumber(_ s: String) -> UInt64 {
            guard let o = s.firstIndex(of: "["), let c = s.lastIndex(of: "]"), o < c else { return 0 }
            return UInt64(s[s.index(after: o)..<c]) ?? 0
        }
        if target.hasPrefix("/memfd:") { return (.memfd, 0) }
        if target.hasPrefix("/") { return (.file, 0) }
        if target.hasPrefix("socket:") { return (.other, bracketNumber(target)) }
        if target.hasPrefix("pipe:") { return (.pipe, bracketNumber(target)) }
        if target.hasPrefix("pidfd:") { return (.pidfd, 0) }
        if target.hasPrefix("anon_inode:") {
            let what = target.dropFirst("anon_inode:".count).filter { $0 != "[" && $0 != "]" }
            switch what {
            case "eventfd": return (.event, 0)
            case "eventpoll": return (.eventpoll, 0)
            case "signalfd": return (.signalfd, 0)
            case "timerfd": return (.timerfd, 0)
            case "inotify": return (.inotify, 0)
            case "pidfd": return (.pidfd, 0)
            case "userfaultfd": return (.userfaultfd, 0)
            case "io_uring": return (.iouring, 0)
            default:
                if what.hasPrefix("bpf") { return (.bpf, 0) }
                return (.other, 0)
            }
        }
        return (.other, 0)
    }

    /// The container id in a cgroup path ("" on the host): `ThreadInfo.containerID(fromCgroup:)`.
    public static func containerID(fromCgroup path: String) -> String { ThreadInfo.containerID(fromCgroup: path) }
}
