/// Linux UAPI constants that kcap's logic tests (the engine's effects) and its symbol tables name, one
/// namespace for both, so a value is written once. Types follow what the code reads: open flags as the
/// 32-bit `int` the kernel takes, clone flags as the 64-bit `clone_args.flags`, families as `sa_family_t`.
/// Values are x86_64's and asm-generic's; `_AARCH64` marks arm64's own where they differ.
public enum Linux {
    // open(2) (asm-generic/fcntl.h)
    /// Access mode bits of the open flags.
    public static let O_ACCMODE: UInt32 = 0o3
    /// Write only.
    public static let O_WRONLY: UInt32 = 0o1
    /// Read and write.
    public static let O_RDWR: UInt32 = 0o2
    /// Create the file.
    public static let O_CREAT: UInt32 = 0o100
    /// Truncate the file.
    public static let O_TRUNC: UInt32 = 0o1000
    /// Fail unless a directory (x86_64 and asm-generic).
    public static let O_DIRECTORY: UInt32 = 0o200000
    /// Fail unless a directory (arm64).
    public static let O_DIRECTORY_AARCH64: UInt32 = 0o40000
    /// Close the fd at exec.
    public static let O_CLOEXEC: UInt32 = 0o2000000

    // close-on-exec flags of the other fd-creating calls
    /// socket(2), socketpair(2), accept4(2).
    public static let SOCK_CLOEXEC: UInt32 = O_CLOEXEC
    /// eventfd2(2).
    public static let EFD_CLOEXEC: UInt32 = O_CLOEXEC
    /// timerfd_create(2).
    public static let TFD_CLOEXEC: UInt32 = O_CLOEXEC
    /// signalfd4(2).
    public static let SFD_CLOEXEC: UInt32 = O_CLOEXEC
    /// epoll_create1(2).
    public static let EPOLL_CLOEXEC: UInt32 = O_CLOEXEC
    /// inotify_init1(2).
    public static let IN_CLOEXEC: UInt32 = O_CLOEXEC
    /// userfaultfd(2).
    public static let UFFD_CLOEXEC: UInt32 = O_CLOEXEC
    /// memfd_create(2) (linux/memfd.h).
    public static let MFD_CLOEXEC: UInt32 = 0x1
    /// fanotify_init(2) (linux/fanotify.h).
    public static let FAN_CLOEXEC: UInt32 = 0x1
    /// perf_event_open(2) (linux/perf_event.h).
    public static let PERF_FLAG_FD_CLOEXEC: UInt32 = 0x8

    // sockets (linux/socket.h, linux/net.h, linux/in.h)
    /// Local sockets.
    public static let AF_UNIX: UInt16 = 1
    /// IPv4.
    public static let AF_INET: UInt16 = 2
    /// IPv6.
    public static let AF_INET6: UInt16 = 10
    /// Netlink.
    public static let AF_NETLINK: UInt16 = 16
    /// The socket type in socket(2)'s `type` (the rest are SOCK_NONBLOCK and SOCK_CLOEXEC).
    public static let SOCK_TYPE_MASK: UInt32 = 0xf
    /// Stream socket.
    public static let SOCK_STREAM: UInt32 = 1
    /// Datagram socket.
    public static let SOCK_DGRAM: UInt32 = 2
    /// TCP.
    public static let IPPROTO_TCP: UInt16 = 6
    /// UDP.
    public static let IPPROTO_UDP: UInt16 = 17

    // fcntl(2)
    /// Duplicate an fd.
    public static let F_DUPFD: Int32 = 0
    /// Set the fd flags.
    public static let F_SETFD: Int32 = 2
    /// Duplicate an fd, close-on-exec.
    public static let F_DUPFD_CLOEXEC: Int32 = 1030
    /// The fd flag F_SETFD sets.
    public static let FD_CLOEXEC: UInt64 = 1

    // clone(2), close_range(2), *at(2)
    /// Share the fd table.
    public static let CLONE_FILES: UInt64 = 0x400
    /// A thread of the same process.
    public static let CLONE_THREAD: UInt64 = 0x10000
    /// Unshare the fd table before closing.
    public static let CLOSE_RANGE_UNSHARE: UInt64 = 0x2
    /// Mark the range close-on-exec instead of closing it.
    public static let CLOSE_RANGE_CLOEXEC: UInt64 = 0x4
    /// "Relative to the current directory" for *at calls.
    public static let AT_FDCWD: Int32 = -100

    // prctl(2) (linux/prctl.h)
    /// Set the calling thread's name.
    public static let PR_SET_NAME: UInt64 = 15

    // errno (asm-generic/errno-base.h, errno.h); a failed syscall returns the negative value
    /// Bad file descriptor.
    public static let EBADF: Int64 = 9
    /// A non-blocking connect is under way.
    public static let EINPROGRESS: Int64 = 115
}
