import CaptureFormat

/// Builds records in the exact byte layout of `bpf/kcap_abi.h`, for tests, synthetic fixtures and benchmarks
/// (the engine's inputs without a kernel).
public struct RecordBuilder {
    /// One item to attach: kind (`ItemKind`), the argument it decodes, and its bytes.
    public struct ItemSpec {
        /// Item kind.
        public var kind: ItemKind
        /// Argument index, 0xff for none.
        public var arg: UInt8
        /// Data.
        public var data: [UInt8]
        /// An item.
        public init(_ kind: ItemKind, arg: UInt8 = 0xff, _ data: [UInt8]) {
            self.kind = kind
            self.arg = arg
            self.data = data
        }
        /// A path item.
        public static func path(_ s: String, arg: UInt8) -> ItemSpec { ItemSpec(.path, arg: arg, Array(s.utf8)) }
        /// An fd pair item.
        public static func fdPair(_ a: Int32, _ b: Int32, arg: UInt8 = 0) -> ItemSpec {
            var out: [UInt8] = []
            RecordBuilder.put(&out, UInt32(bitPattern: a)); RecordBuilder.put(&out, UInt32(bitPattern: b))
            return ItemSpec(.fdPair, arg: arg, out)
        }
        /// A kcap_tuple item (IPv4 addresses as "a.b.c.d").
        public static func tuple(family: UInt16 = 2, proto: UInt16 = 6, local: String, localPort: UInt16,
                                 remote: String, remotePort: UInt16) -> ItemSpec {
            var out: [UInt8] = []
            RecordBuilder.put(&out, family); RecordBuilder.put(&out, proto)
            RecordBuilder.put(&out, localPort); RecordBuilder.put(&out, remotePort)
            out.append(contentsOf: RecordBuilder.ipv4(local) + [UInt8](repeating: 0, count: 12))
            out.append(contentsOf: RecordBuilder.ipv4(remote) + [UInt8](repeating: 0, count: 12))
            return ItemSpec(.tuple, out)
        }
        /// A sockaddr_in item.
        public static func sockaddrIn(_ addr: String, _ port: UInt16, arg: UInt8 = 1) -> ItemSpec {
            var out: [UInt8] = []
            RecordBuilder.put(&out, UInt16(2))
            out.append(UInt8(port >> 8)); out.append(UInt8(port & 0xff))
            out.append(contentsOf: RecordBuilder.ipv4(addr))
            out.append(contentsOf: [UInt8](repeating: 0, count: 8))
            return ItemSpec(.sockaddr, arg: arg, out)
        }
        /// A sockaddr_un item.
        public static func sockaddrUn(_ path: String, arg: UInt8 = 1) -> ItemSpec {
            var out: [UInt8] = []
            RecordBuilder.put(&out, UInt16(1))
            out.append(contentsOf: Array(path.utf8)); out.append(0)
            return ItemSpec(.sockaddr, arg: arg, out)
        }
        /// An argv item.
        public static func argv(_ args: [String]) -> ItemSpec {
            ItemSpec(.argv, arg: 1, args.flatMap { Array($0.utf8) + [0] })
        }
        /// A data item.
        public static func data(_ bytes: [UInt8], arg: UInt8 = 1) -> ItemSpec { ItemSpec(.data, arg: arg, bytes) }
        /// A memory item: a little-endian 32-bit value the call wrote at argument `arg` (wait4's status).
        public static func memory(_ value: Int32, arg: UInt8) -> ItemSpec {
            var out: [UInt8] = []
            RecordBuilder.put(&out, UInt32(bitPattern: value))
            return ItemSpec(.memory, arg: arg, out)
        }
        /// An argv item for argument `arg` (execve's argv, or envp).
        public static func strings(_ values: [String], arg: UInt8) -> ItemSpec {
            ItemSpec(.argv, arg: arg, values.flatMap { Array($0.utf8) + [0] })
        }
        /// A `struct kcap_inode` item: arg 0xff for the fd an open returned, the stat buffer's index for stat*.
        public static func inode(_ ino: UInt64, dev: UInt32, mode: UInt32, uid: UInt32, gid: UInt32, arg: UInt8 = 0xff) -> ItemSpec {
            var b: [UInt8] = []
            withUnsafeBytes(of: ino.littleEndian) { b += $0 }
            for v in [dev, mode, uid, gid] { withUnsafeBytes(of: v.littleEndian) { b += $0 } }
            return ItemSpec(.inode, arg: arg, b)
        }
    }

    static func ipv4(_ s: String) -> [UInt8] {
        let parts = s.split(separator: ".").compactMap { UInt8($0) }
        return parts.count == 4 ? parts : [0, 0, 0, 0]
    }

    @inline(__always)
    static func put<T: FixedWidthInteger>(_ out: inout [UInt8], _ v: T) {
        var le = v.littleEndian
        withUnsafeBytes(of: &le) { out.append(contentsOf: $0) }
    }

    static func header(_ out: inout [UInt8], ts: UInt64, tid: UInt32, pid: UInt32, type: UInt16, cpu: UInt16,
                       flags: UInt16) {
        put(&out, ts); put(&out, tid); put(&out, pid); put(&out, type)
        put(&out, UInt16(0)) // length, patched by finish
        put(&out, cpu); put(&out, flags)
    }

    static func finish(_ out: inout [UInt8]) {
        while out.count % 8 != 0 { out.append(0) }
        let len = UInt16(out.count)
        out[18] = UInt8(len & 0xff); out[19] = UInt8(len >> 8)
    }

    static func appendItems(_ out: inout [UInt8], _ items: [ItemSpec]) {
        for i in items {
            out.append(i.kind.rawValue); out.append(i.arg); put(&out, UInt16(i.data.count))
            out.append(contentsOf: i.data)
        }
    }

    /// A kcap_syscall record.
    public static func syscall(ts: UInt64, tid: UInt32, pid: UInt32, cpu: UInt16 = 0, nr: Int, ret: Int64,
                               args: [UInt64] = [], latencyNs: UInt64 = 1000, items: [ItemSpec] = [],
                               flags: UInt16 = 0) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(96 + items.reduce(0) { $0 + 4 + $1.data.count } + 8)
        header(&out, ts: ts, tid: tid, pid: pid, type: 1, cpu: cpu, flags: flags)
        put(&out, latencyNs); put(&out, UInt16(nr)); put(&out, UInt16(items.count)); put(&out, UInt32(0))
        put(&out, UInt64(bitPattern: ret))
        for i in 0..<6 { put(&out, i < args.count ? args[i] : 0) }
        appendItems(&out, items)
        finish(&out)
        return out
    }

    /// A signed argument as the raw register value.
    public static func arg(_ v: Int64) -> UInt64 { UInt64(bitPattern: v) }

    static func comm(_ out: inout [UInt8], _ s: String) {
        var b = Array(s.utf8.prefix(15))
        b.append(contentsOf: [UInt8](repeating: 0, count: 16 - b.count))
        out.append(contentsOf: b)
    }

    /// A kcap_proc_fork record (hdr tid/pid are the parent's).
    public static func fork(ts: UInt64, parentTid: UInt32, parentPid: UInt32, childTid: UInt32, childPid: UInt32,
                            comm: String, cpu: UInt16 = 0) -> [UInt8] {
        var out: [UInt8] = []
        header(&out, ts: ts, tid: parentTid, pid: parentPid, type: 2, cpu: cpu, flags: 0)
        put(&out, childTid); put(&out, childPid)
        Self.comm(&out, comm)
        finish(&out)
        return out
    }

    /// A kcap_proc_exec record.
    public static func exec(ts: UInt64, tid: UInt32, pid: UInt32, oldTid: UInt32? = nil, ppid: UInt32, uid: UInt32 = 0,
                            gid: UInt32 = 0, comm: String, path: String, argv: [String], cpu: UInt16 = 0) -> [UInt8] {
        var out: [UInt8] = []
        header(&out, ts: ts, tid: tid, pid: pid, type: 3, cpu: cpu, flags: 0)
        put(&out, oldTid ?? tid); put(&out, ppid); put(&out, uid); put(&out, gid)
        put(&out, UInt16(2)); put(&out, UInt16(0)); put(&out, UInt32(0))
        Self.comm(&out, comm)
        appendItems(&out, [.path(path, arg: 0xff), .argv(argv)])
        finish(&out)
        return out
    }

    /// A kcap_signal record: `sig` delivered to the thread `tid`.
    public static func signal(ts: UInt64, tid: UInt32, pid: UInt32, sig: Int32, code: Int32, senderPid: UInt32 = 0,
                              senderUid: UInt32 = 0, status: Int32 = 0, addr: UInt64 = 0, handler: UInt64 = 0,
                              hasInfo: Bool = true, cpu: UInt16 = 0) -> [UInt8] {
        var out: [UInt8] = []
        header(&out, ts: ts, tid: tid, pid: pid, type: 6, cpu: cpu, flags: 0)
        put(&out, UInt32(bitPattern: sig)); put(&out, UInt32(bitPattern: code))
        put(&out, senderPid); put(&out, senderUid); put(&out, UInt32(bitPattern: status))
        put(&out, UInt32(hasInfo ? 1 : 0)); put(&out, addr); put(&out, handler)
        finish(&out)
        return out
    }

    /// A kcap_proc_exit record.
    public static func exit(ts: UInt64, tid: UInt32, pid: UInt32, code: Int32, groupDead: Bool, cpu: UInt16 = 0) -> [UInt8] {
        var out: [UInt8] = []
        header(&out, ts: ts, tid: tid, pid: pid, type: 4, cpu: cpu, flags: 0)
        put(&out, UInt32(bitPattern: code)); put(&out, UInt32(groupDead ? 1 : 0))
        finish(&out)
        return out
    }
}
