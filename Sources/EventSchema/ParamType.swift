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
}
