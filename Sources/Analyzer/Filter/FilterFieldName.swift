/// A field reference as written: the name, its argument and where it starts. Resolved by the compiler.
public struct FilterFieldName: Equatable, Sendable {
    /// The whole text (`evt.arg.fd`, `proc.aname[2]`).
    public var text: String
    /// The part before any `[`: `evt.arg.fd`, `proc.aname`.
    public var name: String
    /// The text inside `[...]`, if any.
    public var bracketArgument: String?
    /// Column (1-based) where the field starts.
    public var column: Int

    /// Creates a field reference.
    public init(text: String, name: String, bracketArgument: String?, column: Int) {
        self.text = text; self.name = name; self.bracketArgument = bracketArgument; self.column = column
    }
}
