/// A view of one raw record (`struct kcap_hdr` and what follows it), as the recorder copied it from the ring.
/// Valid only as long as the bytes it points into (inside the callback that hands it out).
///
/// This is the header's side of the one Swift view of `bpf/kcap_abi.h`: the typed views (`SyscallRecord`,
/// `ForkRecord`, `ExecRecord`, `ExitRecord`) read the payloads, `RecordItem` the items, and all of them read
/// through `KcapABI`'s named offsets with loads that cannot run past the bytes they were given.
public struct RecordView {
    /// The whole record, header and padding included. A view handed out by `RecordWalker` is exactly
    /// `hdr.len` long (at least a header, at most `KCAP_RECORD_MAX`, a multiple of `KCAP_RECORD_ALIGN`).
    public let bytes: UnsafeRawBufferPointer

    /// Wraps a record's bytes. Reads past the end of short bytes give zeros, never a trap.
    @inlinable public init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// hdr.ts_ns: CLOCK_BOOTTIME ns.
    @inlinable public var timestampNs: UInt64 { LE.u64(bytes, KcapABI.Header.tsNs) }
    /// hdr.tid.
    @inlinable public var tid: UInt32 { LE.u32(bytes, KcapABI.Header.tid) }
    /// hdr.pid (tgid).
    @inlinable public var pid: UInt32 { LE.u32(bytes, KcapABI.Header.pid) }
    /// hdr.type (enum kcap_record_type), possibly one this kcap does not know.
    @inlinable public var type: UInt16 { LE.u16(bytes, KcapABI.Header.type) }
    /// hdr.len, as Int.
    @inlinable public var length: Int { Int(LE.u16(bytes, KcapABI.Header.len)) }
    /// hdr.cpu.
    @inlinable public var cpu: UInt16 { LE.u16(bytes, KcapABI.Header.cpu) }
    /// hdr.flags (enum kcap_record_flags), raw.
    @inlinable public var rawFlags: UInt16 { LE.u16(bytes, KcapABI.Header.flags) }
    /// hdr.flags.
    @inlinable public var flags: RecordFlags { RecordFlags(rawValue: rawFlags) }
    /// The record's type when kcap knows it; nil means "skip it by its length".
    // Always inlined: the engine switches on it for every record, and an outlined getter cost 16 instructions.
    @inlinable @inline(__always) public var recordType: RecordType? { RecordType(rawValue: type) }
}
