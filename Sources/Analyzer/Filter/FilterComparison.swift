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
