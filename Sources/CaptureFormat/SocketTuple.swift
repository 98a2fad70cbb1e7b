/// A socket's endpoints; same meaning as struct kcap_tuple.
public struct SocketTuple: Sendable, Equatable {
    /// AF_INET (2), AF_INET6 (10), AF_UNIX (1).
    public var family: UInt16
    /// IPPROTO_TCP (6), IPPROTO_UDP (17), or 0.
    public var proto: UInt16
    /// 16 bytes; IPv4 in the first 4, network byte order.
    public var localAddress: [UInt8]
    /// Host byte order.
    public var localPort: UInt16
    /// 16 bytes; IPv4 in the first 4, network byte order.
    public var remoteAddress: [UInt8]
    /// Host byte order.
    public var remotePort: UInt16
    /// Path of a unix socket, "" otherwise.
    public var unixPath: String

    /// Memberwise initializer; addresses shorter than 16 bytes are zero-padded, longer ones cut.
    public init(family: UInt16, proto: UInt16 = 0, localAddress: [UInt8] = [], localPort: UInt16 = 0,
                remoteAddress: [UInt8] = [], remotePort: UInt16 = 0, unixPath: String = "") {
        self.family = family
        self.proto = proto
        self.localAddress = SocketTuple.pad(localAddress)
        self.localPort = localPort
        self.remoteAddress = SocketTuple.pad(remoteAddress)
        self.remotePort = remotePort
        self.unixPath = unixPath
    }

    static func pad(_ a: [UInt8]) -> [UInt8] {
        a.count == 16 ? a : Array((a + [UInt8](repeating: 0, count: 16)).prefix(16))
    }
}
