import CaptureFormat

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
