import CaptureFormat

/// Sockets of one network namespace by inode, parsed from /proc/PID/net/{tcp,tcp6,udp,udp6,unix,netlink},
/// so an fd whose link reads `socket:[INODE]` gets its kind and endpoints.
struct SocketTable {
    /// One socket's kind and endpoints.
    struct Entry {
        var kind: FdKind
        var tuple: SocketTuple?
        /// Listening, connected or neither, from the table's state column.
        var state: SocketState = .unknown
    }
    private(set) var byInode: [UInt64: Entry] = [:]

    /// Reads the tables under `netDir` (e.g. "/proc/1234/net"); missing files are skipped.
    init(netDir: String) {
        for (file, family, proto) in [("tcp", 2, 6), ("udp", 2, 17), ("tcp6", 10, 6), ("udp6", 10, 17),
                                      ("raw", 2, 255), ("raw6", 10, 255)] {
            guard let text = ProcFiles.text("\(netDir)/\(file)") else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let f = line.split(separator: " ", omittingEmptySubsequences: true)
                guard f.count > 9, let inode = UInt64(f[9]), inode != 0,
                      let local = SocketTable.endpoint(f[1]), let remote = SocketTable.endpoint(f[2]) else { continue }
                let t = SocketTuple(family: UInt16(family), proto: UInt16(proto), localAddress: local.addr,
                                    localPort: local.port, remoteAddress: remote.addr, remotePort: remote.port)
                byInode[inode] = Entry(kind: family == 2 ? .ipv4 : .ipv6, tuple: t,
                                       state: SocketTable.inetState(f[3], proto: proto))
            }
        }
        if let text = ProcFiles.text("\(netDir)/unix") {
            // Num RefCount Protocol Flags Type St Inode [Path]
            for line in text.split(separator: "\n").dropFirst() {
                let f = line.split(separator: " ", maxSplits: 7, omittingEmptySubsequences: true)
                guard f.count > 6, let inode = UInt64(f[6]) else { continue }
                let path = f.count > 7 ? String(f[7]).trimmingCharacters(whitespace: true) : ""
                byInode[inode] = Entry(kind: .unix, tuple: SocketTuple(family: 1, unixPath: path),
                                       state: SocketTable.unixState(flags: f[3], st: f[5]))
            }
        }
        if let text = ProcFiles.text("\(netDir)/netlink") {
            // sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode
            for line in text.split(separator: "\n").dropFirst() {
                let f = line.split(separator: " ", omittingEmptySubsequences: true)
                guard f.count > 9, let inode = UInt64(f[9]) else { continue }
                byInode[inode] = Entry(kind: .netlink, tuple: nil)
            }
        }
    }

    /// The state column ("st", hex) of /proc/net/tcp and friends: TCP_LISTEN (0A) listens, TCP_CLOSE (07) is
    /// not connected, every other TCP state (SYN_SENT through CLOSE_WAIT) is a connection; a UDP or raw socket
    /// is connected in TCP_ESTABLISHED (01, after connect) and not otherwise.
    static func inetState(_ st: Substring, proto: Int) -> SocketState {
        guard let v = UInt8(st, radix: 16) else { return .unknown }
        if proto == 6 { return v == 0x0A ? .listening : v == 0x07 ? .unconnected : .connected }
        return v == 0x01 ? .connected : .unconnected
    }

    /// /proc/net/unix's Flags (__SO_ACCEPTCON 0x10000: listening) and St (SS_CONNECTED 3) columns.
    static func unixState(flags: Substring, st: Substring) -> SocketState {
        guard let f = UInt32(flags, radix: 16), let s = UInt8(st, radix: 16) else { return .unknown }
        if f & 0x10000 != 0 { return .listening }
        return s == 3 ? .connected : .unconnected
    }

    /// Parses "0100007F:1F90" (IPv4) or 32 hex digits + ":PORT" (IPv6) as /proc/net prints them: each
    /// 32-bit word in the machine's byte order, the port in host order.
    static func endpoint(_ s: Substring) -> (addr: [UInt8], port: UInt16)? {
        let parts = s.split(separator: ":")
        guard parts.count == 2, let port = UInt16(parts[1], radix: 16) else { return nil }
        let hex = parts[0]
        guard hex.count == 8 || hex.count == 32 else { return nil }
        var addr: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 8)
            guard let word = UInt32(hex[i..<j], radix: 16) else { return nil }
            withUnsafeBytes(of: word) { addr.append(contentsOf: $0) } // native order = the kernel's in-memory bytes
            i = j
        }
        return (addr, port)
    }

    /// The tuple rendered as sysdig names socket fds: 127.0.0.1:40000->127.0.0.1:80 (unix: the path).
    static func render(_ t: SocketTuple) -> String {
        switch t.family {
        case 2, 10:
            let l = address(t.localAddress, family: t.family), r = address(t.remoteAddress, family: t.family)
            let remoteSet = t.remotePort != 0 || t.remoteAddress.contains(where: { $0 != 0 })
            return remoteSet ? "\(l):\(t.localPort)->\(r):\(t.remotePort)" : "\(l):\(t.localPort)"
        case 1:
            return t.unixPath
        default:
            return ""
        }
    }

    /// Dotted IPv4 or compressed IPv6 text.
    static func address(_ a: [UInt8], family: UInt16) -> String {
        if family == 2 { return a.prefix(4).map { String($0) }.joined(separator: ".") }
        var groups: [UInt16] = []
        for k in stride(from: 0, to: 16, by: 2) { groups.append(UInt16(a[k]) << 8 | UInt16(a[k + 1])) }
        if groups[0..<5].allSatisfy({ $0 == 0 }) && groups[5] == 0xffff {
            return "::ffff:" + a[12..<16].map { String($0) }.joined(separator: ".")
        }
        // Longest run of zero groups becomes "::".
        var best = (start: -1, len: 0), cur = (start: -1, len: 0)
        for (i, g) in groups.enumerated() {
            if g == 0 { cur = cur.start < 0 ? (i, 1) : (cur.start, cur.len + 1); if cur.len > best.len { best = cur } }
            else { cur = (-1, 0) }
        }
        let hexes = groups.map { String($0, radix: 16) }
        if best.len < 2 { return hexes.joined(separator: ":") }
        let head = hexes[0..<best.start].joined(separator: ":")
        let tail = hexes[(best.start + best.len)...].joined(separator: ":")
        return head + "::" + tail
    }
}
