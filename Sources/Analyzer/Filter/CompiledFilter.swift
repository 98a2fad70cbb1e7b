/// A filter compiled for one kind of event source: a tree of closures with every field resolved to a
/// `FieldRef` and every constant pre-parsed, so `matches` does no name lookup, parsing or allocation.
public struct CompiledFilter<Source: FieldValueSource> {
    @usableFromInline
    let predicate: (Source) -> Bool

    /// The expression it was compiled from.
    public let expression: FilterExpression

    init(predicate: @escaping (Source) -> Bool, expression: FilterExpression) {
        self.predicate = predicate
        self.expression = expression
    }

    /// Whether the event matches.
    @inlinable
    public func matches(_ event: Source) -> Bool { predicate(event) }
}

extension CompiledFilter {
    /// Parses and compiles `text` with a default compiler (no event-type codes: `evt.type` is compared by name).
    public init(_ text: String) throws {
        self = try FilterCompiler().compile(text, for: Source.self)
    }
}
