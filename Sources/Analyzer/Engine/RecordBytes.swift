/// The engine's own minimal, allocation-free reading of the records defined in `bpf/kcap_abi.h`.
///
/// Every accessor takes offsets that the engine has bounds-checked once per record (`RecordBytes.init`
/// rejects a record shorter than its fixed part), so the hot path does plain unaligned loads.
public struct RecordBytes {
    /// Record types (`enum kcap_record_type`).
    public enum Kind: UInt16 { case syscall = 1, fork = 2, exec = 3, exit = 4 }
    /// Item kinds (`enum kcap_item_kind`).
    public enum Item: UInt8 {
        case path = 1, sockaddr = 2, data = 3, argv = 4, fdPair = 5, tuple = 6, cloneArgs = 7
        /// `struct kcap_inode` (24 bytes): what an open* returned (arg 0xff) or a stat* described.
        case inode = 9
    }

    /// Fixed part sizes from the header's static asserts.
    public static let headerSize = 24, syscallSize = 96, forkSize = 48, execSize = 64, exitSize = 32

    /// The whole record, header included.
    public let bytes: UnsafeRawBufferPointer

    /// Wraps `bytes`; nil when it is shorter than the fixed part its type needs (a truncated or foreign record).
    @inline(__always)
    public init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= Self.headerSize else { return nil }
        self.bytes = bytes
        let need: Int
        switch bytes.loadUnaligned(fromByteOffset: 16, as: UInt16.self) {
        case 1: need = Self.syscallSize
        case 2: need = Self.forkSize
        case 3: need = Self.execSize
        case 4: need = Self.exitSize
        default: need = Self.headerSize
        }
        guard bytes.count >= need else { return nil }
    }

    @inline(__always) func u8(_ o: Int) -> UInt8 { bytes.loadUnaligned(fromByteOffset: o, as: UInt8.self) }
    @inline(__always) func u16(_ o: Int) -> UInt16 { bytes.loadUnaligned(fromByteOffset: o, as: UInt16.self) }
    @inline(__always) func u32(_ o: Int) -> UInt32 { bytes.loadUnaligned(fromByteOffset: o, as: UInt32.self) }
    @inline(__always) func u64(_ o: Int) -> UInt64 { bytes.loadUnaligned(fromByteOffset: o, as: UInt64.self) }

    /// CLOCK_BOOTTIME ns.
    @inline(__always) public var timestampNs: UInt64 { u64(0) }
    /// Thread id.
    @inline(__always) public var tid: UInt32 { u32(8) }
    /// Process id (tgid).
    @inline(__always) public var pid: UInt32 { u32(12) }
    /// Raw record type.
    @inline(__always) public var type: UInt16 { u16(16) }
    /// CPU.
    @inline(__always) public var cpu: UInt16 { u16(20) }
    /// `enum kcap_record_flags`.
    @inline(__always) public var flags: UInt16 { u16(22) }

    // kcap_syscall
    /// Syscall latency (0 when the entry was not seen).
    @inline(__always) public var latencyNs: UInt64 { u64(24) }
    /// Syscall number.
    @inline(__always) public var nr: UInt16 { u16(32) }
    /// Number of items.
    @inline(__always) public var itemCount: UInt16 { u16(34) }
    /// Result.
    @inline(__always) public var ret: Int64 { Int64(bitPattern: u64(40)) }
    /// Raw argument `i` (0-5).
    @inline(__always) public func arg(_ i: Int) -> UInt64 { u64(48 + 8 * i) }

    // kcap_proc_fork
    /// Child thread id.
    public var childTid: UInt32 { u32(24) }
    /// Child process id.
    public var childPid: UInt32 { u32(28) }
    // kcap_proc_exec
    /// The tid that called exec.
    public var execOldTid: UInt32 { u32(24) }
    /// Real parent's tgid.
    public var execPpid: UInt32 { u32(28) }
    /// uid after exec.
    public var execUid: UInt32 { u32(32) }
    /// gid after exec.
    public var execGid: UInt32 { u32(36) }
    /// Item count of an exec record.
    public var execItemCount: UInt16 { u16(40) }
    // kcap_proc_exit
    /// `task->exit_code`.
    public var exitCode: Int32 { Int32(bitPattern: u32(24)) }
    /// 1 when the last thread of the process ended.
    public var groupDead: Bool { u32(28) != 0 }

    /// A NUL-padded fixed char field (comm) as bytes without the padding.
    public func fixedString(at offset: Int, length: Int) -> UnsafeRawBufferPointer {
        var n = 0
        while n < length, u8(offset + n) != 0 { n += 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)])
    }

    /// The first item of `kind` (and argument index `arg` unless nil), bounds-checked; nil when absent or cut.
    @inline(__always)
    public func item(_ kind: Item, arg: UInt8? = nil) -> UnsafeRawBufferPointer? {
        let type = self.type
        var off: Int
        var count: Int
        if type == 1 { off = Self.syscallSize; count = Int(itemCount) }
        else if type == 3 { off = Self.execSize; count = Int(execItemCount) }
        else { return nil }
        let end = min(bytes.count, Int(u16(18)))
        while count > 0, off + 4 <= end {
            let k = u8(off), a = u8(off + 1), len = Int(u16(off + 2))
            let data = off + 4
            guard data + len <= end else { return nil }
            if k == kind.rawValue, arg == nil || arg! == a {
                return UnsafeRawBufferPointer(rebasing: bytes[data..<(data + len)])
            }
            off = data + len
            count -= 1
        }
        return nil
    }
}
