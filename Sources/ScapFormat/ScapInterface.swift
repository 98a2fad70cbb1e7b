/// One address of a network interface, from an interface list block (0x205, 0x219): what the recording host's
/// interfaces were when the capture started. sysdig fills in the missing end of a socket's tuple from them
/// (libsinsp's `sinsp_network_interfaces::update_fd`).
public struct ScapInterface: Sendable, Equatable {
    /// The interface's name ("eth0", "lo").
    public var name: String
    /// The address, netmask and broadcast address as the file holds them: network byte order, 4 bytes for
    /// IPv4, 16 for IPv6.
    public var address: [UInt8]
    public var netmask: [UInt8]
    public var broadcast: [UInt8]
    /// Link speed (0 when the entry has none: the `_NOLINKSPEED` entry types).
    public var linkSpeed: UInt64

    /// Memberwise initializer.
    public init(name: String, address: [UInt8], netmask: [UInt8], broadcast: [UInt8], linkSpeed: UInt64 = 0) {
        self.name = name
        self.address = address
        self.netmask = netmask
        self.broadcast = broadcast
        self.linkSpeed = linkSpeed
    }

    /// An IPv6 address (16 bytes); otherwise IPv4.
    public var isIPv6: Bool { address.count == 16 }
}
