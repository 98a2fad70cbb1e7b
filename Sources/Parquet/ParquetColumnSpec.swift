/// One column (a leaf) of a table: its name, how it is stored and whether it may be null; and, for the fields
/// of a struct, the struct it belongs to, and whether it is a list.
public struct ParquetColumnSpec: Equatable, Sendable {
    /// The column's name (kcap's field names contain dots: a flat name, not a nested path).
    public var name: String
    /// The required group (a struct) the column is a field of, nil for a top-level column. The writer's
    /// consecutive columns with the same group make one struct.
    public var group: String?
    /// A LIST of `physical` values (each present) instead of one value: `optional group NAME (LIST) {
    /// repeated group list { required TYPE element } }`, as Arrow, DuckDB and Spark write lists. Only for
    /// sparse columns.
    public var isList = false
    /// Rows never given a value are null: the caller sets the rows that have one (`ParquetColumn.set`), and
    /// the writer fills the rest when it writes the row group. For a struct of many fields of which each row
    /// has few, such as an event's arguments. Implies `optional`.
    public var sparse = false
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

    /// A field of the struct `group` that most rows lack (`sparse`): an integer, string or boolean (`physical`,
    /// `logical`), or a list of strings (`list`).
    public static func sparseField(_ name: String, group: String, _ physical: ParquetPhysicalType,
                                   _ logical: ParquetLogicalType = .none, list: Bool = false) -> ParquetColumnSpec {
        var s = ParquetColumnSpec(name, physical, logical, optional: true, dictionary: physical == .byteArray)
        s.group = group
        s.isList = list
        s.sparse = true
        return s
    }

    /// The path of the leaf in the schema: the group, the name, and `list`, `element` for a list.
    public var path: [String] { (group.map { [$0] } ?? []) + [name] + (isList ? ["list", "element"] : []) }

    /// The highest definition level: 1 for an optional value, 2 for a list's element (the list is optional,
    /// its elements are present); a struct is required and adds nothing.
    var maxDefinition: Int { isList ? 2 : optional ? 1 : 0 }

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
