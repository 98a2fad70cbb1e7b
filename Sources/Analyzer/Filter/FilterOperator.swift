/// A comparison operator of the filter language.
public enum FilterOperator: String, Sendable, CaseIterable, Hashable {
    case equal = "="
    case doubleEqual = "=="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case contains
    case icontains
    case bcontains
    case startswith
    case bstartswith
    case endswith
    case glob
    case iglob
    case pmatch
    case regex
    case `in`
    case intersects
    case exists

    /// The spelling in filters.
    public var spelling: String { rawValue }

    /// Whether the operator takes no value (`exists`).
    public var isUnary: Bool { self == .exists }

    /// Whether the operator takes a parenthesised list (`in (a, b)`, `pmatch (/a, /b)`).
    public var takesList: Bool { self == .in || self == .pmatch || self == .intersects }

    /// Operators spelt with letters, in the order the lexer tries them.
    public static let words: [FilterOperator] = allCases.filter { $0.rawValue.first!.isLetter }

    /// Operators spelt with symbols, longest first so `<=` wins over `<`.
    public static let symbols: [FilterOperator] = allCases.filter { !$0.rawValue.first!.isLetter }
        .sorted { $0.rawValue.count > $1.rawValue.count }
}
