/// Upper bounds on the state a reader keeps while it reads a capture, so a small hostile file (a few MB of
/// LZ4 that expands to millions of entries) cannot make `kcap read` or `kcap stats` use gigabytes.
///
/// Each bound is above what a real Linux system produces, so real captures are never cut; when a file goes
/// past one, the excess is dropped and the reader says so once, in one line naming the limit.
/// Together they keep a replay under about 200 MB (docs/capture-format.md, "Limits").
public enum StateLimits {
    /// Bytes of one process's argv, counted as the kernel counts them for execve(2): each argument's bytes,
    /// its NUL and its 8-byte pointer. ARG_MAX is a quarter of the stack rlimit, 2 MiB at the default 8 MiB
    /// (`getconf ARG_MAX`), so no process started with a default stack has a longer argv.
    public static let argvBytes = 2 << 20
    /// Threads in one snapshot and in the engine's thread table. kernel.threads-max defaults to RAM / 128 KiB
    /// (an eighth of memory in 16 KiB kernel stacks): 262144 is a 32 GiB host filled with threads, far above
    /// what real hosts run; at about 400 bytes of state each it keeps the tables near 100 MB. pid_max
    /// (up to 4194304) bounds tid values, not how many threads exist at once.
    public static let threads = 1 << 18
    /// Fds in one snapshot. fs.file-max defaults to about 100 per MiB of RAM; 262144 open files is a busy
    /// 32 GiB server's whole system, and keeps a decoded snapshot's fd list near 40 MB.
    public static let snapshotFds = 1 << 18
    /// Bytes of one path-like string in a snapshot (exe, cwd, cgroup, an fd's name): PATH_MAX is 4096 and
    /// /proc shows no longer path; a socket tuple or "anon_inode:[...]" name is far shorter.
    public static let pathBytes = 4096
    /// Bytes of a snapshot's comm (TASK_COMM_LEN is 16) and container id (a 64-digit hex sha256); a user or
    /// group name (useradd allows 32 bytes) is kept up to the same bound.
    public static let shortStringBytes = 256
    /// Bytes of interned paths and socket names the engine keeps for the whole replay: 64 MiB is 16384
    /// distinct PATH_MAX paths, or about a million of typical 60-byte ones; a busy host's capture names a
    /// few hundred thousand files. Names past it are shown as unknown.
    public static let internedPathBytes = 64 << 20
    /// Distinct interned paths (each costs about 40 bytes of index besides its bytes), for the same reason.
    public static let internedPaths = 1 << 20
    /// Integrity problems listed in full per kind; later ones of the same kind are counted and summed up in
    /// one line. Twenty show where damage starts and what it looks like; a million lines help nobody.
    public static let problemsListedPerKind = 20

    /// What was cut, for the one warning per limit.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A process's argv was longer than `argvBytes`.
        case argv
        /// A snapshot listed more than `threads` threads.
        case snapshotThreads
        /// A snapshot listed more than `snapshotFds` fds.
        case snapshotFds
        /// A snapshot string was longer than its bound.
        case snapshotString
        /// A snapshot's user or group table listed more than `threads` names.
        case nameTable
    }
}
