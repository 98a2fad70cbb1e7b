/// A network in CIDR form (`10.0.0.0/8`, `fe80::/10`): what `fd.net` and its kin are compared against.
public struct IPNetwork: Hashable, Sendable, CustomStringConvertible {
    /// The network address with the host bits cleared.
    public let address: IPAddress
    /// The number of leading bits that must match.
    public let prefixLength: Int

    /// A network from an address and a prefix length (clamped to the family's width); host bits are cleared.
    public init(address: IPAddress, prefixLength: Int) {
        let width = address.isV6 ? 128 : 32
        let length = max(0, min(prefixLength, width))
        let masks = IPNetwork.masks(prefixLength: length, isV6: address.isV6)
        var a = address
        a.high &= masks.high
        a.low &= masks.low
        self.address = a
        self.prefixLength = length
    }

    /// Parses `ADDRESS/LENGTH`, or a bare address (a network of that one address).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(String(parts[0])) else { return nil }
        let width = address.isV6 ? 128 : 32
        var length = width
        if parts.count == 2 {
            guard let n = Int(parts[1]), n >= 0, n <= width else { return nil }
            length = n
        }
        self.init(address: address, prefixLength: length)
    }

    /// Whether `ip` is inside the network. An address of the other family never is.
    @inlinable
    public func contains(_ ip: IPAddress) -> Bool {
        guard ip.isV6 == address.isV6 else { return false }
        let masks = IPNetwork.masks(prefixLength: prefixLength, isV6: address.isV6)
        return ip.high & masks.high == address.high && ip.low & masks.low == address.low
    }

    @usableFromInline
    static func masks(prefixLength: Int, isV6: Bool) -> (high: UInt64, low: UInt64) {
        if !isV6 {
            let m: UInt64 = prefixLength == 0 ? 0 : (0xffff_ffff << UInt64(32 - prefixLength)) & 0xffff_ffff
            return (0, m)
        }
        let hi: UInt64 = prefixLength >= 64 ? ~0 : (prefixLength == 0 ? 0 : ~0 << UInt64(64 - prefixLength))
        let loBits = prefixLength - 64
        let lo: UInt64 = loBits <= 0 ? 0 : (loBits >= 64 ? ~0 : ~0 << UInt64(64 - loBits))
        return (hi, lo)
    }

    /// `ADDRESS/LENGTH`.
    public var description: String { "\(address)/\(prefixLength)" }
}
