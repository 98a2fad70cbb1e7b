// Thrift's compact protocol, write side only: the encoding of a Parquet file's footer (FileMetaData) and of
// every page header. Only what Parquet's structs use is here: structs, fields, bool, i32, i64, binary, lists.
// Integers are zigzag varints; a field header carries the delta from the previous field id when it is 1...15.
public struct ThriftCompactWriter {
    /// Compact-protocol type codes (the low nibble of a field header or list header).
    public enum FieldType: UInt8 {
        case boolTrue = 1, boolFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6, double = 7
        case binary = 8, list = 9, set = 10, map = 11, structure = 12
    }

    public private(set) var bytes: [UInt8] = []
    private var lastFieldId: Int16 = 0
    // Each open struct remembers its parent's last field id: deltas restart at zero inside a nested struct.
    private var parentFieldIds: [Int16] = []

    public init() {}

    public mutating func writeVarint(_ value: UInt64) {
        ULEB128.append(value, to: &bytes)
    }

    /// A single byte: how the compact protocol writes an i8 (no varint).
    public mutating func writeByte(_ value: UInt8) {
        bytes.append(value)
    }

    public mutating func writeZigzag32(_ value: Int32) {
        writeVarint(UInt64(UInt32(bitPattern: (value << 1) ^ (value >> 31))))
    }

    public mutating func writeZigzag64(_ value: Int64) {
        writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    public mutating func fieldHeader(_ id: Int16, _ type: FieldType) {
        let delta = Int(id) - Int(lastFieldId)
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            writeZigzag32(Int32(id))
        }
        lastFieldId = id
    }

    public mutating func field(_ id: Int16, bool value: Bool) {
        // A bool field's value is its header's type nibble; nothing follows.
        fieldHeader(id, value ? .boolTrue : .boolFalse)
    }

    public mutating func field(_ id: Int16, i32 value: Int32) {
        fieldHeader(id, .i32)
        writeZigzag32(value)
    }

    public mutating func field(_ id: Int16, i64 value: Int64) {
        fieldHeader(id, .i64)
        writeZigzag64(value)
    }

    public mutating func field(_ id: Int16, binary value: [UInt8]) {
        fieldHeader(id, .binary)
        writeBinary(value)
    }

    public mutating func field(_ id: Int16, string value: String) {
        field(id, binary: Array(value.utf8))
    }

    public mutating func writeBinary(_ value: [UInt8]) {
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// A list header; the elements follow, written with the write* functions or beginStruct/endStruct.
    public mutating func listHeader(count: Int, of type: FieldType) {
        if count < 15 {
            bytes.append(UInt8(count) << 4 | type.rawValue)
        } else {
            bytes.append(0xF0 | type.rawValue)
            writeVarint(UInt64(count))
        }
    }

    public mutating func field(_ id: Int16, listOf type: FieldType, count: Int) {
        fieldHeader(id, .list)
        listHeader(count: count, of: type)
    }

    public mutating func beginStruct() {
        parentFieldIds.append(lastFieldId)
        lastFieldId = 0
    }

    /// Ends the innermost struct with its stop byte.
    public mutating func endStruct() {
        bytes.append(0)
        lastFieldId = parentFieldIds.popLast() ?? 0
    }

    public mutating func field(_ id: Int16, structure body: (inout ThriftCompactWriter) -> Void) {
        fieldHeader(id, .structure)
        beginStruct()
        body(&self)
        endStruct()
    }
}
