import CaptureFormat

/// What an event is about; the same classes `kcap record --events` and `kcap stats` group by.
public enum EventCategory: String, Sendable, CaseIterable, Codable {
    /// Files, directories, fds of any kind.
    case file
    /// Sockets.
    case net
    /// Processes and threads: creation, exec, exit, credentials, scheduling.
    case process
    /// Memory mappings and policies.
    case memory
    /// Pipes, futexes, System V and POSIX IPC, eventfd, splice.
    case ipc
    /// Signals.
    case signal
    /// Clocks, timers, sleeps.
    case time
    /// Everything else (modules, keys, BPF, system administration).
    case other
}

/// Properties of an event type that the engine, filters and statistics act on.
public struct EventFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    /// Creates flags from their raw bits.
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    /// A successful call returns a new fd (open, socket, accept, dup, ...).
    public static let createsFd = EventFlags(rawValue: 1 << 0)
    /// The call acts on an fd given as an argument.
    public static let usesFd = EventFlags(rawValue: 1 << 1)
    /// The call closes an fd (close, close_range, dup2 onto an open fd).
    public static let closesFd = EventFlags(rawValue: 1 << 2)
    /// The call changes the thread table: creation, exec, exit, credentials, cwd.
    public static let changesProcessState = EventFlags(rawValue: 1 << 3)
    /// The call reads data from an fd (evt.is_io_read).
    public static let isIORead = EventFlags(rawValue: 1 << 4)
    /// The call writes data to an fd (evt.is_io_write).
    public static let isIOWrite = EventFlags(rawValue: 1 << 5)

    /// Every flag with its name, in display order.
    public static let named: [(EventFlags, String)] = [
        (.createsFd, "createsFd"), (.usesFd, "usesFd"), (.closesFd, "closesFd"),
        (.changesProcessState, "changesProcessState"), (.isIORead, "isIORead"), (.isIOWrite, "isIOWrite"),
    ]

    /// The names of the flags that are set, in display order.
    public var names: [String] { EventFlags.named.filter { contains($0.0) }.map { $0.1 } }
}

/// How a parameter's raw value is interpreted and printed.
public enum ParamType: String, Sendable, CaseIterable, Codable {
    /// A file descriptor (the engine adds its name: `3(<f>/etc/hosts)`).
    case fd
    /// A directory fd for *at calls; AT_FDCWD (-100) prints as `AT_FDCWD`.
    case dirfd
    /// A path string (from a PATH item; the pointer when the recorder did not copy it).
    case path
    /// Another C string (xattr name, fs type); printed from an item when one exists.
    case string
    /// A `struct sockaddr` (from a SOCKADDR item): `127.0.0.1:80`, `[::1]:80`, a unix path.
    case sockaddr
    /// open(2) flags: `O_RDWR|O_CREAT|O_CLOEXEC`.
    case openFlags
    /// Flags of the fd-creating calls that take no access mode (pipe2, dup3, eventfd2, ...): `O_CLOEXEC|O_NONBLOCK`, or 0.
    case fdFlags
    /// A file mode, in octal: `0644`.
    case mode
    /// A syscall result that is negative errno on failure: `ENOENT`, else the number.
    case errno
    /// A process or thread id.
    case pid
    /// A user id.
    case uid
    /// A group id.
    case gid
    /// A byte count.
    case size
    /// A data buffer (from a DATA item): printable ASCII, dots for the rest.
    case buffer
    /// A signal number: `SIGTERM`.
    case signal
    /// clone(2) flags: `CLONE_VM|CLONE_FS|...` (the low byte is the exit signal).
    case cloneFlags
    /// A socket address family: `AF_INET`.
    case socketFamily
    /// A socket type with its flags: `SOCK_STREAM|SOCK_CLOEXEC`.
    case socketType
    /// *at flags: `AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH`.
    case atFlags
    /// mmap/mprotect protection: `PROT_READ|PROT_WRITE`.
    case mmapProt
    /// mmap flags: `MAP_PRIVATE|MAP_ANONYMOUS`.
    case mmapFlags
    /// fcntl command: `F_DUPFD_CLOEXEC`.
    case fcntlCmd
    /// lseek whence: `SEEK_SET`.
    case whence
    /// shutdown how: `SHUT_RDWR`.
    case shutdownHow
    /// rt_sigprocmask how: `SIG_BLOCK`.
    case sigprocmaskHow
    /// send/recv flags: `MSG_DONTWAIT|MSG_NOSIGNAL`.
    case msgFlags
    /// access(2) mode: `R_OK|W_OK` or `F_OK`.
    case accessMode
    /// wait4/waitid options: `WNOHANG|WUNTRACED`.
    case waitOptions
    /// A pair of fds written by pipe/socketpair (from an FDPAIR item): `3,4`.
    case fdPair
    /// Flags printed in hex (no symbolic table).
    case flags
    /// A user-space pointer, printed in hex.
    case pointer
    /// A signed integer.
    case int
    /// An unsigned integer.
    case uint
}

/// One parameter of an event: its name (as `evt.arg.NAME` uses it) and how to read it.
public struct ParamInfo: Sendable, Equatable {
    /// Name, as filters (`evt.arg.flags`) and the default output (`flags=...`) show it.
    public let name: String
    /// Interpretation of the raw value.
    public let type: ParamType

    /// Creates a parameter description.
    public init(_ name: String, _ type: ParamType) {
        self.name = name
        self.type = type
    }
}

/// Which record kind an event type is decoded from.
public enum EventSource: Sendable, Equatable {
    /// A `kcap_syscall` record; numbers per architecture (nil: the syscall does not exist there).
    case syscall(x86_64: Int?, aarch64: Int?)
    /// A process lifecycle record (`procfork`, `procexec`, `procexit`).
    case record(RecordType)
}

/// One row of the event table: everything kcap knows about an event type.
public struct EventInfo: Sendable {
    /// The `evt.type` name, as sysdig users know it (`openat`, `connect`, `procexit`).
    public let name: String
    /// The record the event comes from.
    public let source: EventSource
    /// What the event is about.
    public let category: EventCategory
    /// Properties the engine and filters act on.
    public let flags: EventFlags
    /// Parameters in argument order (for syscalls: the syscall's arguments).
    public let params: [ParamInfo]
    /// How the result is read (`res`): `.errno` for most syscalls, `.fd` for calls that return an fd.
    public let result: ParamType
    /// True when the parameter types were curated by hand rather than derived from the kernel prototype.
    public let curated: Bool

    /// Creates a row.
    public init(name: String, source: EventSource, category: EventCategory, flags: EventFlags,
                params: [ParamInfo], result: ParamType, curated: Bool) {
        self.name = name
        self.source = source
        self.category = category
        self.flags = flags
        self.params = params
        self.result = result
        self.curated = curated
    }

    /// The syscall number on `arch`, or nil (process events, or a syscall the architecture lacks).
    public func number(on arch: SyscallArch) -> Int? {
        guard case let .syscall(x, a) = source else { return nil }
        return arch == .x86_64 ? x : a
    }

    /// True for syscall events.
    public var isSyscall: Bool {
        if case .syscall = source { return true }
        return false
    }

    /// The index of the parameter called `name`, or nil.
    public func paramIndex(named name: String) -> Int? { params.firstIndex { $0.name == name } }
}

/// The syscall ABIs kcap knows; the capture header's `machine` selects one.
public enum SyscallArch: String, Sendable, CaseIterable, Codable {
    /// x86_64 (`arch/x86/entry/syscalls/syscall_64.tbl` numbering).
    case x86_64
    /// aarch64 (the generic `asm-generic/unistd.h` numbering).
    case aarch64

    /// The arch for a `uname -m` value (`x86_64`, `aarch64`, `arm64`), or nil for one kcap has no table for.
    public init?(machine: String) {
        switch machine {
        case "x86_64", "amd64": self = .x86_64
        case "aarch64", "arm64": self = .aarch64
        default: return nil
        }
    }
}
