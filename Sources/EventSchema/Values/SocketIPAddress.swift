import CaptureFormat

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
