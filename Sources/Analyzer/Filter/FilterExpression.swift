/// The abstract syntax tree of a filter: what the parser builds and the compiler reads. Value types only, so
/// trees compare with `==` in tests and print back as filters.
public indirect enum FilterExpression: Equatable, Sendable, CustomStringConvertible {
    /// Every operand is true (`a and b and c`, flattened).
    case and([FilterExpression])
    /// Some operand is true (flattened).
    case or([FilterExpression])
    /// The operand is false.
    case not(FilterExpression)
    /// One comparison of a field.
    case comparison(FilterComparison)

    /// The filter in canonical form, fully parenthesised where precedence matters.
    public var description: String {
        switch self {
        case .and(let xs): return xs.map { $0.parenthesisedUnder(.and) }.joined(separator: " and ")
        case .or(let xs): return xs.map { $0.parenthesisedUnder(.or) }.joined(separator: " or ")
        case .not(let x): return "not " + x.parenthesisedUnder(.not)
        case .comparison(let c): return c.description
        }
    }

    private enum Context { case and, or, not }

    private func parenthesisedUnder(_ context: Context) -> String {
        switch (self, context) {
        case (.comparison, _), (.not, _): return description
        case (.and, .or): return description
        default: return "(\(description))"
        }
    }

    /// Every comparison in the tree, left to right.
    public var comparisons: [FilterComparison] {
        switch self {
        case .and(let xs), .or(let xs): return xs.flatMap(\.comparisons)
        case .not(let x): return x.comparisons
        case .comparison(let c): return [c]
        }
    }
}
