#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address as two 64-bit words (network byte order, most significant first), so that
/// comparing and hashing cost two integer operations. IPv4 lives in the low 32 bits of `low` with `isV6` false.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// The first 8 bytes of an IPv6 address; 0 for IPv4.
    public var high: UInt64
    /// The last 8 bytes of an IPv6 address, or the IPv4 address in the low 32 bits.
    public var low: UInt64
    /// Whether this is an IPv6 address.
    public var isV6: Bool

    /// An IPv4 address from its 32-bit value in host order (127.0.0.1 is 0x7f000001).
    public init(ipv4 value: UInt32) {
        high = 0; low = UInt64(value); isV6 = false
    }

    /// An IPv6 address from its two halves in host order.
    public init(ipv6High: UInt64, low: UInt64) {
        high = ipv6High; self.low = low; isV6 = true
    }

    /// An address from its bytes in network order: 4 bytes for IPv4, 16 for IPv6; nil for any other length.
    public init?<C: Collection>(bytes: C) where C.Element == UInt8 {
        let b = Array(bytes)
        switch b.count {
        case 4:
            self.init(ipv4: b.reduce(0) { $0 << 8 | UInt32($1) })
        case 16:
            let hi = b[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let lo = b[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            self.init(ipv6High: hi, low: lo)
        default:
            return nil
        }
    }

    /// Parses dotted IPv4 (`127.0.0.1`) or any IPv6 text form (`::1`, `2001:db8::8888`, `::ffff:1.2.3.4`).
    public init?(_ text: String) {
        var storage = [UInt8](repeating: 0, count: 16)
        if text.contains(":") {
            guard inet_pton(AF_INET6, text, &storage) == 1 else { return nil }
            self.init(bytes: storage)
        } else {
            // inet_pton's AF_INET accepts exactly four decimal parts, as sysdig does.
            guard inet_pton(AF_INET, text, &storage) == 1 else { return nil }
            self.init(bytes: storage[0..<4])
        }
    }

    /// The address in network byte order: 4 or 16 bytes.
    public var bytes: [UInt8] {
        if !isV6 { return (0..<4).map { UInt8(truncatingIfNeeded: low >> (24 - 8 * $0)) } }
        return (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * $0)) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * $0)) }
    }

    /// The address as inet_ntop writes it (`127.0.0.1`, `::1`).
    public var description: String {
        var buffer = [CChar](repeating: 0, count: 64)
        let raw = bytes
        let ok = raw.withUnsafeBufferPointer { src in
            inet_ntop(isV6 ? AF_INET6 : AF_INET, src.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        guard ok else { return "?" }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
