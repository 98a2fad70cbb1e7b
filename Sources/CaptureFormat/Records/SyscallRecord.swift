/// A view of one `struct kcap_syscall` record: the syscall's number, raw arguments, result, latency and items.
///
/// Valid only as long as the bytes it was made from (inside the reader's callback). Creating it checks the header and
/// lengths once; the accessors then read at fixed offsets and allocate nothing.
public struct SyscallRecord: TypedRecordView {
    public static let recordType = RecordType.syscall, structName: StaticString = "kcap_syscall"
    public let bytes: UnsafeRawBufferPointer
    @inlinable public init(unchecked view: RecordView) { bytes = view.bytes }

    /// Syscall number in the recording machine's ABI.
    @inlinable public var nr: Int { Int(LE.u16(bytes, KcapABI.Syscall.nr)) }
    /// The event type of the format the record was read from (a sysdig capture's ppm event id), nil for the
    /// recorder's own records.
    @inlinable public var foreignType: UInt16? {
        let v = UInt16(truncatingIfNeeded: LE.u32(bytes, KcapABI.Syscall.foreignType))
        return v == 0 ? nil : v - 1
    }
    /// How many parameters the other format's event had (older captures have fewer than its table's row).
    @inlinable public var foreignParameterCount: Int { Int(LE.u32(bytes, KcapABI.Syscall.foreignType) >> 16) }
    /// Raw return value (negative errno on failure).
    @inlinable public var ret: Int64 { Int64(bitPattern: LE.u64(bytes, KcapABI.Syscall.ret)) }
    /// Exit minus entry time, or nil when the entry was not seen.
    @inlinable public var latencyNs: UInt64? {
        flags.contains(.noEnter) ? nil : LE.u64(bytes, KcapABI.Syscall.latencyNs)
    }
    /// The raw latency field (0 when the entry was not seen).
    @inlinable public var rawLatencyNs: UInt64 { LE.u64(bytes, KcapABI.Syscall.latencyNs) }
    /// Boot-time nanoseconds of the syscall entry (exit time minus latency).
    @inlinable public var enterTimestampNs: UInt64 { timestampNs &- rawLatencyNs }
    /// Raw argument `index` (0-5); 0 for an index out of range.
    @inlinable @inline(__always) public func arg(_ index: Int) -> UInt64 {
        guard index >= 0, index < KcapABI.Syscall.argCount else { return 0 }
        return LE.u64(bytes, KcapABI.Syscall.args + 8 * index)
    }
    /// The six raw arguments.
    public var args: [UInt64] { (0..<KcapABI.Syscall.argCount).map { arg($0) } }
    /// Number of items the record declares.
    @inlinable public var itemCount: Int { Int(LE.u16(bytes, KcapABI.Syscall.nitems)) }
    /// The errno of a failed syscall (ret in -4095...-1), else nil.
    @inlinable public var errno: Int32? { (-4095 ... -1).contains(ret) ? Int32(-ret) : nil }

    /// The packed items (path, sockaddr, data, fd pair, tuple, clone args, inode).
    @inlinable public var items: RecordItems {
        RecordItems(bytes: UnsafeRawBufferPointer(rebasing: bytes[KcapABI.Syscall.size..<bytes.count]),
                    count: itemCount, recordName: "kcap_syscall", baseOffset: KcapABI.Syscall.size)
    }
}
