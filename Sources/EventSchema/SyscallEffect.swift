/// What a syscall does to the engine's thread and fd tables: the event table's `effect` column.
///
/// The engine switches on these cases, never on syscall names, so the same rules serve every architecture; the
/// engine's per-number arrays are filled from the table's rows of the recording machine.
public enum SyscallEffect: UInt8, Sendable, CaseIterable {
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
    // process state (clone3's flags come from its CLONE_ARGS item, execveat's path is relative to its dirfd)
    case clone, clone3, fork, execve, execveat, chdir, fchdir
    // fd refresh: an fstat's INODE item names the file behind the fd (fds that predate the capture)
    case fstat
    // a datagram sent on a socket that has no peer (UDP, not connected) names the socket by its destination
    case sendto

    /// The name `kcap events` and docs/events.md show.
    public var name: String { String(describing: self) }

    /// True for the effects that put a new fd in the table (the result, or the pair a pipe writes).
    public var createsFd: Bool {
        switch self {
        case .open, .openat, .openat2, .creat, .socket, .accept, .dup, .dup2, .dup3, .fcntl, .pipe, .pipe2,
             .socketpair, .eventfd, .timerfd, .signalfd, .epoll, .inotify, .memfd, .userfaultfd, .bpf, .iouring,
             .pidfd, .perf, .fanotify:
            return true
        default:
            return false
        }
    }

    /// True for the effects that remove fds, applied after the event is handed out (close, close_range).
    public var removesFd: Bool { self == .close || self == .closeRange }

    /// True for the effects that change the thread table or a process's cwd.
    public var changesProcess: Bool {
        switch self {
        case .clone, .clone3, .fork, .execve, .execveat, .chdir, .fchdir: return true
        default: return false
        }
    }
}
