/// The recording host's interface addresses, from a sysdig capture's interface list blocks (0x205, 0x219). sysdig
/// completes a socket tuple that lacks an address (an unbound UDP socket's 0.0.0.0 or ::) by guessing the
/// interface the datagram left by (libsinsp's `sinsp_network_interfaces::update_fd`); kcap does the same on
/// those captures. kcap's own captures hold no interface list: their tuples are what the kernel gave.
public struct NetworkInterfaces: Sendable, Equatable {
    /// An IPv4 address and netmask as loads of their network-order bytes (libsinsp's `uint32_t` view, which
    /// `FdTuple` shares: only equality and masks are taken of them).
    struct IPv4: Sendable, Equatable {
        var address: UInt32
        var netmask: UInt32
    }
    /// An IPv6 address as `FdTuple` holds one (network-order bytes in two words).
    struct IPv6: Sendable, Equatable {
        var hi: UInt64
        var lo: UInt64
    }

    /// In the capture's order, which decides between interfaces that fit equally.
    var ipv4: [IPv4] = []
    var ipv6: [IPv6] = []

    /// 127.0.0.1 and ::1, in the same views.
    static let ipv4Loopback = UInt32(littleEndian: 0x0100_007f)
    static let ipv6Loopback = IPv6(hi: 0, lo: UInt64(littleEndian: 0x0100_0000_0000_0000))

    /// No interfaces.
    public init() {}

    /// The interfaces of `addresses` (network-order bytes, 4 for IPv4 with its netmask, 16 for IPv6), in the
    /// capture's order; other sizes are ignored.
    public init(_ addresses: [(address: [UInt8], netmask: [UInt8])]) {
        for (address, netmask) in addresses {
            if address.count == 4, netmask.count == 4 {
                ipv4.append(IPv4(address: Self.load32(address), netmask: Self.load32(netmask)))
            } else if address.count == 16 {
                var t = FdTuple()
                address.withUnsafeBytes { t.setAddress($0, remote: false) }
                ipv6.append(IPv6(hi: t.localHi, lo: t.localLo))
            }
        }
    }

    /// True when the capture listed no interface: tuples are left as they are.
    public var isEmpty: Bool { ipv4.isEmpty && ipv6.isEmpty }

    private static func load32(_ b: [UInt8]) -> UInt32 {
        UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24
    }

    /// libsinsp's `infer_ipv4_address`: the interface whose address is `destination`, else the first whose
    /// subnet holds it, else the first that is not loopback, else 0.
    func inferIPv4(_ destination: UInt32) -> UInt32 {
        if ipv4.contains(where: { $0.address == destination }) { return destination }
        if let i = ipv4.first(where: { $0.address & $0.netmask == destination & $0.netmask }) { return i.address }
        return ipv4.first { $0.address != Self.ipv4Loopback }?.address ?? 0
    }

    /// libsinsp's `infer_ipv6_address`: the same, a subnet being the first 64 bits.
    func inferIPv6(_ destination: IPv6) -> IPv6 {
        if ipv6.contains(destination) { return destination }
        if let i = ipv6.first(where: { $0.hi == destination.hi }) { return i }
        return ipv6.first { $0 != Self.ipv6Loopback } ?? IPv6(hi: 0, lo: 0)
    }

    /// `complete(_:)` on addresses held as bytes (4 or 16, network order), as a capture's fd list gives them.
    public func complete(family: UInt16, local: inout [UInt8], localPort: UInt16, remote: inout [UInt8], remotePort: UInt16) {
        var t = FdTuple()
        t.family = family
        t.localPort = localPort
        t.remotePort = remotePort
        local.withUnsafeBytes { t.setAddress($0, remote: false) }
        remote.withUnsafeBytes { t.setAddress($0, remote: true) }
        complete(&t)
        local = Array(t.address(remote: false).prefix(local.count))
        remote = Array(t.address(remote: true).prefix(remote.count))
    }

    /// libsinsp's `update_fd` on an IPv4 or IPv6 tuple whose local end is the tuple's source (a send's
    /// tuple, a socket of the capture's fd list): a missing local address becomes the interface the remote
    /// one would be reached by, else a missing remote address the interface of the local one. Left as it is
    /// when both are known, or when the guess is the other end's own address and the ports are equal.
    public func complete(_ t: inout FdTuple) {
        switch t.family {
        case 2:  // AF_INET: the address is the first 4 bytes of the first word
            let local = UInt32(truncatingIfNeeded: t.localHi), remote = UInt32(truncatingIfNeeded: t.remoteHi)
            guard local == 0 || remote == 0 else { return }
            let known = local == 0 ? remote : local
            let guess = inferIPv4(known)
            if guess == known && t.localPort == t.remotePort { return }
            let word = UInt64(guess)
            if local == 0 { t.localHi = word; t.localLo = 0 } else { t.remoteHi = word; t.remoteLo = 0 }
        case 10:  // AF_INET6
            let local = IPv6(hi: t.localHi, lo: t.localLo), remote = IPv6(hi: t.remoteHi, lo: t.remoteLo)
            let none = IPv6(hi: 0, lo: 0)
            guard local == none || remote == none else { return }
            let known = local == none ? remote : local
            let guess = inferIPv6(known)
            if guess == known && t.localPort == t.remotePort { return }
            if local == none { (t.localHi, t.localLo) = (guess.hi, guess.lo) } else { (t.remoteHi, t.remoteLo) = (guess.hi, guess.lo) }
        default:
            return
        }
    }
}
