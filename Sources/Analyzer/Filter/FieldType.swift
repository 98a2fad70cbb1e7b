/// The type of a filter field's value: it decides how a constant is parsed at compile time and which accessor
/// of `FieldValueSource` the compiled filter calls.
public enum FieldType: String, Sendable, CaseIterable, Codable {
    /// Text; compared byte by byte (UTF-8). Read with `FieldValueSource.string(_:)`.
    case string
    /// Signed integer. Read with `int(_:)`.
    case int
    /// Unsigned integer (stored in an Int64; values above Int64.max do not occur in kcap captures). `int(_:)`.
    case uint
    /// `true`/`false`; the source returns 1 or 0 through `int(_:)`.
    case bool
    /// An IPv4 or IPv6 address. Read with `ip(_:)`.
    case ipaddr
    /// A network (CIDR) compared against addresses: the field reads one or more `ipaddr` fields.
    case ipnet
    /// A TCP/UDP port number. `int(_:)`.
    case port
    /// Raw bytes (I/O buffers). Read with `bytes(_:)`.
    case bytes
    /// A duration in nanoseconds. `int(_:)`.
    case reltime
    /// An absolute time in nanoseconds since the Unix epoch. `int(_:)`.
    case abstime

    /// Whether values of this type are read with `FieldValueSource.int(_:)` and compared as numbers.
    public var isNumeric: Bool {
        switch self {
        case .int, .uint, .bool, .port, .reltime, .abstime: return true
        case .string, .ipaddr, .ipnet, .bytes: return false
        }
    }
}
