/// One formatted parameter: its name and text.
public struct FormattedParam: Sendable, Equatable {
    /// Parameter name (`fd`, `name`, `flags`, or an item's name such as `tuple`).
    public var name: String
    /// Its type in the event table.
    public var type: ParamType
    /// The raw value (0 for item-only parameters).
    public var raw: UInt64
    /// The printed value (fds without their name; the engine adds it).
    public var text: String
}
