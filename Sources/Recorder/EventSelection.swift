/// Which syscalls the BPF program records: `--events` parsed into a bitmap of syscall numbers for the
/// recording machine's architecture. Process events (fork, exec, exit) are always recorded: the analyzer's
/// thread table needs them whatever the user filters.
public struct EventSelection: Sendable, Equatable {
    /// Set syscall numbers; bit n of word n/64 means "record syscall n".
    public private(set) var words: [UInt64]
    /// The text the user gave, for the capture header.
    public let spec: String

    /// The named classes and what they hold. `file`, `net` and `process` each also carry the fd and cwd
    /// bookkeeping syscalls (close, dup*, fcntl, chdir...) the analyzer needs to name fds and resolve paths.
    public static let classes: [String: [String]] = [
        "file": ["open", "openat", "openat2", "creat", "close", "close_range", "read", "write", "pread64", "pwrite64",
                 "readv", "writev", "preadv", "pwritev", "preadv2", "pwritev2", "lseek", "dup", "dup2", "dup3", "fcntl",
                 "stat", "fstat", "lstat", "newfstatat", "fstatat64", "statx", "statfs", "fstatfs", "access", "faccessat",
                 "faccessat2", "readlink", "readlinkat", "symlink", "symlinkat", "link", "linkat", "unlink", "unlinkat",
                 "rename", "renameat", "renameat2", "mkdir", "mkdirat", "rmdir", "chdir", "fchdir", "chmod", "fchmod",
                 "fchmodat", "fchmodat2", "chown", "fchown", "lchown", "fchownat", "truncate", "ftruncate", "getdents",
                 "getdents64", "fsync", "fdatasync", "sendfile", "splice", "mknod", "mknodat", "pipe", "pipe2",
                 "utimensat", "flock", "memfd_create", "inotify_init1", "inotify_add_watch", "ioctl", "mmap",
                 "execve", "execveat"],
        "net": ["socket", "socketpair", "connect", "accept", "accept4", "bind", "listen", "sendto", "recvfrom",
                "sendmsg", "recvmsg", "sendmmsg", "recvmmsg", "shutdown", "getsockname", "getpeername", "setsockopt",
                "getsockopt", "close", "close_range", "read", "write", "readv", "writev", "dup", "dup2", "dup3", "fcntl",
                "poll", "ppoll", "select", "pselect6", "epoll_wait", "epoll_pwait", "epoll_ctl", "sendfile"],
        "process": ["clone", "clone3", "fork", "vfork", "execve", "execveat", "exit", "exit_group", "wait4", "waitid",
                    "kill", "tkill", "tgkill", "rt_sigqueueinfo", "setuid", "setgid", "setreuid", "setregid",
                    "setresuid", "setresgid", "setsid", "setpgid", "prctl", "chdir", "fchdir", "unshare", "setns",
                    "ptrace", "pidfd_open", "pidfd_send_signal", "capset", "chroot", "pivot_root", "close", "dup2",
                    "dup3"],
    ]

    /// Parses `--events`: a comma-separated list of classes (`file`, `net`, `process`, `all`) and syscall
    /// names, for the syscall table of `machine` (uname -m).
    public init(_ spec: String, machine: String) throws {
        self.spec = spec
        let table = try EventSelection.table(for: machine)
        let maxNr = (table.values.max() ?? 0) + 1
        words = Array(repeating: 0, count: max((maxNr + 63) / 64, 8))
        let items = spec.split(separator: ",").map { String($0).trimmingCharacters(whitespace: true) }.filter { !$0.isEmpty }
        if items.isEmpty {
            throw RecorderError(step: "parse --events", object: "'\(spec)'", hint: "give classes (file, net, process, all) or syscall names, comma-separated")
        }
        for item in items {
            let name = item.lowercased()
            if name == "all" {
                // Every number, also those newer than this table: the analyzer names what it knows.
                for i in words.indices { words[i] = ~0 }
            } else if let members = EventSelection.classes[name] {
                for m in members { if let nr = table[m] { set(nr) } }
            } else if let nr = table[name] {
                set(nr)
            } else {
                let near = table.keys.filter { $0.hasPrefix(String(name.prefix(3))) }.sorted().prefix(5)
                throw RecorderError(step: "parse --events", object: "'\(item)'",
                                    hint: "not a class (file, net, process, all) nor a \(machine) syscall" +
                                        (near.isEmpty ? "" : "; similar: \(near.joined(separator: ", "))"))
            }
        }
    }

    /// The name → number table for an architecture.
    static func table(for machine: String) throws -> [String: Int] {
        switch machine {
        case "x86_64": return SyscallNumbers.x86_64
        case "aarch64", "arm64": return SyscallNumbers.aarch64
        default:
            throw RecorderError(step: "choose syscall table", object: machine, hint: "kcap records on x86_64 and aarch64 only")
        }
    }

    private mutating func set(_ nr: Int) {
        guard nr >= 0 else { return }
        if nr / 64 >= words.count { words += Array(repeating: 0, count: nr / 64 + 1 - words.count) }
        words[nr / 64] |= 1 << UInt64(nr % 64)
    }

    /// Whether syscall `nr` is selected.
    public func contains(_ nr: Int) -> Bool {
        nr >= 0 && nr / 64 < words.count && words[nr / 64] & (1 << UInt64(nr % 64)) != 0
    }

    /// How many syscalls are selected.
    public var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }
}
