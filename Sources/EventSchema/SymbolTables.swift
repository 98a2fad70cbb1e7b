/// Names of constants from the Linux UAPI headers (the same on x86_64 and aarch64 unless a table says otherwise).
/// Values the engine also tests are written once, in `Linux`.
public enum SymbolTables {
    /// open(2) access modes (`flags & O_ACCMODE`).
    public static let openAccessModes = ["O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"]

    /// open(2) flags other than the access mode, x86_64 values (asm-generic/fcntl.h).
    public static let openFlagsX86_64 = FlagTable([
        (UInt64(Linux.O_CREAT), "O_CREAT"), (0o200, "O_EXCL"), (0o400, "O_NOCTTY"), (UInt64(Linux.O_TRUNC), "O_TRUNC"), (0o2000, "O_APPEND"),
        (0o4000, "O_NONBLOCK"), (0o4010000, "O_SYNC"), (0o10000, "O_DSYNC"), (0o20000, "O_ASYNC"),
        (0o40000, "O_DIRECT"), (0o100000, "O_LARGEFILE"), (0o20200000, "O_TMPFILE"), (UInt64(Linux.O_DIRECTORY), "O_DIRECTORY"),
        (0o400000, "O_NOFOLLOW"), (0o1000000, "O_NOATIME"), (UInt64(Linux.O_CLOEXEC), "O_CLOEXEC"), (0o10000000, "O_PATH"),
    ])

    /// open(2) flags on aarch64 (arch/arm64 swaps O_DIRECTORY/O_NOFOLLOW with O_DIRECT/O_LARGEFILE).
    public static let openFlagsAArch64 = FlagTable([
        (UInt64(Linux.O_CREAT), "O_CREAT"), (0o200, "O_EXCL"), (0o400, "O_NOCTTY"), (UInt64(Linux.O_TRUNC), "O_TRUNC"), (0o2000, "O_APPEND"),
        (0o4000, "O_NONBLOCK"), (0o4010000, "O_SYNC"), (0o10000, "O_DSYNC"), (0o20000, "O_ASYNC"),
        (0o200000, "O_DIRECT"), (0o400000, "O_LARGEFILE"), (0o20040000, "O_TMPFILE"), (UInt64(Linux.O_DIRECTORY_AARCH64), "O_DIRECTORY"),
        (0o100000, "O_NOFOLLOW"), (0o1000000, "O_NOATIME"), (UInt64(Linux.O_CLOEXEC), "O_CLOEXEC"), (0o10000000, "O_PATH"),
    ])

    /// *at(2) flags (linux/fcntl.h). 0x200 is AT_REMOVEDIR for unlinkat and AT_EACCESS for faccessat2.
    public static let atFlags = FlagTable([
        (0x100, "AT_SYMLINK_NOFOLLOW"), (0x200, "AT_REMOVEDIR"), (0x400, "AT_SYMLINK_FOLLOW"),
        (0x800, "AT_NO_AUTOMOUNT"), (0x1000, "AT_EMPTY_PATH"), (0x2000, "AT_STATX_FORCE_SYNC"),
        (0x4000, "AT_STATX_DONT_SYNC"), (0x8000, "AT_RECURSIVE"),
    ])

    /// *at(2) flags for faccessat2, where 0x200 means AT_EACCESS.
    public static let atFlagsAccess = FlagTable([
        (0x100, "AT_SYMLINK_NOFOLLOW"), (0x200, "AT_EACCESS"), (0x1000, "AT_EMPTY_PATH"),
    ])

    /// clone(2)/unshare(2)/setns(2) flags (linux/sched.h), without the exit signal byte.
    public static let cloneFlags = FlagTable([
        (0x100, "CLONE_VM"), (0x200, "CLONE_FS"), (Linux.CLONE_FILES, "CLONE_FILES"), (0x800, "CLONE_SIGHAND"),
        (0x1000, "CLONE_PIDFD"), (0x2000, "CLONE_PTRACE"), (0x4000, "CLONE_VFORK"), (0x8000, "CLONE_PARENT"),
        (Linux.CLONE_THREAD, "CLONE_THREAD"), (0x20000, "CLONE_NEWNS"), (0x40000, "CLONE_SYSVSEM"), (0x80000, "CLONE_SETTLS"),
        (0x100000, "CLONE_PARENT_SETTID"), (0x200000, "CLONE_CHILD_CLEARTID"), (0x400000, "CLONE_DETACHED"),
        (0x800000, "CLONE_UNTRACED"), (0x1000000, "CLONE_CHILD_SETTID"), (0x2000000, "CLONE_NEWCGROUP"),
        (0x4000000, "CLONE_NEWUTS"), (0x8000000, "CLONE_NEWIPC"), (0x10000000, "CLONE_NEWUSER"),
        (0x20000000, "CLONE_NEWPID"), (0x40000000, "CLONE_NEWNET"), (0x80000000, "CLONE_IO"),
        (0x100000000, "CLONE_CLEAR_SIGHAND"), (0x200000000, "CLONE_INTO_CGROUP"),
    ])

    /// mmap/mprotect protection bits (asm-generic/mman-common.h; PROT_BTI and PROT_MTE are arm64's).
    public static let mmapProt = FlagTable([
        (0x1, "PROT_READ"), (0x2, "PROT_WRITE"), (0x4, "PROT_EXEC"), (0x8, "PROT_SEM"), (0x10, "PROT_BTI"),
        (0x20, "PROT_MTE"), (0x01000000, "PROT_GROWSDOWN"), (0x02000000, "PROT_GROWSUP"),
    ], zero: "PROT_NONE")

    /// mmap sharing types (`flags & MAP_TYPE`).
    public static let mmapTypes = ValueTable([(1, "MAP_SHARED"), (2, "MAP_PRIVATE"), (3, "MAP_SHARED_VALIDATE"),
                                              (0, "0")])

    /// mmap flags other than the sharing type (MAP_32BIT is x86_64 only; its bit is unused on arm64).
    public static let mmapFlags = FlagTable([
        (0x08, "MAP_DROPPABLE"), (0x10, "MAP_FIXED"), (0x20, "MAP_ANONYMOUS"), (0x40, "MAP_32BIT"),
        (0x100, "MAP_GROWSDOWN"), (0x800, "MAP_DENYWRITE"), (0x1000, "MAP_EXECUTABLE"), (0x2000, "MAP_LOCKED"),
        (0x4000, "MAP_NORESERVE"), (0x8000, "MAP_POPULATE"), (0x10000, "MAP_NONBLOCK"), (0x20000, "MAP_STACK"),
        (0x40000, "MAP_HUGETLB"), (0x80000, "MAP_SYNC"), (0x100000, "MAP_FIXED_NOREPLACE"),
        (0x4000000, "MAP_UNINITIALIZED"),
    ])

    /// Address families (linux/socket.h).
    public static let socketFamilies = ValueTable([
        (0, "AF_UNSPEC"), (Int64(Linux.AF_UNIX), "AF_UNIX"), (Int64(Linux.AF_INET), "AF_INET"), (3, "AF_AX25"), (4, "AF_IPX"), (5, "AF_APPLETALK"),
        (6, "AF_NETROM"), (7, "AF_BRIDGE"), (8, "AF_ATMPVC"), (9, "AF_X25"), (Int64(Linux.AF_INET6), "AF_INET6"), (11, "AF_ROSE"),
        (12, "AF_DECnet"), (13, "AF_NETBEUI"), (14, "AF_SECURITY"), (15, "AF_KEY"), (Int64(Linux.AF_NETLINK), "AF_NETLINK"),
        (17, "AF_PACKET"), (18, "AF_ASH"), (19, "AF_ECONET"), (20, "AF_ATMSVC"), (21, "AF_RDS"), (22, "AF_SNA"),
        (23, "AF_IRDA"), (24, "AF_PPPOX"), (25, "AF_WANPIPE"), (26, "AF_LLC"), (27, "AF_IB"), (28, "AF_MPLS"),
        (29, "AF_CAN"), (30, "AF_TIPC"), (31, "AF_BLUETOOTH"), (32, "AF_IUCV"), (33, "AF_RXRPC"), (34, "AF_ISDN"),
        (35, "AF_PHONET"), (36, "AF_IEEE802154"), (37, "AF_CAIF"), (38, "AF_ALG"), (39, "AF_NFC"),
        (40, "AF_VSOCK"), (41, "AF_KCM"), (42, "AF_QIPCRTR"), (43, "AF_SMC"), (44, "AF_XDP"), (45, "AF_MCTP"),
    ])

    /// Socket types (`type & Linux.SOCK_TYPE_MASK`).
    public static let socketTypes = ValueTable([
        (Int64(Linux.SOCK_STREAM), "SOCK_STREAM"), (Int64(Linux.SOCK_DGRAM), "SOCK_DGRAM"), (3, "SOCK_RAW"), (4, "SOCK_RDM"), (5, "SOCK_SEQPACKET"),
        (6, "SOCK_DCCP"), (10, "SOCK_PACKET"),
    ])

    /// Flags or'ed into a socket type (and accept4's flags).
    public static let socketTypeFlags = FlagTable([(0o4000, "SOCK_NONBLOCK"), (UInt64(Linux.SOCK_CLOEXEC), "SOCK_CLOEXEC")])

    /// fcntl(2) commands.
    public static let fcntlCommands = ValueTable([
        (Int64(Linux.F_DUPFD), "F_DUPFD"), (1, "F_GETFD"), (Int64(Linux.F_SETFD), "F_SETFD"), (3, "F_GETFL"), (4, "F_SETFL"), (5, "F_GETLK"),
        (6, "F_SETLK"), (7, "F_SETLKW"), (8, "F_SETOWN"), (9, "F_GETOWN"), (10, "F_SETSIG"), (11, "F_GETSIG"),
        (15, "F_SETOWN_EX"), (16, "F_GETOWN_EX"), (17, "F_GETOWNER_UIDS"), (36, "F_OFD_GETLK"),
        (37, "F_OFD_SETLK"), (38, "F_OFD_SETLKW"), (1024, "F_SETLEASE"), (1025, "F_GETLEASE"), (1026, "F_NOTIFY"),
        (Int64(Linux.F_DUPFD_CLOEXEC), "F_DUPFD_CLOEXEC"), (1031, "F_SETPIPE_SZ"), (1032, "F_GETPIPE_SZ"), (1033, "F_ADD_SEALS"),
        (1034, "F_GET_SEALS"), (1035, "F_GET_RW_HINT"), (1036, "F_SET_RW_HINT"), (1037, "F_GET_FILE_RW_HINT"),
        (1038, "F_SET_FILE_RW_HINT"),
    ])

    /// lseek(2) whence.
    public static let whence = ValueTable([(0, "SEEK_SET"), (1, "SEEK_CUR"), (2, "SEEK_END"), (3, "SEEK_DATA"),
                                           (4, "SEEK_HOLE")])

    /// shutdown(2) how.
    public static let shutdownHow = ValueTable([(0, "SHUT_RD"), (1, "SHUT_WR"), (2, "SHUT_RDWR")])

    /// rt_sigprocmask(2) how (asm-generic/signal-defs.h; the same on x86_64 and aarch64).
    public static let sigprocmaskHow = ValueTable([(0, "SIG_BLOCK"), (1, "SIG_UNBLOCK"), (2, "SIG_SETMASK")])

    /// send/recv flags (linux/socket.h).
    public static let msgFlags = FlagTable([
        (0x1, "MSG_OOB"), (0x2, "MSG_PEEK"), (0x4, "MSG_DONTROUTE"), (0x8, "MSG_CTRUNC"), (0x10, "MSG_PROXY"),
        (0x20, "MSG_TRUNC"), (0x40, "MSG_DONTWAIT"), (0x80, "MSG_EOR"), (0x100, "MSG_WAITALL"), (0x200, "MSG_FIN"),
        (0x400, "MSG_SYN"), (0x800, "MSG_CONFIRM"), (0x1000, "MSG_RST"), (0x2000, "MSG_ERRQUEUE"),
        (0x4000, "MSG_NOSIGNAL"), (0x8000, "MSG_MORE"), (0x10000, "MSG_WAITFORONE"), (0x40000, "MSG_BATCH"),
        (0x4000000, "MSG_ZEROCOPY"), (0x20000000, "MSG_FASTOPEN"), (0x40000000, "MSG_CMSG_CLOEXEC"),
    ])

    /// access(2) modes.
    public static let accessModes = FlagTable([(4, "R_OK"), (2, "W_OK"), (1, "X_OK")], zero: "F_OK")

    /// wait4/waitid options.
    public static let waitOptions = FlagTable([
        (1, "WNOHANG"), (2, "WUNTRACED"), (4, "WEXITED"), (8, "WCONTINUED"), (0x01000000, "WNOWAIT"),
        (0x20000000, "__WNOTHREAD"), (0x40000000, "__WALL"), (0x80000000, "__WCLONE"),
    ])

    /// Signal names by number (asm-generic/signal.h; the same numbers on x86_64 and aarch64).
    public static let signals = ValueTable([
        (1, "SIGHUP"), (2, "SIGINT"), (3, "SIGQUIT"), (4, "SIGILL"), (5, "SIGTRAP"), (6, "SIGABRT"), (7, "SIGBUS"),
        (8, "SIGFPE"), (9, "SIGKILL"), (10, "SIGUSR1"), (11, "SIGSEGV"), (12, "SIGUSR2"), (13, "SIGPIPE"),
        (14, "SIGALRM"), (15, "SIGTERM"), (16, "SIGSTKFLT"), (17, "SIGCHLD"), (18, "SIGCONT"), (19, "SIGSTOP"),
        (20, "SIGTSTP"), (21, "SIGTTIN"), (22, "SIGTTOU"), (23, "SIGURG"), (24, "SIGXCPU"), (25, "SIGXFSZ"),
        (26, "SIGVTALRM"), (27, "SIGPROF"), (28, "SIGWINCH"), (29, "SIGIO"), (30, "SIGPWR"), (31, "SIGSYS"),
    ])

    /// errno names by number (asm-generic/errno-base.h and errno.h, plus the kernel-internal codes a syscall
    /// can leak to a tracer, such as ERESTARTSYS).
    public static let errnos = ValueTable([
        (1, "EPERM"), (2, "ENOENT"), (3, "ESRCH"), (4, "EINTR"), (5, "EIO"), (6, "ENXIO"), (7, "E2BIG"),
        (8, "ENOEXEC"), (Linux.EBADF, "EBADF"), (10, "ECHILD"), (11, "EAGAIN"), (12, "ENOMEM"), (13, "EACCES"),
        (14, "EFAULT"), (15, "ENOTBLK"), (16, "EBUSY"), (17, "EEXIST"), (18, "EXDEV"), (19, "ENODEV"),
        (20, "ENOTDIR"), (21, "EISDIR"), (22, "EINVAL"), (23, "ENFILE"), (24, "EMFILE"), (25, "ENOTTY"),
        (26, "ETXTBSY"), (27, "EFBIG"), (28, "ENOSPC"), (29, "ESPIPE"), (30, "EROFS"), (31, "EMLINK"),
        (32, "EPIPE"), (33, "EDOM"), (34, "ERANGE"), (35, "EDEADLK"), (36, "ENAMETOOLONG"), (37, "ENOLCK"),
        (38, "ENOSYS"), (39, "ENOTEMPTY"), (40, "ELOOP"), (42, "ENOMSG"), (43, "EIDRM"), (44, "ECHRNG"),
        (45, "EL2NSYNC"), (46, "EL3HLT"), (47, "EL3RST"), (48, "ELNRNG"), (49, "EUNATCH"), (50, "ENOCSI"),
        (51, "EL2HLT"), (52, "EBADE"), (53, "EBADR"), (54, "EXFULL"), (55, "ENOANO"), (56, "EBADRQC"),
        (57, "EBADSLT"), (59, "EBFONT"), (60, "ENOSTR"), (61, "ENODATA"), (62, "ETIME"), (63, "ENOSR"),
        (64, "ENONET"), (65, "ENOPKG"), (66, "EREMOTE"), (67, "ENOLINK"), (68, "EADV"), (69, "ESRMNT"),
        (70, "ECOMM"), (71, "EPROTO"), (72, "EMULTIHOP"), (73, "EDOTDOT"), (74, "EBADMSG"), (75, "EOVERFLOW"),
        (76, "ENOTUNIQ"), (77, "EBADFD"), (78, "EREMCHG"), (79, "ELIBACC"), (80, "ELIBBAD"), (81, "ELIBSCN"),
        (82, "ELIBMAX"), (83, "ELIBEXEC"), (84, "EILSEQ"), (85, "ERESTART"), (86, "ESTRPIPE"), (87, "EUSERS"),
        (88, "ENOTSOCK"), (89, "EDESTADDRREQ"), (90, "EMSGSIZE"), (91, "EPROTOTYPE"), (92, "ENOPROTOOPT"),
        (93, "EPROTONOSUPPORT"), (94, "ESOCKTNOSUPPORT"), (95, "EOPNOTSUPP"), (96, "EPFNOSUPPORT"),
        (97, "EAFNOSUPPORT"), (98, "EADDRINUSE"), (99, "EADDRNOTAVAIL"), (100, "ENETDOWN"), (101, "ENETUNREACH"),
        (102, "ENETRESET"), (103, "ECONNABORTED"), (104, "ECONNRESET"), (105, "ENOBUFS"), (106, "EISCONN"),
        (107, "ENOTCONN"), (108, "ESHUTDOWN"), (109, "ETOOMANYREFS"), (110, "ETIMEDOUT"), (111, "ECONNREFUSED"),
        (112, "EHOSTDOWN"), (113, "EHOSTUNREACH"), (114, "EALREADY"), (Linux.EINPROGRESS, "EINPROGRESS"), (116, "ESTALE"),
        (117, "EUCLEAN"), (118, "ENOTNAM"), (119, "ENAVAIL"), (120, "EISNAM"), (121, "EREMOTEIO"), (122, "EDQUOT"),
        (123, "ENOMEDIUM"), (124, "EMEDIUMTYPE"), (125, "ECANCELED"), (126, "ENOKEY"), (127, "EKEYEXPIRED"),
        (128, "EKEYREVOKED"), (129, "EKEYREJECTED"), (130, "EOWNERDEAD"), (131, "ENOTRECOVERABLE"),
        (132, "ERFKILL"), (133, "EHWPOISON"),
        (512, "ERESTARTSYS"), (513, "ERESTARTNOINTR"), (514, "ERESTARTNOHAND"), (515, "ENOIOCTLCMD"),
        (516, "ERESTART_RESTARTBLOCK"), (517, "EPROBE_DEFER"), (518, "EOPENSTALE"), (519, "ENOPARAM"),
        (521, "EBADHANDLE"), (522, "ENOTSYNC"), (523, "EBADCOOKIE"), (524, "ENOTSUPP"), (525, "ETOOSMALL"),
        (526, "ESERVERFAULT"), (527, "EBADTYPE"), (528, "EJUKEBOX"), (529, "EIOCBQUEUED"),
        (530, "ERECALLCONFLICT"),
    ])

    // Generated from the UAPI headers (tools/gen-symbol-tables.py, GeneratedSymbols.swift).
    /// ioctl(2) requests.
    public static let ioctlRequests = ValueTable(GeneratedSymbols.ioctlRequests)
    /// futex(2) commands (`op & 127`); FUTEX_PRIVATE_FLAG (128) prints as a `_PRIVATE` suffix, as strace does.
    public static let futexCommands = ValueTable(GeneratedSymbols.futexCommands)
    /// Socket option levels.
    public static let socketLevels = ValueTable(GeneratedSymbols.socketLevels)
    /// SOL_SOCKET options.
    public static let socketOptions = ValueTable(GeneratedSymbols.socketOptions)
    /// SOL_TCP options.
    public static let tcpOptions = ValueTable(GeneratedSymbols.tcpOptions)
    /// SOL_IP options.
    public static let ipOptions = ValueTable(GeneratedSymbols.ipOptions)
    /// SOL_IPV6 options.
    public static let ipv6Options = ValueTable(GeneratedSymbols.ipv6Options)
    /// IP protocol numbers.
    public static let ipProtocols = ValueTable(GeneratedSymbols.ipProtocols)
    /// Clock ids.
    public static let clockIds = ValueTable(GeneratedSymbols.clockIds)
    /// epoll_ctl(2) operations.
    public static let epollCtlOps = ValueTable(GeneratedSymbols.epollCtlOps)
    /// epoll event bits.
    public static let epollEvents = FlagTable(GeneratedSymbols.epollEvents.map { (UInt64($0.0), $0.1) })
    /// madvise(2) advice.
    public static let madviseAdvice = ValueTable(GeneratedSymbols.madviseAdvice)
    /// fadvise64(2) advice.
    public static let fadviseAdvice = ValueTable(GeneratedSymbols.fadviseAdvice)
    /// rlimit resources.
    public static let rlimitResources = ValueTable(GeneratedSymbols.rlimitResources)
    /// arch_prctl(2) options.
    public static let archPrctlOptions = ValueTable(GeneratedSymbols.archPrctlOptions)
    /// flock(2) operations.
    public static let flockOperations = FlagTable(GeneratedSymbols.flockOperations.map { (UInt64($0.0), $0.1) })
    /// prctl(2) options.
    public static let prctlOptions = ValueTable(GeneratedSymbols.prctlOptions)
    /// getrandom(2) flags.
    public static let getrandomFlags = FlagTable(GeneratedSymbols.getrandomFlags.map { (UInt64($0.0), $0.1) })
    /// memfd_create(2) flags.
    public static let memfdFlags = FlagTable(GeneratedSymbols.memfdFlags.map { (UInt64($0.0), $0.1) })
    /// statx(2) mask bits.
    public static let statxMask = FlagTable(GeneratedSymbols.statxMask.map { (UInt64($0.0), $0.1) })
    /// statx(2) sync types (`flags & AT_STATX_SYNC_TYPE`).
    public static let statxSyncTypes = ValueTable([(0, "AT_STATX_SYNC_AS_STAT"), (0x2000, "AT_STATX_FORCE_SYNC"),
                                                   (0x4000, "AT_STATX_DONT_SYNC")])
    /// epoll_create1(2) flags.
    public static let epollCreateFlags = FlagTable(GeneratedSymbols.epollCreateFlags.map { (UInt64($0.0), $0.1) })
    /// eventfd2(2) flags.
    public static let eventfdFlags = FlagTable(GeneratedSymbols.eventfdFlags.map { (UInt64($0.0), $0.1) })
    /// signalfd4(2) flags.
    public static let signalfdFlags = FlagTable(GeneratedSymbols.signalfdFlags.map { (UInt64($0.0), $0.1) })
    /// timerfd_create(2) flags.
    public static let timerfdFlags = FlagTable(GeneratedSymbols.timerfdFlags.map { (UInt64($0.0), $0.1) })
    /// inotify_init1(2) flags.
    public static let inotifyFlags = FlagTable(GeneratedSymbols.inotifyInitFlags.map { (UInt64($0.0), $0.1) })
    /// File seals (fcntl F_ADD_SEALS).
    public static let sealFlags = FlagTable(GeneratedSymbols.sealFlags.map { (UInt64($0.0), $0.1) })
    /// si_code names by prefix (`SI`, `ILL`, `FPE`, `SEGV`, `BUS`, `TRAP`, `CLD`, `POLL`, `SYS`).
    public static let siginfoCodes: [String: ValueTable] = {
        var groups: [String: [(Int64, String)]] = [:]
        for (v, n) in GeneratedSymbols.siginfoCodes { groups[String(n.prefix { $0 != "_" }), default: []].append((v, n)) }
        return groups.mapValues(ValueTable.init)
    }()
    /// struct sigaction's sa_flags.
    public static let sigactionFlags = FlagTable(GeneratedSymbols.sigactionFlags.map { (UInt64($0.0), $0.1) })
    /// poll(2) events.
    public static let pollEvents = FlagTable(GeneratedSymbols.pollEvents.map { (UInt64($0.0), $0.1) })
    /// statx(2) attributes.
    public static let statxAttributes = FlagTable(GeneratedSymbols.statxAttributes.map { (UInt64($0.0), $0.1) })
    /// fd flags (fcntl F_SETFD).
    public static let fdFlagsTable = FlagTable([(Linux.FD_CLOEXEC, "FD_CLOEXEC")])
}
