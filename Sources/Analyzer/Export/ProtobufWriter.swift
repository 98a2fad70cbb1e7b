/// Protocol buffers' wire format, write side only: what a Perfetto trace needs (varints, zigzag-free signed
/// integers as two's complement varints, length-delimited strings and messages). A nested message's length
/// is written as a four-byte redundant varint reserved before its body and filled in after (as Perfetto's
/// own protozero does), so nothing is copied to learn a size.
struct ProtobufWriter {
    /// The encoded bytes.
    private(set) var bytes: [UInt8] = []

    /// Forgets the bytes, keeping the storage.
    mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    private mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    private mutating func tag(_ field: Int, _ wireType: UInt64) { varint(UInt64(field) << 3 | wireType) }

    /// A varint field (uint32, uint64, enums, bool).
    mutating func field(_ field: Int, _ value: UInt64) {
        tag(field, 0)
        varint(value)
    }

    /// An int32 or int64 field: negative values as their 64-bit two's complement (ten bytes), as protobuf says.
    mutating func field(_ field: Int, signed value: Int64) {
        tag(field, 0)
        varint(UInt64(bitPattern: value))
    }

    /// A string or bytes field.
    mutating func field(_ field: Int, bytes value: UnsafeRawBufferPointer) {
        tag(field, 2)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// A string field.
    mutating func field(_ field: Int, string value: String) {
        var s = value
        s.withUTF8 { self.field(field, bytes: UnsafeRawBufferPointer($0)) }
    }

    /// A nested message field, its body written by `body`.
    mutating func message(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        let at = beginMessage(field)
        body(&self)
        endMessage(at)
    }

    /// Opens a nested message field; what is written until `endMessage(at)` is its body. Returns where its
    /// length goes.
    mutating func beginMessage(_ field: Int) -> Int {
        tag(field, 2)
        bytes.append(contentsOf: [0x80, 0x80, 0x80, 0x00])
        return bytes.count - 4
    }

    /// Closes the message `beginMessage` opened at `at`, writing its length.
    mutating func endMessage(_ at: Int) {
        let n = bytes.count - at - 4
        precondition(n < 1 << 28, "a protobuf message past 256 MiB")
        bytes[at] = UInt8(truncatingIfNeeded: n) & 0x7f | 0x80
        bytes[at + 1] = UInt8(truncatingIfNeeded: n >> 7) & 0x7f | 0x80
        bytes[at + 2] = UInt8(truncatingIfNeeded: n >> 14) & 0x7f | 0x80
        bytes[at + 3] = UInt8(truncatingIfNeeded: n >> 21) & 0x7f
    }
}
