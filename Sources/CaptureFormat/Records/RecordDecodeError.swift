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

/// Checks the header of a record of `expected` type and returns its bytes cut to `hdr.len`.
@inlinable @inline(__always)
func validatedRecordBytes(_ bytes: UnsafeRawBufferPointer, expected: RecordType, name: StaticString)
    throws(RecordDecodeError) -> UnsafeRawBufferPointer
{
    guard bytes.count >= KcapABI.Header.size, let base = bytes.baseAddress else {
        throw .tooShort(record: name.description, need: KcapABI.Header.size, have: bytes.count)
    }
    // The whole header is there (checked above): its fields are read without a check each.
    let type = UInt16(littleEndian: base.loadUnaligned(fromByteOffset: KcapABI.Header.type, as: UInt16.self))
    guard type == expected.rawValue else { throw .wrongType(expected: expected, found: type) }
    let len = Int(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: KcapABI.Header.len, as: UInt16.self)))
    guard len >= KcapABI.Header.size, len <= bytes.count, len <= KcapABI.recordMax else {
        throw .badLength(record: name.description, length: len, available: bytes.count)
    }
    guard len >= expected.fixedSize else {
        throw .tooShort(record: name.description, need: expected.fixedSize, have: len)
    }
    return UnsafeRawBufferPointer(start: base, count: len)
}
