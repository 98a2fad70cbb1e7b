import CaptureFormat

extension RecordItem {
    /// The socket address of a SOCKADDR item, or nil when the bytes are too short for their family.
    public var socketAddress: SocketAddress? { SocketAddress(sockaddr: data) }

    /// The socket endpoints of a TUPLE item, or nil when it is shorter than `struct kcap_tuple`.
    public var tuple: SocketEndpoints? { SocketEndpoints(tuple: data) }
}
