/// How a reader should interpret a physical column (parquet.thrift `LogicalType`, with the legacy
/// `ConvertedType` written beside it for readers that predate logical types).
public enum ParquetLogicalType: Equatable, Sendable {
    /// Nothing beyond the physical type (booleans).
    case none
    /// UTF-8 text on a BYTE_ARRAY.
    case string
    /// An integer of `bitWidth` (8, 16, 32, 64) bits, signed or not, on INT32 or INT64.
    case integer(bitWidth: Int8, signed: Bool)
    /// Nanoseconds since the Unix epoch on INT64; `utc` says the instant is absolute (isAdjustedToUTC).
    case timestampNanos(utc: Bool)

    /// The legacy ConvertedType code, nil when there is none (nanosecond timestamps have none).
    var convertedType: Int32? {
        switch self {
        case .none, .timestampNanos: return nil
        case .string: return 0 // UTF8
        case .integer(let w, let signed):
            // UINT_8..UINT_64 are 11...14, INT_8..INT_64 are 15...18.
            let step: Int32 = w <= 8 ? 0 : w <= 16 ? 1 : w <= 32 ? 2 : 3
            return (signed ? 15 : 11) + step
        }
    }

    /// True when min/max statistics compare as unsigned numbers.
    var isUnsigned: Bool {
        if case .integer(_, false) = self { return true }
        return false
    }
}
