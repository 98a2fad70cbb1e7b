/// What the payload views (`SyscallRecord`, `ForkRecord`, `ExecRecord`, `ExitRecord`) share: the checked
/// construction from bytes and the common header, so each view states only its own struct's fields.
public protocol TypedRecordView {
    /// The `enum kcap_record_type` value this view reads.
    static var recordType: RecordType { get }
    /// The C struct's name, for errors.
    static var structName: StaticString { get }
    /// The record's bytes, cut to `hdr.len`.
    var bytes: UnsafeRawBufferPointer { get }
    /// A record already decoded as this type (its type and length were checked when it was, as the engine
    /// does before it hands out an event); on other bytes the accessors read zeros, never past the end.
    init(unchecked view: RecordView)
}

extension TypedRecordView {
    /// Checks that `bytes` hold a record of this type whose `hdr.len` fits its bytes and its fixed part;
    /// items are checked lazily (see `RecordItems`).
    @inlinable @inline(__always)
    public init(bytes: UnsafeRawBufferPointer) throws(RecordDecodeError) {
        let checked = try validatedRecordBytes(bytes, expected: Self.recordType, name: Self.structName)
        self.init(unchecked: RecordView(bytes: checked))
    }

    /// Decodes a record a walker or a reader handed out.
    @inlinable @inline(__always)
    public init(_ view: RecordView) throws(RecordDecodeError) { try self.init(bytes: view.bytes) }

    /// The common header.
    @inlinable public var header: RecordView { RecordView(bytes: bytes) }
    /// hdr.ts_ns: boot-time nanoseconds when the record was made (a syscall's exit).
    @inlinable public var timestampNs: UInt64 { LE.u64(bytes, KcapABI.Header.tsNs) }
    /// hdr.tid.
    @inlinable public var tid: UInt32 { LE.u32(bytes, KcapABI.Header.tid) }
    /// hdr.pid (tgid).
    @inlinable public var pid: UInt32 { LE.u32(bytes, KcapABI.Header.pid) }
    /// hdr.cpu.
    @inlinable public var cpu: UInt16 { LE.u16(bytes, KcapABI.Header.cpu) }
    /// hdr.flags (truncated item, failed read, entry not seen).
    @inlinable public var flags: RecordFlags { RecordFlags(rawValue: LE.u16(bytes, KcapABI.Header.flags)) }
}
