/// An IP address without allocation: IPv4 or IPv6, bytes in network order.
public enum SocketIPAddress: Sendable, Hashable, CustomStringConvertible {
    /// IPv4, the four bytes in network order packed big-endian (127.0.0.1 is 0x7f000001).
    case v4(UInt32)
    /// IPv6, the sixteen bytes in network order as two big-endian halves.
    case v6(UInt64, UInt64)

    /// Reads an IPv4 address from 4 bytes at `offset`.
    static func v4(_ b: UnsafeRawBufferPointer, _ offset: Int) -> SocketIPAddress {
        .v4(UInt32(bigEndian: b.count >= offset + 4 ? b.loadUnaligned(fromByteOffset: offset, as: UInt32.self) : 0))
    }

    /// Reads an IPv6 address from 16 bytes at `offset`.
    static func v6(_ b: UnsafeRawBufferPointer, _ offset: Int) -> SocketIPAddress {
        guard b.count >= offset + 16 else { return .v6(0, 0) }
        return .v6(UInt64(bigEndian: b.loadUnaligned(fromByteOffset: offset, as: UInt64.self)),
                   UInt64(bigEndian: b.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)))
    }

    /// The address's 4 or 16 bytes in network order.
    public var bytes: [UInt8] {
        switch self {
        case let .v4(a): return (0..<4).map { UInt8(truncatingIfNeeded: a >> (24 - 8 * $0)) }
        case let .v6(hi, lo):
            return (0..<8).map { UInt8(truncatingIfNeeded: hi >> (56 - 8 * $0)) }
                + (0..<8).map { UInt8(truncatingIfNeeded: lo >> (56 - 8 * $0)) }
        }
    }

    /// An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as its IPv4 address; others unchanged.
    public var unmapped: SocketIPAddress {
        if case let .v6(hi, lo) = self, hi == 0, lo >> 32 == 0xffff { return .v4(UInt32(truncatingIfNeeded: lo)) }
        return self
    }

    /// Dotted quad for IPv4; RFC 5952 text for IPv6 (lowercase hex, the longest run of two or more zero groups as ::).
    public var description: String {
        switch self {
        case let .v4(a):
            return "\(a >> 24).\((a >> 16) & 0xff).\((a >> 8) & 0xff).\(a & 0xff)"
        case let .v6(hi, lo):
            var groups = [UInt16](repeating: 0, count: 8)
            for i in 0..<4 {
                groups[i] = UInt16(truncatingIfNeeded: hi >> (48 - 16 * i))
                groups[i + 4] = UInt16(truncatingIfNeeded: lo >> (48 - 16 * i))
            }
            // IPv4-mapped addresses read best with the IPv4 part dotted.
            if hi == 0, lo >> 32 == 0xffff {
                return "::ffff:" + SocketIPAddress.v4(UInt32(truncatingIfNeeded: lo)).description
            }
            var bestStart = -1, bestLen = 0, runStart = -1
            for i in 0...8 {
                if i < 8 && groups[i] == 0 {
                    if runStart < 0 { runStart = i }
                } else if runStart >= 0 {
                    if i - runStart > bestLen { bestStart = runStart; bestLen = i - runStart }
                    runStart = -1
                }
            }
            if bestLen < 2 { bestStart = -1 }
            var out = ""
            var i = 0
            while i < 8 {
                if i == bestStart {
                    out += "::"
                    i += bestLen
                    continue
                }
                if !out.isEmpty && !out.hasSuffix(":") { out += ":" }
                out += String(groups[i], radix: 16)
                i += 1
            }
            return out
        }
    }
}

/// A decoded `struct sockaddr`: what connect, bind, accept, sendto and friends passed or returned.
public enum SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// AF_INET address and port (host order).
    case ipv4(SocketIPAddress, port: UInt16)
    /// AF_INET6 address, port (host order) and scope id.
    case ipv6(SocketIPAddress, port: UInt16, scopeID: UInt32)
    /// AF_UNIX path; an abstract socket's name starts with "@" as ss(8) prints it; "" for an unnamed socket.
    case unix(String)
    /// AF_UNSPEC (used to dissolve a UDP association).
    case unspecified
    /// Another family (netlink, packet, ...): the family number and the bytes' length.
    case other(family: UInt16, length: Int)

    /// Decodes sockaddr bytes (family first, host byte order; ports and addresses in network order). Returns nil
    /// when the bytes are too short for the family they name.
    public init?(sockaddr b: UnsafeRawBufferPointer) {
        guard b.count >= 2 else { return nil }
        let family = LE.u16(b, 0)
        switch family {
        case 0:
            self = .unspecified
        case 2: // AF_INET: family, port, addr
            guard b.count >= 8 else { return nil }
            self = .ipv4(.v4(b, 4), port: LE.u16be(b, 2))
        case 10: // AF_INET6: family, port, flowinfo, addr, scope id
            guard b.count >= 24 else { return nil }
            self = .ipv6(.v6(b, 8), port: LE.u16be(b, 2), scopeID: b.count >= 28 ? LE.u32(b, 24) : 0)
        case 1: // AF_UNIX: family, path (NUL-terminated, or abstract when it starts with NUL)
            let path = UnsafeRawBufferPointer(rebasing: b[2..<b.count])
            if path.isEmpty {
                self = .unix("")
            } else if path[0] == 0 {
                // Abstract names may contain NULs; show the bytes up to the given length, trailing NULs dropped.
                var end = path.count
                while end > 1 && path[end - 1] == 0 { end -= 1 }
                self = .unix("@" + String(decoding: UnsafeRawBufferPointer(rebasing: path[1..<end]), as: UTF8.self))
            } else {
                var end = 0
                while end < path.count && path[end] != 0 { end += 1 }
                self = .unix(String(decoding: UnsafeRawBufferPointer(rebasing: path[0..<end]), as: UTF8.self))
            }
        default:
            self = .other(family: family, length: b.count)
        }
    }

    /// The address family number (AF_*).
    public var family: UInt16 {
        switch self {
        case .ipv4: return 2
        case .ipv6: return 10
        case .unix: return 1
        case .unspecified: return 0
        case let .other(family, _): return family
        }
    }

    /// The port, for IP families.
    public var port: UInt16? {
        switch self {
        case let .ipv4(_, port), let .ipv6(_, port, _): return port
        default: return nil
        }
    }

    /// As sysdig prints an endpoint: `127.0.0.1:80`, `[::1]:80` (IPv6 printed bare by sysdig is ambiguous), a unix
    /// path, `AF_UNSPEC`, or `family=N`.
    public var description: String {
        switch self {
        case let .ipv4(a, port): return "\(a):\(port)"
        case let .ipv6(a, port, _): return "[\(a)]:\(port)"
        case let .unix(path): return path
        case .unspecified: return "AF_UNSPEC"
        case let .other(family, _): return "\(SocketFamilyName.name(Int(family)))"
        }
    }
}

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
