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
