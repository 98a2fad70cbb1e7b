import CaptureFormat
import EventSchema

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
        for e in Self.entries {
            // Numbers come from the one syscall table (Schema); a syscall the architecture lacks is skipped.
            guard let nr = Self.number(of: e.name, machine: machine), nr < Self.size else { continue }
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
    @inline(__always) func isCloexec(_ nr: Int, _ record: SyscallRecord) -> Bool {
        guard nr >= 0, nr < Self.size else { return false }
        let a = cloexecArg[nr]
        if a == -2 { return true }
        if a < 0 { return false }
        return UInt32(truncatingIfNeeded: record.arg(Int(a))) & cloexecMask[nr] != 0
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
        EventTable.info(named: name)?.number(on: SyscallArch(machine: machine) ?? .x86_64)
    }

    private static func e(_ name: String, _ effect: SyscallEffect = .none,
                          _ fd: FdSource = .none) -> SyscallEffectEntry {
        SyscallEffectEntry(name: name, effect: effect, fdSource: fd)
    }

    /// Every syscall the engine gives meaning to (state change or fd source).
    public static let entries: [SyscallEffectEntry] = [
        // fd creation
        e("open", .open, .result),
        e("openat", .openat, .result),
        e("openat2", .openat2, .result),
        e("creat", .creat, .result),
        e("socket", .socket, .result),
        e("accept", .accept, .result),
        e("accept4", .accept, .result),
        e("dup", .dup, .result),
        e("dup2", .dup2, .result),
        e("dup3", .dup3, .result),
        e("fcntl", .fcntl, .arg0),
        e("pipe", .pipe),
        e("pipe2", .pipe2),
        e("socketpair", .socketpair),
        e("eventfd", .eventfd, .result),
        e("eventfd2", .eventfd, .result),
        e("timerfd_create", .timerfd, .result),
        e("signalfd", .signalfd, .result),
        e("signalfd4", .signalfd, .result),
        e("epoll_create", .epoll, .result),
        e("epoll_create1", .epoll, .result),
        e("inotify_init", .inotify, .result),
        e("inotify_init1", .inotify, .result),
        e("memfd_create", .memfd, .result),
        e("userfaultfd", .userfaultfd, .result),
        e("bpf", .bpf, .result),
        e("io_uring_setup", .iouring, .result),
        e("pidfd_open", .pidfd, .result),
        e("perf_event_open", .perf, .result),
        e("fanotify_init", .fanotify, .result),
        // fd updates
        e("connect", .connect, .arg0),
        e("bind", .bind, .arg0),
        e("listen", .listen, .arg0),
        // fd removal
        e("close", .close, .arg0),
        e("close_range", .closeRange),
        // process state
        e("clone", .clone),
        e("clone3", .clone),
        e("fork", .fork),
        e("vfork", .fork),
        e("execve", .execve),
        e("execveat", .execve),
        e("chdir", .chdir),
        e("fchdir", .fchdir, .arg0),
        // syscalls whose first argument is an fd
        e("read", .none, .arg0), e("write", .none, .arg0),
        e("fstat", .fstat, .arg0), e("lseek", .none, .arg0),
        e("ioctl", .none, .arg0), e("pread64", .none, .arg0),
        e("pwrite64", .none, .arg0), e("readv", .none, .arg0),
        e("writev", .none, .arg0), e("sendfile", .none, .arg0),
        e("sendto", .none, .arg0), e("recvfrom", .none, .arg0),
        e("sendmsg", .none, .arg0), e("recvmsg", .none, .arg0),
        e("shutdown", .none, .arg0), e("getsockname", .none, .arg0),
        e("getpeername", .none, .arg0), e("setsockopt", .none, .arg0),
        e("getsockopt", .none, .arg0), e("flock", .none, .arg0),
        e("fsync", .none, .arg0), e("fdatasync", .none, .arg0),
        e("ftruncate", .none, .arg0), e("getdents", .none, .arg0),
        e("getdents64", .none, .arg0), e("fchmod", .none, .arg0),
        e("fchown", .none, .arg0), e("fstatfs", .none, .arg0),
        e("epoll_wait", .none, .arg0), e("epoll_ctl", .none, .arg0),
        e("epoll_pwait", .none, .arg0), e("epoll_pwait2", .none, .arg0),
        e("inotify_add_watch", .none, .arg0), e("inotify_rm_watch", .none, .arg0),
        e("splice", .none, .arg0), e("tee", .none, .arg0),
        e("fallocate", .none, .arg0), e("timerfd_settime", .none, .arg0),
        e("timerfd_gettime", .none, .arg0), e("preadv", .none, .arg0),
        e("pwritev", .none, .arg0), e("recvmmsg", .none, .arg0),
        e("syncfs", .none, .arg0), e("sendmmsg", .none, .arg0),
        e("copy_file_range", .none, .arg0), e("preadv2", .none, .arg0),
        e("pwritev2", .none, .arg0), e("io_uring_enter", .none, .arg0),
        e("io_uring_register", .none, .arg0), e("fsetxattr", .none, .arg0),
        e("fgetxattr", .none, .arg0), e("fremovexattr", .none, .arg0),
        e("flistxattr", .none, .arg0),
    ]
}
