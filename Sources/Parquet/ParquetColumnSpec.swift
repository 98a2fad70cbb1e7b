/// One column of a flat table: its name, how it is stored and whether it may be null.
public struct ParquetColumnSpec: Equatable, Sendable {
    /// The column's name (kcap's field names contain dots: a flat name, not a nested path).
    public var name: String
    /// The physical type.
    public var physical: ParquetPhysicalType
    /// The logical type.
    public var logical: ParquetLogicalType
    /// True when a row may have no value (an OPTIONAL column with definition levels).
    public var optional: Bool
    /// BYTE_ARRAY only: dictionary-encode (falling back to PLAIN for a row group whose dictionary grows too big).
    public var dictionary: Bool

    /// A column.
    public init(_ name: String, _ physical: ParquetPhysicalType, _ logical: ParquetLogicalType = .none,
                optional: Bool = false, dictionary: Bool = false) {
        self.name = name
        self.physical = physical
        self.logical = logical
        self.optional = optional
        self.dictionary = dictionary && physical == .byteArray
    }

    /// A UTF-8 string column, dictionary-encoded.
    public static func string(_ name: String, optional: Bool = true, dictionary: Bool = true) -> ParquetColumnSpec {
        ParquetColumnSpec(name, .byteArray, .string, optional: optional, dictionary: dictionary)
    }

    /// An integer column: INT32 for widths up to 32 bits, INT64 for 64.
    public static func integer(_ name: String, bits: Int8, signed: Bool, optional: Bool = false) -> ParquetColumnSpec {
        ParquetColumnSpec(name, bits == 64 ? .int64 : .int32, .integer(bitWidth: bits, signed: signed), optional: optional)
    }

    /// A boolean column.
    public static func boolean(_ name: String, optional: Bool = false) -> ParquetColumnSpec {
        ParquetColumnSpec(name, .boolean, optional: optional)
    }

    /// Nanoseconds since the epoch (UTC).
    public static func timestampNanos(_ name: String, optional: Bool = false) -> ParquetColumnSpec {
        ParquetColumnSpec(name, .int64, .timestampNanos(utc: true), optional: optional)
    }

    /// The range an appended integer must fall in, from the physical and logical type.
    var integerRange: ClosedRange<Int64> {
        switch (physical, logical) {
        case (.int32, .integer(let w, true)): return -(Int64(1) << (w - 1))...(Int64(1) << (w - 1)) - 1
        case (.int32, .integer(let w, false)): return 0...(Int64(1) << w) - 1
        case (.int32, _): return Int64(Int32.min)...Int64(Int32.max)
        case (.boolean, _): return 0...1
        // Unsigned 64-bit values past Int64.max are refused, so signed comparison orders every stored value.
        case (.int64, .integer(_, false)): return 0...Int64.max
        default: return Int64.min...Int64.max
        }
    }
}
