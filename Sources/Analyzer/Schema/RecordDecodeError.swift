/// Why a raw record could not be decoded. Each case carries what a user needs to find the bad bytes.
public enum RecordDecodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer bytes than the record's fixed part (or its header) needs.
    case tooShort(record: String, need: Int, have: Int)
    /// `hdr.len` is smaller than the fixed part, larger than the bytes at hand or than `KCAP_RECORD_MAX`.
    case badLength(record: String, length: Int, available: Int)
    /// The header's type is not the one this decoder reads.
    case wrongType(expected: RecordType, found: UInt16)
    /// An item header or its data runs past the end of the record.
    case itemOverrun(record: String, index: Int, offset: Int, length: Int, end: Int)
    /// An item has a size its kind does not allow (e.g. a tuple that is not 40 bytes).
    case badItem(kind: String, length: Int)

    /// One line for the user.
    public var description: String {
        switch self {
        case let .tooShort(record, need, have):
            return "\(record) record too short: needs \(need) bytes, has \(have)"
        case let .badLength(record, length, available):
            return "\(record) record has bad length \(length) (\(available) bytes available, max \(KcapABI.recordMax))"
        case let .wrongType(expected, found):
            return "record type \(found) is not \(expected)"
        case let .itemOverrun(record, index, offset, length, end):
            return "\(record) record: item \(index) at offset \(offset) with length \(length) runs past the record end \(end)"
        case let .badItem(kind, length):
            return "\(kind) item has invalid length \(length)"
        }
    }
}

/// Little-endian unaligned loads that never trap: a load past the end returns 0.
///
/// Callers check lengths once up front (and throw); these loads are bounded again so that a logic slip can at worst
/// produce a wrong value, never a crash on a hostile capture.
@usableFromInline
enum LE {
    @inlinable @inline(__always)
    static func u8(_ b: UnsafeRawBufferPointer, _ o: Int) -> UInt8 {
        guard o >= 0, o < b.count else { return 0 }
        return b[o]
    }
    @inlinable @inline(__always)
    static func u16(_ b: UnsafeRawBufferPointer, _ o: Int) -> UInt16 {
        guard o >= 0, o + 2 <= b.count else { return 0 }
        return UInt16(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt16.self))
    }
    @inlinable @inline(__always)
    static func u16be(_ b: UnsafeRawBufferPointer, _ o: Int) -> UInt16 {
        guard o >= 0, o + 2 <= b.count else { return 0 }
        return UInt16(bigEndian: b.loadUnaligned(fromByteOffset: o, as: UInt16.self))
    }
    @inlinable @inline(__always)
    static func u32(_ b: UnsafeRawBufferPointer, _ o: Int) -> UInt32 {
        guard o >= 0, o + 4 <= b.count else { return 0 }
        return UInt32(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt32.self))
    }
    @inlinable @inline(__always)
    static func u64(_ b: UnsafeRawBufferPointer, _ o: Int) -> UInt64 {
        guard o >= 0, o + 8 <= b.count else { return 0 }
        return UInt64(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt64.self))
    }
    /// A fixed-size C char array up to its first NUL, as UTF-8 (invalid bytes repaired).
    static func cString(_ b: UnsafeRawBufferPointer, _ o: Int, maxLength: Int) -> String {
        guard o >= 0, o < b.count else { return "" }
        let end = min(b.count, o + maxLength)
        var stop = o
        while stop < end && b[stop] != 0 { stop += 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: b[o..<stop]), as: UTF8.self)
    }
}

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
        timestampNs = LE.u64(bytes, KcapABI.Header.tsNs)
        tid = LE.u32(bytes, KcapABI.Header.tid)
        pid = LE.u32(bytes, KcapABI.Header.pid)
        type = LE.u16(bytes, KcapABI.Header.type)
        length = Int(LE.u16(bytes, KcapABI.Header.len))
        cpu = LE.u16(bytes, KcapABI.Header.cpu)
        flags = RecordFlags(rawValue: LE.u16(bytes, KcapABI.Header.flags))
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

/// Checks the header of a record of `expected` type and returns its bytes cut to `hdr.len`.
@inlinable @inline(__always)
func validatedRecordBytes(_ bytes: UnsafeRawBufferPointer, expected: RecordType, name: String)
    throws(RecordDecodeError) -> UnsafeRawBufferPointer
{
    guard bytes.count >= KcapABI.Header.size else {
        throw .tooShort(record: name, need: KcapABI.Header.size, have: bytes.count)
    }
    let type = LE.u16(bytes, KcapABI.Header.type)
    guard type == expected.rawValue else { throw .wrongType(expected: expected, found: type) }
    let len = Int(LE.u16(bytes, KcapABI.Header.len))
    guard len >= KcapABI.Header.size, len <= bytes.count, len <= KcapABI.recordMax else {
        throw .badLength(record: name, length: len, available: bytes.count)
    }
    guard len >= expected.fixedSize else {
        throw .tooShort(record: name, need: expected.fixedSize, have: len)
    }
    return UnsafeRawBufferPointer(rebasing: bytes[0..<len])
}
