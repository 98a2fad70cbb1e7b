/// One thread as seen in a snapshot (from /proc when the snapshot was taken).
public struct ThreadInfo: Sendable, Equatable {
    /// Kernel pid of the thread.
    public var tid: UInt32
    /// tgid of its process.
    public var pid: UInt32
    /// tgid of the parent process.
    public var ppid: UInt32
    /// Real user id.
    public var uid: UInt32
    /// Real group id.
    public var gid: UInt32
    /// Start time, boot-time ns.
    public var startTimeNs: UInt64
    /// Thread name (16 bytes at most in the kernel).
    public var comm: String
    /// Executable path.
    public var exe: String
    /// Command line arguments, argv[0] first.
    public var args: [String]
    /// Current working directory.
    public var cwd: String
    /// cgroup path.
    public var cgroup: String
    /// Container id, "" when on the host.
    public var containerID: String
    /// The syscall the thread was inside when the snapshot was taken (format 1.2), nil when none or unknown.
    public var syscall: InFlightSyscall?

    /// Memberwise initializer with defaults.
    public init(tid: UInt32, pid: UInt32, ppid: UInt32 = 0, uid: UInt32 = 0, gid: UInt32 = 0, startTimeNs: UInt64 = 0,
                comm: String = "", exe: String = "", args: [String] = [], cwd: String = "", cgroup: String = "",
                containerID: String = "") {
        self.tid = tid
        self.pid = pid
        self.ppid = ppid
        self.uid = uid
        self.gid = gid
        self.startTimeNs = startTimeNs
        self.comm = comm
        self.exe = exe
        self.args = args
        self.cwd = cwd
        self.cgroup = cgroup
        self.containerID = containerID
        syscall = nil
    }
}
