/// A field with its argument, resolved at compile time: what a compiled filter (or a `-p` format) passes to
/// `FieldValueSource` for every event, so the source switches on `id` instead of parsing names.
public struct FieldRef: Hashable, Sendable, CustomStringConvertible {
    /// The field.
    public var id: FieldID
    /// The positional argument: `evt.arg[2]` gives 2, `proc.aname[1]` gives 1; -1 when absent.
    public var index: Int
    /// The named argument: `evt.arg.fd` gives "fd"; "" when absent.
    public var argName: String

    /// A field with an optional argument.
    public init(_ id: FieldID, index: Int = -1, argName: String = "") {
        self.id = id
        self.index = index
        self.argName = argName
    }

    /// The field as written in a filter: `evt.arg.fd`, `proc.aname[1]`.
    public var description: String {
        let name = FieldRegistry.info(id).name
        if !argName.isEmpty { return "\(name).\(argName)" }
        if index >= 0 { return "\(name)[\(index)]" }
        return name
    }
}
