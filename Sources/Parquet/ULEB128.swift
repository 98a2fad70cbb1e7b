/// Unsigned LEB128 ("varint"): seven bits a byte, least significant first, the high bit set on every byte
/// but the last. Thrift's compact protocol and Parquet's RLE run headers both use it.
enum ULEB128 {
    /// Appends `value` to `bytes`.
    @inline(__always)
    static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }
}
