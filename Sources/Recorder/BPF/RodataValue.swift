/// A value for one `const volatile` global of the BPF program, written before load.
enum RodataValue {
    /// An unsigned integer, stored little-endian in as many bytes as the variable has (1, 2, 4 or 8).
    case integer(UInt64)
    /// Raw bytes (e.g. a char[16] comm), zero-padded or cut to the variable's size.
    case bytes([UInt8])
}
