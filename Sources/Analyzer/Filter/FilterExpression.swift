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

/// `FIELD OPERATOR [VALUE | (LIST)]`.
public struct FilterComparison: Equatable, Sendable, CustomStringConvertible {
    /// The field, as written.
    public var field: FilterFieldName
    /// The operator.
    public var op: FilterOperator
    /// Column (1-based) of the operator.
    public var opColumn: Int
    /// The operand: none for `exists`, one value, or a list.
    public var operand: FilterOperand

    /// Creates a comparison.
    public init(field: FilterFieldName, op: FilterOperator, opColumn: Int, operand: FilterOperand) {
        self.field = field; self.op = op; self.opColumn = opColumn; self.operand = operand
    }

    /// The comparison written back as filter text.
    public var description: String {
        switch operand {
        case .none: return "\(field.text) \(op.spelling)"
        case .value(let v): return "\(field.text) \(op.spelling) \(v)"
        case .list(let vs): return "\(field.text) \(op.spelling) (\(vs.map(\.description).joined(separator: ", ")))"
        }
    }
}

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

/// The right-hand side of a comparison.
public enum FilterOperand: Equatable, Sendable {
    /// `exists` takes none.
    case none
    /// One value.
    case value(FilterValue)
    /// A parenthesised list, for `in`, `pmatch`, `intersects`.
    case list([FilterValue])

    /// The values, whichever the form.
    public var values: [FilterValue] {
        switch self {
        case .none: return []
        case .value(let v): return [v]
        case .list(let vs): return vs
        }
    }
}

/// A constant: its text with quotes removed and escapes applied, whether it was quoted, and its column.
public struct FilterValue: Equatable, Sendable, CustomStringConvertible {
    /// The value's text.
    public var text: String
    /// Whether it was written between quotes.
    public var quoted: Bool
    /// Column (1-based) where it starts (its opening quote when quoted).
    public var column: Int

    /// Creates a value.
    public init(text: String, quoted: Bool = false, column: Int) {
        self.text = text; self.quoted = quoted; self.column = column
    }

    /// The value as filter text: bare when that reads back the same, else double-quoted with escapes.
    public var description: String {
        let plain = !text.isEmpty && !text.contains { " \t\n\r(),'\"\\".contains($0) }
        if plain { return text }
        var out = "\""
        for ch in text {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default: out.append(ch)
            }
        }
        return out + "\""
    }
}
