/// A thread from a process list block (0x202, 0x207, 0x209, 0x210-0x215): what `proc.*` and `thread.*`
/// need from the first event on.
public struct ScapThread: Sendable, Equatable {
    public var tid: UInt64 = 0
    public var pid: UInt64 = 0
    public var ptid: UInt64 = 0
    public var comm = ""
    public var exe = ""
    public var exepath = ""
    /// Arguments after argv[0].
    public var args: [String] = []
    public var cwd = ""
    public var uid: UInt32 = 0
    public var gid: UInt32 = 0
    /// cgroup lines (`subsys=path`), when the block version carries them.
    public var cgroups: [String] = []
    public var vtid: Int64 = -1
    public var vpid: Int64 = -1
}

/// An fd from an fd list block (0x203, 0x218) of one thread's process.
public struct ScapFd: Sendable, Equatable {
    /// SCAP_FD_* kinds (falcosecurity/libs scap.h): the values stored in the file.
    public enum Kind: UInt8, Sendable {
        case unknown = 0, file = 1, directory = 2, ipv4Socket = 3, ipv6Socket = 4, ipv4ServerSocket = 5
        case ipv6ServerSocket = 6, fifo = 7, unixSocket = 8, event = 9, unsupported = 10, signalfd = 11
        case eventpoll = 12, inotify = 13, timerfd = 14, netlink = 15, fileV2 = 16, bpf = 17, userfaultfd = 18
        case iouring = 19, memfd = 20, pidfd = 21
    }
    public var fd: Int64 = 0
    public var inode: UInt64 = 0
    public var kind: Kind = .unknown
    /// The path (files, directories and most other kinds) or a unix socket's path.
    public var name = ""
    /// Open flags of a file (ppm flags, FILE_V2 only).
    public var openFlags: UInt32 = 0
    /// Addresses in file order (IPv4: 4 bytes), ports in host order; a server socket has the local end only.
    public var sourceAddress: [UInt8] = []
    public var destinationAddress: [UInt8] = []
    public var sourcePort: UInt16 = 0
    public var destinationPort: UInt16 = 0
    /// SCAP_L4_* of a socket (libscap's own codes: 2 TCP, 3 UDP, 4 ICMP, 5 raw; 0 and 1 unknown).
    public var l4proto: UInt8 = 0

    /// The IPPROTO_* number of `l4proto` (0 when unknown).
    public var ipProtocol: UInt16 {
        switch l4proto {
        case 2: return 6
        case 3: return 17
        case 4: return 1
        case 5: return 255
        default: return 0
        }
    }
}

/// The machine info block (0x201).
public struct ScapMachineInfo: Sendable, Equatable {
    public var cpuCount: UInt32 = 0
    public var memoryBytes: UInt64 = 0
    public var hostname = ""
    /// Boot time in ns since the epoch (0 when the writer did not know it).
    public var bootTimeNs: UInt64 = 0
}

/// Pure decoders of the state blocks. Every length is checked against the block before use and a damaged
/// block is a `ScapError`, never a trap; layouts are falcosecurity/libs' scap_savefile.c facts.
public enum ScapStateDecoder {
    public static func machineInfo(_ block: ScapBlock, in bytes: [UInt8]) throws(ScapError) -> ScapMachineInfo {
        try withScapBytes(bytes) { (b: UnsafeRawBufferPointer) throws(ScapError) in try machineInfo(block, in: b) }
    }

    public static func machineInfo(_ block: ScapBlock, in bytes: UnsafeRawBufferPointer) throws(ScapError) -> ScapMachineInfo {
        var r = ScapBytes(bytes, block.body, what: "machine info block")
        var m = ScapMachineInfo()
        m.cpuCount = try r.u32("num_cpus")
        m.memoryBytes = try r.u64("memory_size_bytes")
        _ = try r.u64("max_pid")
        let host = try r.take(128, "hostname")
        m.hostname = ScapBytes.text(UnsafeRawBufferPointer(rebasing: host[0..<(host.firstIndex(of: 0) ?? host.count)]))
        if r.remaining >= 8 { m.bootTimeNs = try r.u64("boot_ts_epoch") }
        return m
    }

    /// The threads of a process list block.
    public static func threads(_ block: ScapBlock, in bytes: [UInt8]) throws(ScapError) -> [ScapThread] {
        try withScapBytes(bytes) { (b: UnsafeRawBufferPointer) throws(ScapError) in try threads(block, in: b) }
    }

    public static func threads(_ block: ScapBlock, in bytes: UnsafeRawBufferPointer) throws(ScapError) -> [ScapThread] {
        // Block versions, oldest first; the _INT variants (0x8000xxxx) are never written to files.
        let version: Int
        switch block.type {
        case 0x202: version = 1
        case 0x207: version = 2
        case 0x209: version = 3
        case 0x210, 0x211, 0x212, 0x213, 0x214, 0x215: version = Int(block.type) - 0x210 + 4
        default: throw ScapError(.corrupt, offset: block.offset, "block 0x\(String(block.type, radix: 16)) is not a process list")
        }
        var r = ScapBytes(bytes, block.body, what: "process list block at \(block.offset)")
        var out: [ScapThread] = []
        while r.remaining >= 4 {
            let entryStart = r.at
            var subLength = 0
            if version == 9 {
                subLength = Int(try r.u32("entry length"))
                guard subLength >= 4, subLength <= r.remaining + 4 else {
                    throw ScapError(.corrupt, offset: entryStart, "process list entry claims \(subLength) bytes, \(r.remaining + 4) left: the block is damaged")
                }
            }
            var t = ScapThread()
            t.tid = try r.u64("tid")
            t.pid = try r.u64("pid")
            t.ptid = try r.u64("ptid")
            if version >= 6 { _ = try r.u64("sid") }
            if version >= 8 { _ = try r.u64("vpgid") }
            t.comm = try r.string16("comm")
            t.exe = try r.string16("exe")
            if version >= 7 { t.exepath = try r.string16("exepath") }
            let argsLength = Int(try r.u16("args length"))
            t.args = ScapBytes.strings(try r.take(argsLength, "args"), omittingEmpty: false)
            while t.args.last == "" { t.args.removeLast() }
            t.cwd = try r.string16("cwd")
            _ = try r.u64("fdlimit")
            _ = try r.u32("flags")
            t.uid = try r.u32("uid")
            t.gid = try r.u32("gid")
            if version >= 2 {
                try r.skip(4 + 4 + 4 + 8 + 8, "vm and page fault counters")
            }
            if version >= 3 { try r.skip(Int(try r.u16("env length")), "env") }
            if version >= 4 {
                t.vtid = Int64(bitPattern: try r.u64("vtid"))
                t.vpid = Int64(bitPattern: try r.u64("vpid"))
                let cg = try r.take(Int(try r.u16("cgroups length")), "cgroups")
                t.cgroups = ScapBytes.strings(cg, omittingEmpty: true)
            }
            if version >= 5 { _ = try r.string16("root") }
            if version == 9 {
                // Later fields (login uid, capabilities, exe inode...) are skipped by the entry's length.
                let read = r.at - entryStart
                guard read <= subLength else {
                    throw ScapError(.corrupt, offset: entryStart, "process list entry of \(subLength) bytes holds \(read) bytes of fields: the block is damaged")
                }
                try r.skip(subLength - read, "process list entry tail")
            }
            out.append(t)
        }
        return out
    }

    /// The users (uid → name) and groups (gid → name) of a user list block (0x206, 0x220).
    public static func users(_ block: ScapBlock, in bytes: [UInt8]) throws(ScapError) -> (users: [UInt32: String], groups: [UInt32: String]) {
        try withScapBytes(bytes) { (b: UnsafeRawBufferPointer) throws(ScapError) in try users(block, in: b) }
    }

    public static func users(_ block: ScapBlock, in bytes: UnsafeRawBufferPointer) throws(ScapError) -> (users: [UInt32: String], groups: [UInt32: String]) {
        guard ScapBlock.userLists.contains(block.type) else {
            throw ScapError(.corrupt, offset: block.offset, "block 0x\(String(block.type, radix: 16)) is not a user list")
        }
        var r = ScapBytes(bytes, block.body, what: "user list block at \(block.offset)")
        var users: [UInt32: String] = [:], groups: [UInt32: String] = [:]
        while r.remaining >= 4 {
            let entryStart = r.at
            let subLength = block.type == 0x220 ? Int(try r.u32("entry length")) : 0
            if try r.u8("entry type") == 0 {  // USERBLOCK_TYPE_USER; 1 is a group
                let uid = try r.u32("uid")
                _ = try r.u32("gid")
                users[uid] = try r.string16("user name")
                _ = try r.string16("home directory")
                _ = try r.string16("shell")
            } else {
                let gid = try r.u32("gid")
                groups[gid] = try r.string16("group name")
            }
            if subLength > 0 {
                let read = r.at - entryStart
                guard read <= subLength else {
                    throw ScapError(.corrupt, offset: entryStart, "user list entry of \(subLength) bytes holds \(read) bytes of fields: the block is damaged")
                }
                try r.skip(subLength - read, "user list entry tail")
            }
        }
        return (users, groups)
    }

    /// The thread id and fds of an fd list block.
    public static func fds(_ block: ScapBlock, in bytes: [UInt8]) throws(ScapError) -> (tid: UInt64, fds: [ScapFd]) {
        try withScapBytes(bytes) { (b: UnsafeRawBufferPointer) throws(ScapError) in try fds(block, in: b) }
    }

    public static func fds(_ block: ScapBlock, in bytes: UnsafeRawBufferPointer) throws(ScapError) -> (tid: UInt64, fds: [ScapFd]) {
        guard block.type == 0x203 || block.type == 0x218 else {
            throw ScapError(.corrupt, offset: block.offset, "block 0x\(String(block.type, radix: 16)) is not an fd list")
        }
        var r = ScapBytes(bytes, block.body, what: "fd list block at \(block.offset)")
        let tid = try r.u64("tid")
        var out: [ScapFd] = []
        while r.remaining >= 4 {
            let entryStart = r.at
            var subLength = 0
            if block.type == 0x218 { subLength = Int(try r.u32("entry length")) }
            var f = ScapFd()
            f.fd = Int64(bitPattern: try r.u64("fd"))
            f.inode = try r.u64("ino")
            let rawKind = try r.u8("type")
            f.kind = ScapFd.Kind(rawValue: rawKind) ?? .unsupported
            switch f.kind {
            case .ipv4Socket, .ipv6Socket, .ipv4ServerSocket, .ipv6ServerSocket:
                // Addresses of 4 or 16 bytes; a server socket lists its local end only.
                let size = f.kind == .ipv4Socket || f.kind == .ipv4ServerSocket ? 4 : 16
                let server = f.kind == .ipv4ServerSocket || f.kind == .ipv6ServerSocket
                f.sourceAddress = Array(try r.take(size, "source ip"))
                if !server { f.destinationAddress = Array(try r.take(size, "destination ip")) }
                f.sourcePort = try r.u16("source port")
                if !server { f.destinationPort = try r.u16("destination port") }
                f.l4proto = try r.u8("l4proto")
            case .unixSocket:
                try r.skip(16, "unix socket source and destination")
                f.name = try r.string16("unix socket path")
            case .fileV2:
                f.openFlags = try r.u32("open flags")
                f.name = try r.string16("file name")
            case .unknown:
                break
            default:
                if ScapFd.Kind(rawValue: rawKind) == nil {
                    f.name = "unknown-type:[\(rawKind)]"
                } else {
                    f.name = try r.string16("fd name")
                }
            }
            if subLength > 0 {
                let read = r.at - entryStart
                guard read <= subLength else {
                    throw ScapError(.corrupt, offset: entryStart, "fd list entry of \(subLength) bytes holds \(read) bytes of fields: the block is damaged")
                }
                try r.skip(subLength - read, "fd list entry tail")
            }
            out.append(f)
        }
        return (tid, out)
    }
}
