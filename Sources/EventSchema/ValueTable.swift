/// A set of named values (one of them, not a combination): `SEEK_SET`, `AF_INET`, `ENOENT`.
public struct ValueTable: Sendable {
    private let byValue: [Int64: String]
    /// (value, name) pairs.
    public let names: [(Int64, String)]

    /// Creates a table; the first name wins for a value listed twice.
    public init(_ names: [(Int64, String)]) {
        self.names = names
        var map: [Int64: String] = [:]
        for (v, n) in names where map[v] == nil { map[v] = n }
        byValue = map
    }

    /// The name of `value`, or nil.
    public func name(_ value: Int64) -> String? { byValue[value] }
}
