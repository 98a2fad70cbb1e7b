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
    /// The socket's endpoints at syscall exit (from a TUPLE item, falcosecurity's PT_SOCKTUPLE): an extra
    /// parameter of the calls whose default output shows `tuple=127.0.0.1:40000->127.0.0.1:80`.
    case sockTuple
    /// Flags printed in hex (no symbolic table).
    case flags
    /// A user-space pointer, printed in hex.
    case pointer
    /// A signed integer.
    case int
    /// An unsigned integer.
    case uint
    // Appended in schema version 2 (strace's decoding depth, issue 10):
    /// ioctl(2) request: `TCGETS`, `FIONREAD`; others in hex.
    case ioctlRequest
    /// futex(2) operation: `FUTEX_WAKE_PRIVATE`, `FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME`.
    case futexOp
    /// futex(2)'s last argument: `FUTEX_BITSET_MATCH_ANY` for -1, else the number.
    case futexVal3
    /// setsockopt/getsockopt level: `SOL_SOCKET`, `SOL_TCP`.
    case sockoptLevel
    /// A socket option, named by the level before it: `SO_REUSEADDR`, `TCP_NODELAY`, `IP_TOS`.
    case sockoptName
    /// socket(2)/socketpair(2) protocol, named by the domain: `IPPROTO_TCP` (AF_INET, AF_INET6), else the number.
    case socketProto
    /// fcntl(2)'s third argument, by the command: open flags (F_SETFL), `FD_CLOEXEC` (F_SETFD), seals
    /// (F_ADD_SEALS), signals (F_SETSIG), else the number.
    case fcntlArg
    /// A clock id: `CLOCK_MONOTONIC`.
    case clockId
    /// epoll_ctl(2) operation: `EPOLL_CTL_ADD`.
    case epollCtlOp
    /// madvise(2) advice: `MADV_DONTNEED`.
    case madviseAdvice
    /// fadvise64(2) advice: `POSIX_FADV_SEQUENTIAL`.
    case fadviseAdvice
    /// An rlimit resource: `RLIMIT_NOFILE`.
    case rlimitResource
    /// arch_prctl(2) option: `ARCH_SET_FS`.
    case archPrctlOption
    /// flock(2) operation: `LOCK_EX|LOCK_NB`.
    case flockOperation
    /// prctl(2) option: `PR_SET_NAME`.
    case prctlOption
    /// prctl(2)'s second argument: the name of PR_SET_NAME/PR_GET_NAME (from a PATH item), a signal for
    /// PR_SET_PDEATHSIG, else the number.
    case prctlArg
    /// getrandom(2) flags: `GRND_NONBLOCK`.
    case getrandomFlags
    /// memfd_create(2) flags: `MFD_CLOEXEC|MFD_ALLOW_SEALING`.
    case memfdFlags
    /// statx(2) mask: `STATX_MODE|STATX_SIZE`, `STATX_BASIC_STATS`.
    case statxMask
    /// statx(2) attributes (the stat buffer's `stx_attributes`): `STATX_ATTR_IMMUTABLE`, or 0.
    case statxAttributes
    /// statx(2) flags: the sync type first (`AT_STATX_SYNC_AS_STAT`), then the *at flags.
    case statxFlags
    /// epoll_create1(2) flags: `EPOLL_CLOEXEC`.
    case epollCreateFlags
    /// eventfd2(2) flags: `EFD_CLOEXEC|EFD_NONBLOCK`.
    case eventfdFlags
    /// signalfd4(2) flags: `SFD_CLOEXEC`.
    case signalfdFlags
    /// timerfd_create(2) flags: `TFD_CLOEXEC|TFD_NONBLOCK`.
    case timerfdFlags
    /// inotify_init1(2) flags: `IN_CLOEXEC|IN_NONBLOCK`.
    case inotifyFlags
    /// A wait status the call wrote (from a MEMORY item): `{WIFEXITED(s) && WEXITSTATUS(s) == 0}`,
    /// `{WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM}`.
    case waitStatus
    /// An argument vector (from an ARGV item): `[ls, -la, /etc]` in text, an array of strings in JSON.
    case argv
    /// A `struct sigaction` (from a MEMORY item), as strace prints it: `{sa_handler=SIG_DFL, sa_mask=[PIPE],
    /// sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x7f...}`.
    case sigaction
    /// A signal set (from a MEMORY item), as strace prints it: `[PIPE CHLD]`, `~[RTMIN RT_1]` (all but those).
    case sigset
    /// A `struct rlimit` (from a MEMORY item), as strace prints it: `{rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}`.
    case rlimit
    /// A pollfd array (from a MEMORY item), as strace prints it at entry: `[{fd=3, events=POLLIN}]`.
    case pollfds
    /// epoll events (from a MEMORY item), as strace prints them: `{events=EPOLLIN, data={u32=6, u64=6}}`, or
    /// an array of them (epoll_wait's, the ones the kernel wrote).
    case epollEvents
    /// A socket option's value (from a MEMORY item): `[1]` for an int, else its bytes in hex.
    case sockoptValue
    /// clone3's `struct clone_args` (from the CLONE_ARGS item), as strace prints it: `{flags=CLONE_VM|...,
    /// child_tid=0x..., exit_signal=SIGCHLD, stack=0x..., stack_size=0x..., tls=0x...}`.
    case cloneArgs
    /// `struct sysinfo` (from a MEMORY item), as strace prints it: `{uptime=15068, loads=[549056, 586624,
    /// 672320], totalram=..., ..., mem_unit=1}`.
    case sysinfo
    /// A signal's `si_code`, by the signal: `SI_USER`, `SI_TKILL`, `SI_KERNEL`, `CLD_EXITED`, `SEGV_MAPERR`.
    case sigCode
    /// A signal disposition: `SIG_DFL`, `SIG_IGN`, or the handler's address.
    case sigHandler
    /// No result: the call never returns to its caller (exit, exit_group); the output shows no `res`.
    case void
}
