/// What a syscall does to the engine's state, and which fd the event is "about".
///
/// The engine keys its behaviour by syscall *name*, so the same rules serve every architecture; the numbers
/// come from `SyscallEffectTable`, which maps a recording machine's syscall numbers to these effects.
public enum SyscallEffect: UInt8, Sendable {
    /// No state change.
    case none = 0
    // fd creation (the result is the new fd)
    case open, openat, openat2, creat, socket, accept, dup, dup2, dup3, fcntl
    case pipe, pipe2, socketpair, eventfd, timerfd, signalfd, epoll, inotify, memfd, userfaultfd, bpf, iouring, pidfd
    case perf, fanotify
    // fd updates
    case connect, bind, listen
    // fd removal (applied after the event is emitted)
    case close, closeRange
    // process state
    case clone, fork, execve, chdir, fchdir
    // fd refresh: an fstat's INODE item names the file behind the fd (fds that predate the capture)
    case fstat
}

/// Where an event's fd comes from (what `fd.*` fields describe).
public enum FdSource: UInt8, Sendable {
    /// The event has no fd.
    case none = 0
    /// The fd is argument 0 (read, write, close, connect...).
    case arg0
    /// The fd is the result (open, socket, accept, dup...).
    case result
}

/// One syscall as the engine sees it: its name, effect and fd source.
public struct SyscallEffectEntry: Sendable {
    /// Syscall name as Linux spells it.
    public let name: String
    /// x86_64 number, or -1 when the syscall does not exist there.
    public let x86_64: Int
    /// aarch64 number, or -1 when the syscall does not exist there.
    public let aarch64: Int
    /// State change applied by the engine.
    public let effect: SyscallEffect
    /// Which fd the event describes.
    public let fdSource: FdSource
}

/// Per-architecture lookup from a syscall number to its engine effect, built once per capture.
///
/// Kept here (rather than read from the schema's event table) because the engine must know these few
/// syscalls' semantics regardless of how the table names their parameters; the names agree with the table.
public struct SyscallEffectTable: Sendable {
    /// Largest syscall number plus one that the table indexes directly.
    public static let size = 512
    /// `effects[nr]`.
    public private(set) var effects: [SyscallEffect]
    /// `fdSources[nr]`.
    public private(set) var fdSources: [FdSource]
    /// `cloexecArg[nr]`: the argument holding the syscall's close-on-exec flag, -1 when it has none,
    /// -2 when the new fd is always close-on-exec (pidfd_open, bpf, io_uring_setup).
    public private(set) var cloexecArg: [Int8]
    /// `cloexecMask[nr]`: the bit of that argument that means close-on-exec.
    public private(set) var cloexecMask: [UInt32]

    /// Builds the table for `machine` (uname -m: "x86_64" or "aarch64"; anything else gets x86_64's).
    public init(machine: String) {
        effects = Array(repeating: .none, count: Self.size)
        fdSources = Array(repeating: .none, count: Self.size)
        cloexecArg = Array(repeating: -1, count: Self.size)
        cloexecMask = Array(repeating: 0, count: Self.size)
        let arm = machine == "aarch64" || machine == "arm64"
        for e in Self.entries {
            let nr = arm ? e.aarch64 : e.x86_64
            guard nr >= 0, nr < Self.size else { continue }
            effects[nr] = e.effect
            fdSources[nr] = e.fdSource
            if let (arg, mask) = Self.cloexecFlags[e.name] {
                cloexecArg[nr] = Int8(arg)
                cloexecMask[nr] = mask
            }
        }
    }

    /// O_CLOEXEC, SOCK_CLOEXEC, EFD_CLOEXEC, TFD_CLOEXEC, EPOLL_CLOEXEC, IN_CLOEXEC (all the same bit).
    static let oCloexec: UInt32 = 0o2000000

    /// name -> (argument index, mask) of the close-on-exec flag.
    static let cloexecFlags: [String: (Int, UInt32)] = [
        "open": (1, oCloexec), "openat": (2, oCloexec), "socket": (1, oCloexec), "socketpair": (1, oCloexec),
        "accept4": (3, oCloexec), "dup3": (2, oCloexec), "pipe2": (1, oCloexec), "eventfd2": (1, oCloexec),
        "timerfd_create": (1, oCloexec), "signalfd4": (3, oCloexec), "epoll_create1": (0, oCloexec),
        "inotify_init1": (0, oCloexec), "memfd_create": (1, 1), "userfaultfd": (0, oCloexec),
        "perf_event_open": (4, 8), "fanotify_init": (0, 1),
        "pidfd_open": (-2, 0), "bpf": (-2, 0), "io_uring_setup": (-2, 0),
    ]

    /// True when the fd that syscall `nr` created is close-on-exec, from its flag argument.
    @inline(__always) func isCloexec(_ nr: UInt16, _ record: RecordBytes) -> Bool {
        guard Int(nr) < Self.size else { return false }
        let a = cloexecArg[Int(nr)]
        if a == -2 { return true }
        if a < 0 { return false }
        return UInt32(truncatingIfNeeded: record.arg(Int(a))) & cloexecMask[Int(nr)] != 0
    }

    /// Effect of syscall `nr`.
    @inline(__always) public func effect(_ nr: UInt16) -> SyscallEffect {
        Int(nr) < Self.size ? effects[Int(nr)] : .none
    }

    /// Fd source of syscall `nr`.
    @inline(__always) public func fdSource(_ nr: UInt16) -> FdSource {
        Int(nr) < Self.size ? fdSources[Int(nr)] : .none
    }

    /// Number of `name` on `machine`, or nil when absent.
    public static func number(of name: String, machine: String) -> Int? {
        let arm = machine == "aarch64" || machine == "arm64"
        guard let e = entries.first(where: { $0.name == name }) else { return nil }
        let nr = arm ? e.aarch64 : e.x86_64
        return nr >= 0 ? nr : nil
    }

    private static func e(_ name: String, _ x: Int, _ a: Int, _ effect: SyscallEffect = .none,
                          _ fd: FdSource = .none) -> SyscallEffectEntry {
        SyscallEffectEntry(name: name, x86_64: x, aarch64: a, effect: effect, fdSource: fd)
    }

    /// Every syscall the engine gives meaning to (state change or fd source).
    public static let entries: [SyscallEffectEntry] = [
        // fd creation
        e("open", 2, -1, .open, .result),
        e("openat", 257, 56, .openat, .result),
        e("openat2", 437, 437, .openat2, .result),
        e("creat", 85, -1, .creat, .result),
        e("socket", 41, 198, .socket, .result),
        e("accept", 43, 202, .accept, .result),
        e("accept4", 288, 242, .accept, .result),
        e("dup", 32, 23, .dup, .result),
        e("dup2", 33, -1, .dup2, .result),
        e("dup3", 292, 24, .dup3, .result),
        e("fcntl", 72, 25, .fcntl, .arg0),
        e("pipe", 22, -1, .pipe),
        e("pipe2", 293, 59, .pipe2),
        e("socketpair", 53, 199, .socketpair),
        e("eventfd", 284, -1, .eventfd, .result),
        e("eventfd2", 290, 19, .eventfd, .result),
        e("timerfd_create", 283, 85, .timerfd, .result),
        e("signalfd", 282, -1, .signalfd, .result),
        e("signalfd4", 289, 74, .signalfd, .result),
        e("epoll_create", 213, -1, .epoll, .result),
        e("epoll_create1", 291, 20, .epoll, .result),
        e("inotify_init", 253, -1, .inotify, .result),
        e("inotify_init1", 294, 26, .inotify, .result),
        e("memfd_create", 319, 279, .memfd, .result),
        e("userfaultfd", 323, 282, .userfaultfd, .result),
        e("bpf", 321, 280, .bpf, .result),
        e("io_uring_setup", 425, 425, .iouring, .result),
        e("pidfd_open", 434, 434, .pidfd, .result),
        e("perf_event_open", 298, 241, .perf, .result),
        e("fanotify_init", 300, 262, .fanotify, .result),
        // fd updates
        e("connect", 42, 203, .connect, .arg0),
        e("bind", 49, 200, .bind, .arg0),
        e("listen", 50, 201, .listen, .arg0),
        // fd removal
        e("close", 3, 57, .close, .arg0),
        e("close_range", 436, 436, .closeRange),
        // process state
        e("clone", 56, 220, .clone),
        e("clone3", 435, 435, .clone),
        e("fork", 57, -1, .fork),
        e("vfork", 58, -1, .fork),
        e("execve", 59, 221, .execve),
        e("execveat", 322, 281, .execve),
        e("chdir", 80, 49, .chdir),
        e("fchdir", 81, 50, .fchdir, .arg0),
        // syscalls whose first argument is an fd
        e("read", 0, 63, .none, .arg0), e("write", 1, 64, .none, .arg0),
        e("fstat", 5, 80, .fstat, .arg0), e("lseek", 8, 62, .none, .arg0),
        e("ioctl", 16, 29, .none, .arg0), e("pread64", 17, 67, .none, .arg0),
        e("pwrite64", 18, 68, .none, .arg0), e("readv", 19, 65, .none, .arg0),
        e("writev", 20, 66, .none, .arg0), e("sendfile", 40, 71, .none, .arg0),
        e("sendto", 44, 206, .none, .arg0), e("recvfrom", 45, 207, .none, .arg0),
        e("sendmsg", 46, 211, .none, .arg0), e("recvmsg", 47, 212, .none, .arg0),
        e("shutdown", 48, 210, .none, .arg0), e("getsockname", 51, 204, .none, .arg0),
        e("getpeername", 52, 205, .none, .arg0), e("setsockopt", 54, 208, .none, .arg0),
        e("getsockopt", 55, 209, .none, .arg0), e("flock", 73, 32, .none, .arg0),
        e("fsync", 74, 82, .none, .arg0), e("fdatasync", 75, 83, .none, .arg0),
        e("ftruncate", 77, 46, .none, .arg0), e("getdents", 78, -1, .none, .arg0),
        e("getdents64", 217, 61, .none, .arg0), e("fchmod", 91, 52, .none, .arg0),
        e("fchown", 93, 55, .none, .arg0), e("fstatfs", 138, 44, .none, .arg0),
        e("epoll_wait", 232, -1, .none, .arg0), e("epoll_ctl", 233, 21, .none, .arg0),
        e("epoll_pwait", 281, 22, .none, .arg0), e("epoll_pwait2", 441, 441, .none, .arg0),
        e("inotify_add_watch", 254, 27, .none, .arg0), e("inotify_rm_watch", 255, 28, .none, .arg0),
        e("splice", 275, 76, .none, .arg0), e("tee", 276, 77, .none, .arg0),
        e("fallocate", 285, 47, .none, .arg0), e("timerfd_settime", 286, 86, .none, .arg0),
        e("timerfd_gettime", 287, 87, .none, .arg0), e("preadv", 295, 69, .none, .arg0),
        e("pwritev", 296, 70, .none, .arg0), e("recvmmsg", 299, 243, .none, .arg0),
        e("syncfs", 306, 267, .none, .arg0), e("sendmmsg", 307, 269, .none, .arg0),
        e("copy_file_range", 326, 285, .none, .arg0), e("preadv2", 327, 286, .none, .arg0),
        e("pwritev2", 328, 287, .none, .arg0), e("io_uring_enter", 426, 426, .none, .arg0),
        e("io_uring_register", 427, 427, .none, .arg0), e("fsetxattr", 190, 7, .none, .arg0),
        e("fgetxattr", 193, 10, .none, .arg0), e("fremovexattr", 199, 16, .none, .arg0),
        e("flistxattr", 196, 13, .none, .arg0),
    ]
}
