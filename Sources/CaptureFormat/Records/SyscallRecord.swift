/// A view of one `struct kcap_syscall` record: the syscall's number, raw arguments, result, latency and items.
///
/// Valid only as long as the bytes it was made from (inside the reader's callback). Creating it checks the header and
/// lengths once; the accessors then read at fixed offsets and allocate nothing.
public struct SyscallRecord: TypedRecordView {
    public static let recordType = RecordType.syscall, structName: StaticString = "kcap_syscall"
    public let bytes: UnsafeRawBufferPointer
    /// Takes bytes the caller has checked. The fixed part is read without a check per field (the replay reads
    /// several fields of every record), so a view never holds fewer bytes than it: bytes too short for it,
    /// which only a caller's mistake can hand over (the checked `init(_:)` refuses them), read as zeros.
    @inlinable public init(unchecked view: RecordView) {
        bytes = view.bytes.count >= KcapABI.Syscall.size ? view.bytes : SyscallRecord.zeros
    }

    /// A zeroed fixed part, what a too-short view reads instead.
    @usableFromInline nonisolated(unsafe) static let zeros: UnsafeRawBufferPointer = {
        let b = UnsafeMutableRawBufferPointer.allocate(byteCount: KcapABI.Syscall.size, alignment: 8)
        b.initializeMemory(as: UInt8.self, repeating: 0)
        return UnsafeRawBufferPointer(b)
    }()

    /// The field at `offset` of the fixed part: in bounds by construction (see `init(unchecked:)`).
    @inlinable @inline(__always)
    func fixed<T: FixedWidthInteger>(_ offset: Int, as: T.Type) -> T {
        T(littleEndian: bytes.baseAddress.unsafelyUnwrapped.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    // The header's fields, read like the fixed part (the header lies inside it). These stand in for the
    // checked reads of `TypedRecordView`'s extension on a `SyscallRecord`: the replay reads them per record.
    /// Boot-time nanoseconds of the syscall's exit.
    @inlinable public var timestampNs: UInt64 { fixed(KcapABI.Header.tsNs, as: UInt64.self) }
    /// Thread id.
    @inlinable public var tid: UInt32 { fixed(KcapABI.Header.tid, as: UInt32.self) }
    /// Process (thread group) id.
    @inlinable public var pid: UInt32 { fixed(KcapABI.Header.pid, as: UInt32.self) }
    /// CPU the record was written on.
    @inlinable public var cpu: UInt16 { fixed(KcapABI.Header.cpu, as: UInt16.self) }
    /// `hdr.flags`.
    @inlinable public var flags: RecordFlags { RecordFlags(rawValue: fixed(KcapABI.Header.flags, as: UInt16.self)) }

    /// Syscall number in the recording machine's ABI.
    @inlinable public var nr: Int { Int(fixed(KcapABI.Syscall.nr, as: UInt16.self)) }
    /// The event type of the format the record was read from (a sysdig capture's ppm event id), nil for the
    /// recorder's own records.
    @inlinable public var foreignType: UInt16? {
        let v = UInt16(truncatingIfNeeded: fixed(KcapABI.Syscall.foreignType, as: UInt32.self))
        return v == 0 ? nil : v - 1
    }
    /// How many parameters the other format's event had (older captures have fewer than its table's row).
    @inlinable public var foreignParameterCount: Int { Int(fixed(KcapABI.Syscall.foreignType, as: UInt32.self) >> 16) }
    /// Raw return value (negative errno on failure).
    @inlinable public var ret: Int64 { fixed(KcapABI.Syscall.ret, as: Int64.self) }
    /// Exit minus entry time, or nil when the entry was not seen.
    @inlinable public var latencyNs: UInt64? {
        flags.contains(.noEnter) ? nil : rawLatencyNs
    }
    /// The raw latency field (0 when the entry was not seen).
    @inlinable public var rawLatencyNs: UInt64 { fixed(KcapABI.Syscall.latencyNs, as: UInt64.self) }
    /// Boot-time nanoseconds of the syscall entry (exit time minus latency).
    @inlinable public var enterTimestampNs: UInt64 { timestampNs &- rawLatencyNs }
    /// Raw argument `index` (0-5); 0 for an index out of range.
    @inlinable @inline(__always) public func arg(_ index: Int) -> UInt64 {
        guard index >= 0, index < KcapABI.Syscall.argCount else { return 0 }
        return fixed(KcapABI.Syscall.args + 8 * index, as: UInt64.self)
    }
    /// The six raw arguments.
    public var args: [UInt64] { (0..<KcapABI.Syscall.argCount).map { arg($0) } }
    /// Number of items the record declares.
    @inlinable public var itemCount: Int { Int(fixed(KcapABI.Syscall.nitems, as: UInt16.self)) }
    /// The errno of a failed syscall (ret in -4095...-1), else nil.
    @inlinable public var errno: Int32? { (-4095 ... -1).contains(ret) ? Int32(-ret) : nil }

    /// The packed items (path, sockaddr, data, fd pair, tuple, clone args, inode).
    @inlinable @inline(__always) public var items: RecordItems {
        RecordItems(bytes: LE.tail(bytes, from: KcapABI.Syscall.size),
                    count: itemCount, recordName: "kcap_syscall", baseOffset: KcapABI.Syscall.size)
    }
}
