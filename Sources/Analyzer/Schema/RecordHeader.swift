/// The common header of every record (`struct kcap_hdr`), read from raw bytes.
public struct RecordHeader: Sendable, Equatable {
    /// CLOCK_BOOTTIME nanoseconds when the record was made.
    public var timestampNs: UInt64
    /// Kernel pid of the thread.
    public var tid: UInt32
    /// Kernel tgid of the thread's process.
    public var pid: UInt32
    /// `enum kcap_record_type` value (may be one this kcap does not know).
    public var type: UInt16
    /// Whole record length in bytes, header and padding included.
    public var length: Int
    /// CPU the record was made on.
    public var cpu: UInt16
    /// `hdr.flags`.
    public var flags: RecordFlags

    /// Reads the 24-byte header at the start of `bytes`; throws when fewer bytes are present.
    public init(bytes: UnsafeRawBufferPointer) throws(RecordDecodeError) {
        guard bytes.count >= KcapABI.Header.size else {
            throw .tooShort(record: "kcap_hdr", need: KcapABI.Header.size, have: bytes.count)
        }
        self.init(unchecked: bytes)
    }

    /// Reads a header whose length the caller has already checked (short bytes read as zeros, never trap).
    @usableFromInline
    init(unchecked bytes: UnsafeRawBufferPointer) {
        timestampNs = LE.u64(bytes, KcapABI.Header.tsNs)
        tid = LE.u32(bytes, KcapABI.Header.tid)
        pid = LE.u32(bytes, KcapABI.Header.pid)
        type = LE.u16(bytes, KcapABI.Header.type)
        length = Int(LE.u16(bytes, KcapABI.Header.len))
        cpu = LE.u16(bytes, KcapABI.Header.cpu)
        flags = RecordFlags(rawValue: LE.u16(bytes, KcapABI.Header.flags))
    }

    /// The known record type, or nil for a type this kcap does not know (skip it by `length`).
    public var recordType: RecordType? { RecordType(rawValue: type) }
}
