/// A syscall row as the generator derives it from the kernel prototype (see tools/gen-syscall-table.py).
struct GeneratedSyscall {
    let name: String
    let x86_64: Int?
    let aarch64: Int?
    let category: EventCategory
    let params: [ParamInfo]
}

/// A syscall whose parameter types, flags and result were chosen by hand; it overrides the generated row.
struct CuratedSyscall {
    let name: String
    let flags: EventFlags
    let params: [ParamInfo]
    let result: ParamType
    let category: EventCategory?
}

/// Short constructors keep the tables below one row per syscall.
@inline(__always) func P(_ name: String, _ type: ParamType) -> ParamInfo { ParamInfo(name, type) }
@inline(__always) func G(_ name: String, _ x86_64: Int?, _ aarch64: Int?, _ category: EventCategory,
                         _ params: [ParamInfo]) -> GeneratedSyscall {
    GeneratedSyscall(name: name, x86_64: x86_64, aarch64: aarch64, category: category, params: params)
}
@inline(__always) func C(_ name: String, _ flags: EventFlags, _ params: [ParamInfo], res: ParamType = .errno,
                         cat: EventCategory? = nil) -> CuratedSyscall {
    CuratedSyscall(name: name, flags: flags, params: params, result: res, category: cat)
}

/// The hand-curated part of the event table: the syscalls users filter and read most, with parameter names as
/// sysdig users know them (`evt.arg.name`, `evt.arg.fd`, `evt.arg.flags`) in the syscall's argument order.
///
/// Rows here only refine a generated row (the numbers always come from the kernel headers); a test fails when a
/// curated name has no generated row or a different parameter count.
enum SyscallCatalog {
    /// aarch64's clone takes `tls` before `child_tid` (CONFIG_CLONE_BACKWARDS); x86_64's the other way round.
    static let cloneAArch64Params: [ParamInfo] = [
        P("flags", .cloneFlags), P("newsp", .pointer), P("parent_tid", .pointer), P("tls", .pointer),
        P("child_tid", .pointer),
    ]

    static let curated: [CuratedSyscall] = [
        // I/O on fds
        C("read", [.usesFd, .isIORead], [P("fd", .fd), P("data", .buffer), P("size", .size)], res: .size),
        C("write", [.usesFd, .isIOWrite], [P("fd", .fd), P("data", .buffer), P("size", .size)], res: .size),
        C("pread64", [.usesFd, .isIORead], [P("fd", .fd), P("data", .buffer), P("size", .size), P("pos", .int)], res: .size),
        C("pwrite64", [.usesFd, .isIOWrite], [P("fd", .fd), P("data", .buffer), P("size", .size), P("pos", .int)], res: .size),
        C("readv", [.usesFd, .isIORead], [P("fd", .fd), P("data", .buffer), P("iovcnt", .int)], res: .size),
        C("writev", [.usesFd, .isIOWrite], [P("fd", .fd), P("data", .buffer), P("iovcnt", .int)], res: .size),
        C("preadv", [.usesFd, .isIORead], [P("fd", .fd), P("data", .buffer), P("iovcnt", .int), P("pos_l", .int), P("pos_h", .int)], res: .size),
        C("pwritev", [.usesFd, .isIOWrite], [P("fd", .fd), P("data", .buffer), P("iovcnt", .int), P("pos_l", .int), P("pos_h", .int)], res: .size),
        C("preadv2", [.usesFd, .isIORead], [P("fd", .fd), P("data", .buffer), P("iovcnt", .int), P("pos_l", .int), P("pos_h", .int), P("flags", .flags)], res: .size),
        C("pwritev2", [.usesFd, .isIOWrite], [P("fd", .fd), P("data", .buffer), P("iovcnt", .int), P("pos_l", .int), P("pos_h", .int), P("flags", .flags)], res: .size),
        C("lseek", [.usesFd], [P("fd", .fd), P("offset", .int), P("whence", .whence)], res: .int),
        C("getdents", [.usesFd], [P("fd", .fd), P("dirp", .pointer), P("count", .size)], res: .size),
        C("getdents64", [.usesFd], [P("fd", .fd), P("dirp", .pointer), P("count", .size)], res: .size),
        C("sendfile", [.usesFd, .isIOWrite], [P("out_fd", .fd), P("in_fd", .fd), P("offset", .pointer), P("size", .size)], res: .size),
        C("splice", [.usesFd], [P("fd_in", .fd), P("off_in", .pointer), P("fd_out", .fd), P("off_out", .pointer), P("size", .size), P("flags", .flags)], res: .size),
        C("tee", [.usesFd], [P("fd_in", .fd), P("fd_out", .fd), P("size", .size), P("flags", .flags)], res: .size),
        C("vmsplice", [.usesFd], [P("fd", .fd), P("iov", .pointer), P("nr_segs", .uint), P("flags", .flags)], res: .size),
        C("copy_file_range", [.usesFd], [P("fd_in", .fd), P("off_in", .pointer), P("fd_out", .fd), P("off_out", .pointer), P("size", .size), P("flags", .flags)], res: .size),
        C("ioctl", [.usesFd], [P("fd", .fd), P("request", .flags), P("argument", .pointer)], res: .int),
        C("fcntl", [.usesFd, .createsFd], [P("fd", .fd), P("cmd", .fcntlCmd), P("arg", .uint)], res: .int),
        C("flock", [.usesFd], [P("fd", .fd), P("operation", .int)]),
        C("fsync", [.usesFd], [P("fd", .fd)]),
        C("fdatasync", [.usesFd], [P("fd", .fd)]),
        C("ftruncate", [.usesFd], [P("fd", .fd), P("length", .int)]),
        C("fstat", [.usesFd], [P("fd", .fd), P("statbuf", .pointer)]),
        C("fchmod", [.usesFd], [P("fd", .fd), P("mode", .mode)]),
        C("fchown", [.usesFd], [P("fd", .fd), P("uid", .uid), P("gid", .gid)]),
        C("fallocate", [.usesFd], [P("fd", .fd), P("mode", .int), P("offset", .int), P("len", .int)]),

        // Opening, closing and duplicating fds
        C("open", [.createsFd], [P("name", .path), P("flags", .openFlags), P("mode", .mode)], res: .fd),
        C("openat", [.createsFd], [P("dirfd", .dirfd), P("name", .path), P("flags", .openFlags), P("mode", .mode)], res: .fd),
        C("openat2", [.createsFd], [P("dirfd", .dirfd), P("name", .path), P("how", .pointer), P("size", .size)], res: .fd),
        C("creat", [.createsFd], [P("name", .path), P("mode", .mode)], res: .fd),
        C("open_by_handle_at", [.createsFd, .usesFd], [P("mountdirfd", .fd), P("handle", .pointer), P("flags", .openFlags)], res: .fd),
        C("close", [.usesFd, .closesFd], [P("fd", .fd)]),
        C("close_range", [.closesFd], [P("fd", .uint), P("max_fd", .uint), P("flags", .flags)]),
        C("dup", [.usesFd, .createsFd], [P("fd", .fd)], res: .fd),
        C("dup2", [.usesFd, .createsFd, .closesFd], [P("oldfd", .fd), P("newfd", .fd)], res: .fd),
        C("dup3", [.usesFd, .createsFd, .closesFd], [P("oldfd", .fd), P("newfd", .fd), P("flags", .fdFlags)], res: .fd),
        C("pipe", [.createsFd], [P("fds", .fdPair)], cat: .ipc),
        C("pipe2", [.createsFd], [P("fds", .fdPair), P("flags", .fdFlags)], cat: .ipc),
        C("eventfd", [.createsFd], [P("initval", .uint)], res: .fd),
        C("eventfd2", [.createsFd], [P("initval", .uint), P("flags", .fdFlags)], res: .fd),
        C("signalfd", [.createsFd], [P("fd", .fd), P("mask", .pointer), P("sizemask", .size)], res: .fd),
        C("signalfd4", [.createsFd], [P("fd", .fd), P("mask", .pointer), P("sizemask", .size), P("flags", .fdFlags)], res: .fd),
        C("timerfd_create", [.createsFd], [P("clockid", .int), P("flags", .fdFlags)], res: .fd),
        C("inotify_init", [.createsFd], [], res: .fd),
        C("inotify_init1", [.createsFd], [P("flags", .fdFlags)], res: .fd),
        C("memfd_create", [.createsFd], [P("name", .string), P("flags", .flags)], res: .fd),
        C("memfd_secret", [.createsFd], [P("flags", .flags)], res: .fd),
        C("userfaultfd", [.createsFd], [P("flags", .fdFlags)], res: .fd),
        C("pidfd_open", [.createsFd], [P("pid", .pid), P("flags", .flags)], res: .fd),
        C("pidfd_getfd", [.createsFd, .usesFd], [P("pidfd", .fd), P("targetfd", .int), P("flags", .flags)], res: .fd),
        C("perf_event_open", [.createsFd], [P("attr", .pointer), P("pid", .pid), P("cpu", .int), P("group_fd", .fd), P("flags", .flags)], res: .fd),
        C("io_uring_setup", [.createsFd], [P("entries", .uint), P("params", .pointer)], res: .fd),
        C("fanotify_init", [.createsFd], [P("flags", .flags), P("event_f_flags", .openFlags)], res: .fd),
        C("mq_open", [.createsFd], [P("name", .string), P("oflag", .openFlags), P("mode", .mode), P("attr", .pointer)], res: .fd),
        C("mq_timedsend", [.usesFd], [P("mqdes", .fd), P("msg", .pointer), P("msg_len", .size), P("msg_prio", .uint), P("abs_timeout", .pointer)]),
        C("mq_timedreceive", [.usesFd], [P("mqdes", .fd), P("msg", .pointer), P("msg_len", .size), P("msg_prio", .pointer), P("abs_timeout", .pointer)], res: .size),
        C("fsopen", [.createsFd], [P("fs_name", .string), P("flags", .flags)], res: .fd),
        C("fsmount", [.createsFd, .usesFd], [P("fs_fd", .fd), P("flags", .flags), P("attr_flags", .flags)], res: .fd),
        C("fspick", [.createsFd], [P("dirfd", .dirfd), P("path", .path), P("flags", .flags)], res: .fd),
        C("open_tree", [.createsFd], [P("dirfd", .dirfd), P("filename", .path), P("flags", .flags)], res: .fd),
        C("open_tree_attr", [.createsFd], [P("dirfd", .dirfd), P("filename", .path), P("flags", .flags), P("attr", .pointer), P("size", .size)], res: .fd),
        C("landlock_create_ruleset", [.createsFd], [P("attr", .pointer), P("size", .size), P("flags", .flags)], res: .fd),
        C("epoll_create", [.createsFd], [P("size", .int)], res: .fd),
        C("epoll_create1", [.createsFd], [P("flags", .openFlags)], res: .fd),
        C("epoll_ctl", [.usesFd], [P("epfd", .fd), P("op", .int), P("fd", .fd), P("event", .pointer)]),
        C("epoll_wait", [.usesFd], [P("epfd", .fd), P("events", .pointer), P("maxevents", .int), P("timeout", .int)], res: .int),
        C("epoll_pwait", [.usesFd], [P("epfd", .fd), P("events", .pointer), P("maxevents", .int), P("timeout", .int), P("sigmask", .pointer), P("sigsetsize", .size)], res: .int),
        C("epoll_pwait2", [.usesFd], [P("epfd", .fd), P("events", .pointer), P("maxevents", .int), P("timeout", .pointer), P("sigmask", .pointer), P("sigsetsize", .size)], res: .int),
        C("poll", [], [P("fds", .pointer), P("nfds", .uint), P("timeout", .int)], res: .int),
        C("ppoll", [], [P("fds", .pointer), P("nfds", .uint), P("tsp", .pointer), P("sigmask", .pointer), P("sigsetsize", .size)], res: .int),
        C("select", [], [P("nfds", .int), P("readfds", .pointer), P("writefds", .pointer), P("exceptfds", .pointer), P("timeout", .pointer)], res: .int),
        C("pselect6", [], [P("nfds", .int), P("readfds", .pointer), P("writefds", .pointer), P("exceptfds", .pointer), P("timeout", .pointer), P("sigmask", .pointer)], res: .int),

        // Paths
        C("stat", [], [P("path", .path), P("statbuf", .pointer)]),
        C("lstat", [], [P("path", .path), P("statbuf", .pointer)]),
        C("newfstatat", [], [P("dirfd", .dirfd), P("path", .path), P("statbuf", .pointer), P("flags", .atFlags)]),
        C("statx", [], [P("dirfd", .dirfd), P("path", .path), P("flags", .atFlags), P("mask", .flags), P("statxbuf", .pointer)]),
        C("access", [], [P("name", .path), P("mode", .accessMode)]),
        C("faccessat", [], [P("dirfd", .dirfd), P("name", .path), P("mode", .accessMode)]),
        C("faccessat2", [], [P("dirfd", .dirfd), P("name", .path), P("mode", .accessMode), P("flags", .atFlags)]),
        C("unlink", [], [P("path", .path)]),
        C("unlinkat", [], [P("dirfd", .dirfd), P("name", .path), P("flags", .atFlags)]),
        C("rename", [], [P("oldpath", .path), P("newpath", .path)]),
        C("renameat", [], [P("olddirfd", .dirfd), P("oldpath", .path), P("newdirfd", .dirfd), P("newpath", .path)]),
        C("renameat2", [], [P("olddirfd", .dirfd), P("oldpath", .path), P("newdirfd", .dirfd), P("newpath", .path), P("flags", .flags)]),
        C("mkdir", [], [P("path", .path), P("mode", .mode)]),
        C("mkdirat", [], [P("dirfd", .dirfd), P("path", .path), P("mode", .mode)]),
        C("rmdir", [], [P("path", .path)]),
        C("chdir", [.changesProcessState], [P("path", .path)]),
        C("fchdir", [.usesFd, .changesProcessState], [P("fd", .fd)]),
        C("chroot", [.changesProcessState], [P("path", .path)]),
        C("chmod", [], [P("filename", .path), P("mode", .mode)]),
        C("fchmodat", [], [P("dirfd", .dirfd), P("filename", .path), P("mode", .mode)]),
        C("fchmodat2", [], [P("dirfd", .dirfd), P("filename", .path), P("mode", .mode), P("flags", .atFlags)]),
        C("chown", [], [P("path", .path), P("uid", .uid), P("gid", .gid)]),
        C("lchown", [], [P("path", .path), P("uid", .uid), P("gid", .gid)]),
        C("fchownat", [], [P("dirfd", .dirfd), P("pathname", .path), P("uid", .uid), P("gid", .gid), P("flags", .atFlags)]),
        C("readlink", [], [P("path", .path), P("buf", .pointer), P("bufsiz", .size)], res: .size),
        C("readlinkat", [], [P("dirfd", .dirfd), P("path", .path), P("buf", .pointer), P("bufsiz", .size)], res: .size),
        C("symlink", [], [P("target", .path), P("linkpath", .path)]),
        C("symlinkat", [], [P("target", .path), P("linkdirfd", .dirfd), P("linkpath", .path)]),
        C("link", [], [P("oldpath", .path), P("newpath", .path)]),
        C("linkat", [], [P("olddir", .dirfd), P("oldpath", .path), P("newdir", .dirfd), P("newpath", .path), P("flags", .atFlags)]),
        C("truncate", [], [P("path", .path), P("length", .int)]),
        C("mknod", [], [P("path", .path), P("mode", .mode), P("dev", .uint)]),
        C("mknodat", [], [P("dirfd", .dirfd), P("path", .path), P("mode", .mode), P("dev", .uint)]),
        C("utimensat", [], [P("dirfd", .dirfd), P("path", .path), P("times", .pointer), P("flags", .atFlags)]),
        C("getcwd", [], [P("path", .path), P("size", .size)], res: .size),

        // Sockets
        C("socket", [.createsFd], [P("domain", .socketFamily), P("type", .socketType), P("proto", .int)], res: .fd),
        C("socketpair", [.createsFd], [P("domain", .socketFamily), P("type", .socketType), P("proto", .int), P("fds", .fdPair)]),
        C("connect", [.usesFd], [P("fd", .fd), P("addr", .sockaddr), P("addrlen", .int)]),
        C("bind", [.usesFd], [P("fd", .fd), P("addr", .sockaddr), P("addrlen", .int)]),
        C("listen", [.usesFd], [P("fd", .fd), P("backlog", .int)]),
        C("accept", [.usesFd, .createsFd], [P("fd", .fd), P("addr", .sockaddr), P("addrlen", .pointer)], res: .fd),
        C("accept4", [.usesFd, .createsFd], [P("fd", .fd), P("addr", .sockaddr), P("addrlen", .pointer), P("flags", .socketType)], res: .fd),
        C("shutdown", [.usesFd], [P("fd", .fd), P("how", .shutdownHow)]),
        C("getsockname", [.usesFd], [P("fd", .fd), P("addr", .sockaddr), P("addrlen", .pointer)]),
        C("getpeername", [.usesFd], [P("fd", .fd), P("addr", .sockaddr), P("addrlen", .pointer)]),
        C("setsockopt", [.usesFd], [P("fd", .fd), P("level", .int), P("optname", .int), P("optval", .pointer), P("optlen", .int)]),
        C("getsockopt", [.usesFd], [P("fd", .fd), P("level", .int), P("optname", .int), P("optval", .pointer), P("optlen", .pointer)]),
        C("sendto", [.usesFd, .isIOWrite], [P("fd", .fd), P("data", .buffer), P("size", .size), P("flags", .msgFlags), P("addr", .sockaddr), P("addrlen", .int)], res: .size),
        C("recvfrom", [.usesFd, .isIORead], [P("fd", .fd), P("data", .buffer), P("size", .size), P("flags", .msgFlags), P("addr", .sockaddr), P("addrlen", .pointer)], res: .size),
        C("sendmsg", [.usesFd, .isIOWrite], [P("fd", .fd), P("msg", .pointer), P("flags", .msgFlags)], res: .size),
        C("recvmsg", [.usesFd, .isIORead], [P("fd", .fd), P("msg", .pointer), P("flags", .msgFlags)], res: .size),
        C("sendmmsg", [.usesFd, .isIOWrite], [P("fd", .fd), P("msgvec", .pointer), P("vlen", .uint), P("flags", .msgFlags)], res: .int),
        C("recvmmsg", [.usesFd, .isIORead], [P("fd", .fd), P("msgvec", .pointer), P("vlen", .uint), P("flags", .msgFlags), P("timeout", .pointer)], res: .int),

        // Memory
        C("mmap", [.usesFd], [P("addr", .pointer), P("length", .size), P("prot", .mmapProt), P("flags", .mmapFlags), P("fd", .fd), P("offset", .uint)], res: .pointer),
        C("munmap", [], [P("addr", .pointer), P("length", .size)]),
        C("mprotect", [], [P("addr", .pointer), P("length", .size), P("prot", .mmapProt)]),
        C("pkey_mprotect", [], [P("addr", .pointer), P("length", .size), P("prot", .mmapProt), P("pkey", .int)]),
        C("mremap", [], [P("old_address", .pointer), P("old_size", .size), P("new_size", .size), P("flags", .flags), P("new_address", .pointer)], res: .pointer),
        C("brk", [], [P("addr", .pointer)], res: .pointer),
        C("madvise", [], [P("addr", .pointer), P("length", .size), P("advice", .int)]),
        C("msync", [], [P("addr", .pointer), P("length", .size), P("flags", .flags)]),

        // Processes
        C("clone", [.changesProcessState], [P("flags", .cloneFlags), P("newsp", .pointer), P("parent_tid", .pointer), P("child_tid", .pointer), P("tls", .pointer)], res: .pid),
        C("clone3", [.changesProcessState], [P("cl_args", .pointer), P("size", .size)], res: .pid),
        C("fork", [.changesProcessState], [], res: .pid),
        C("vfork", [.changesProcessState], [], res: .pid),
        C("execve", [.changesProcessState], [P("filename", .path), P("argv", .pointer), P("envp", .pointer)]),
        C("execveat", [.changesProcessState], [P("dirfd", .dirfd), P("pathname", .path), P("argv", .pointer), P("envp", .pointer), P("flags", .atFlags)]),
        C("exit", [.changesProcessState], [P("status", .int)]),
        C("exit_group", [.changesProcessState], [P("status", .int)]),
        C("wait4", [], [P("pid", .pid), P("status", .pointer), P("options", .waitOptions), P("rusage", .pointer)], res: .pid),
        C("waitid", [], [P("idtype", .int), P("id", .pid), P("infop", .pointer), P("options", .waitOptions), P("rusage", .pointer)]),
        C("unshare", [.changesProcessState], [P("flags", .cloneFlags)]),
        C("setns", [.usesFd, .changesProcessState], [P("fd", .fd), P("nstype", .cloneFlags)]),
        C("prctl", [.changesProcessState], [P("option", .int), P("arg2", .uint), P("arg3", .uint), P("arg4", .uint), P("arg5", .uint)], res: .int),
        C("ptrace", [], [P("request", .int), P("pid", .pid), P("addr", .pointer), P("data", .pointer)], res: .int),
        C("setsid", [.changesProcessState], [], res: .pid),
        C("setpgid", [.changesProcessState], [P("pid", .pid), P("pgid", .pid)]),
        C("getpid", [], [], res: .pid),
        C("getppid", [], [], res: .pid),
        C("gettid", [], [], res: .pid),
        C("getpgid", [], [P("pid", .pid)], res: .pid),
        C("getsid", [], [P("pid", .pid)], res: .pid),
        C("getuid", [], [], res: .uid),
        C("geteuid", [], [], res: .uid),
        C("getgid", [], [], res: .gid),
        C("getegid", [], [], res: .gid),
        C("setuid", [.changesProcessState], [P("uid", .uid)]),
        C("setgid", [.changesProcessState], [P("gid", .gid)]),
        C("setreuid", [.changesProcessState], [P("ruid", .uid), P("euid", .uid)]),
        C("setregid", [.changesProcessState], [P("rgid", .gid), P("egid", .gid)]),
        C("setresuid", [.changesProcessState], [P("ruid", .uid), P("euid", .uid), P("suid", .uid)]),
        C("setresgid", [.changesProcessState], [P("rgid", .gid), P("egid", .gid), P("sgid", .gid)]),
        C("setfsuid", [.changesProcessState], [P("uid", .uid)], res: .uid),
        C("setfsgid", [.changesProcessState], [P("gid", .gid)], res: .gid),
        C("umask", [], [P("mask", .mode)], res: .mode),

        // Signals
        C("kill", [], [P("pid", .pid), P("sig", .signal)]),
        C("tkill", [], [P("tid", .pid), P("sig", .signal)]),
        C("tgkill", [], [P("pid", .pid), P("tid", .pid), P("sig", .signal)]),
        C("rt_sigqueueinfo", [], [P("pid", .pid), P("sig", .signal), P("info", .pointer)]),
        C("rt_tgsigqueueinfo", [], [P("pid", .pid), P("tid", .pid), P("sig", .signal), P("info", .pointer)]),
        C("pidfd_send_signal", [.usesFd], [P("pidfd", .fd), P("sig", .signal), P("info", .pointer), P("flags", .flags)]),
        C("rt_sigaction", [], [P("sig", .signal), P("act", .pointer), P("oact", .pointer), P("sigsetsize", .size)]),
        C("rt_sigprocmask", [], [P("how", .sigprocmaskHow), P("nset", .pointer), P("oset", .pointer), P("sigsetsize", .size)]),
    ]
}
