/// A view of one record inside a decompressed chunk. Valid only inside the callback that receives it.
/// Fields are read from the struct kcap_hdr at the start of `bytes` (unaligned little-endian loads).
public struct RecordView {
    /// The whole record, header and padding included; `bytes.count` is hdr.len (checked by the reader:
    /// ≥ 24, ≤ 8192, a multiple of 8, inside the chunk).
    public let bytes: UnsafeRawBufferPointer

    /// Wraps a record's bytes; the caller guarantees at least 24 bytes.
    @inlinable public init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// hdr.ts_ns: CLOCK_BOOTTIME ns.
    @inlinable public var timestampNs: UInt64 { UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)) }
    /// hdr.tid.
    @inlinable public var tid: UInt32 { UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self)) }
    /// hdr.pid (tgid).
    @inlinable public var pid: UInt32 { UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 12, as: UInt32.self)) }
    /// hdr.type (enum kcap_record_type).
    @inlinable public var type: UInt16 { UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt16.self)) }
    /// hdr.len, as Int.
    @inlinable public var length: Int { Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 18, as: UInt16.self))) }
    /// hdr.cpu.
    @inlinable public var cpu: UInt16 { UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 20, as: UInt16.self)) }
    /// hdr.flags (enum kcap_record_flags).
    @inlinable public var flags: UInt16 { UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 22, as: UInt16.self)) }
}
