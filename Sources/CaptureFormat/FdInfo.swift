/// One open fd as seen in a snapshot.
public struct FdInfo: Sendable, Equatable {
    /// Process (tgid) owning the fd table.
    public var pid: UInt32
    /// The fd number.
    public var fd: Int32
    /// What it refers to.
    public var kind: FdKind
    /// open(2) flags when known (from /proc/PID/fdinfo).
    public var openFlags: UInt32
    /// Path; for sockets the tuple rendered like sysdig: 127.0.0.1:40000->127.0.0.1:80.
    public var name: String
    /// Inode number, 0 when unknown.
    public var inode: UInt64
    /// Socket endpoints for socket fds.
    public var socket: SocketTuple?

    /// Memberwise initializer with defaults.
    public init(pid: UInt32, fd: Int32, kind: FdKind, openFlags: UInt32 = 0, name: String = "", inode: UInt64 = 0,
                socket: SocketTuple? = nil) {
        self.pid = pid
        self.fd = fd
        self.kind = kind
        self.openFlags = openFlags
        self.name = name
        self.inode = inode
        self.socket = socket
    }
}
