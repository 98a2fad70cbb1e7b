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
    /// Format 1.3: whether a socket listens or is connected (`.unknown` for other fds and older captures).
    public var socketState: SocketState = .unknown

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

/// A socket's state as lsof tells it (format 1.3, appended to a socket's snapshot fd entry as one byte).
public enum SocketState: UInt8, Sendable, Equatable, CaseIterable {
    /// Not known (a capture of format 1.2 or older, or not a socket).
    case unknown = 0
    /// Made, maybe bound, neither listening nor connected (an unconnected UDP socket, a TCP socket that closed).
    case unconnected = 1
    /// listen() was called: it accepts connections.
    case listening = 2
    /// Connected (connect, accept, socketpair; a TCP connection in any state between SYN_SENT and CLOSE_WAIT).
    case connected = 3

    /// The word lsof-like listings print: LISTEN, CONNECTED, UNCONNECTED, or "" when unknown.
    public var name: String {
        switch self {
        case .unknown: return ""
        case .unconnected: return "UNCONNECTED"
        case .listening: return "LISTEN"
        case .connected: return "CONNECTED"
        }
    }
}
