/// The physical types kcap writes (parquet.thrift `Type`; the raw values are the spec's).
public enum ParquetPhysicalType: Int32, Sendable {
    /// One bit per value, bit-packed.
    case boolean = 0
    /// Four little-endian bytes.
    case int32 = 1
    /// Eight little-endian bytes.
    case int64 = 2
    /// A length-prefixed byte string.
    case byteArray = 6
}
