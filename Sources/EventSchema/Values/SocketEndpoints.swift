import CaptureFormat

/// The two ends of a socket as the kernel knew them at syscall exit (`struct kcap_tuple`).
public struct SocketEndpoints: Sendable, Hashable, CustomStringConvertible {
    /// AF_INET (2), AF_INET6 (10) or AF_UNIX (1).
    public var family: UInt16
    /// IPPROTO_TCP (6), IPPROTO_UDP (17) or 0.
    public var proto: UInt16
    /// Local address (unused for AF_UNIX).
    public var localAddress: SocketIPAddress
    /// Local port, host order.
    public var localPort: UInt16
    /// Remote address (unused for AF_UNIX).
    public var remoteAddress: SocketIPAddress
    /// Remote port, host order.
    public var remotePort: UInt16

    /// Creates endpoints from values (tests and synthetic records).
    public init(family: UInt16, proto: UInt16, localAddress: SocketIPAddress, localPort: UInt16,
                remoteAddress: SocketIPAddress, remotePort: UInt16) {
        self.family = family
        self.proto = proto
        self.localAddress = localAddress
        self.localPort = localPort
        self.remoteAddress = remoteAddress
        self.remotePort = remotePort
    }

    /// Decodes a TUPLE item; nil when shorter than 40 bytes.
    public init?(tuple b: UnsafeRawBufferPointer) {
        guard b.count >= KcapABI.Tuple.size else { return nil }
        family = LE.u16(b, KcapABI.Tuple.family)
        proto = LE.u16(b, KcapABI.Tuple.proto)
        localPort = LE.u16(b, KcapABI.Tuple.lport)
        remotePort = LE.u16(b, KcapABI.Tuple.rport)
        if family == 10 {
            localAddress = .v6(b, KcapABI.Tuple.laddr)
            remoteAddress = .v6(b, KcapABI.Tuple.raddr)
        } else {
            localAddress = .v4(b, KcapABI.Tuple.laddr)
            remoteAddress = .v4(b, KcapABI.Tuple.raddr)
        }
    }

    /// `tcp`, `udp`, or the protocol number; `unix` for AF_UNIX.
    public var protocolName: String {
        if family == 1 { return "unix" }
        switch proto {
        case 6: return "tcp"
        case 17: return "udp"
        case 1: return "icmp"
        case 58: return "icmpv6"
        case 0: return "ip"
        default: return String(proto)
        }
    }

    /// `local->remote` the way sysdig names a socket fd: `127.0.0.1:40000->127.0.0.1:80`.
    public var description: String {
        func ep(_ a: SocketIPAddress, _ p: UInt16) -> String {
            if case .v6 = a { return "[\(a)]:\(p)" }
            return "\(a):\(p)"
        }
        return ep(localAddress, localPort) + "->" + ep(remoteAddress, remotePort)
    }
}
