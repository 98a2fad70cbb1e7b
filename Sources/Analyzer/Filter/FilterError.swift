/// Why a filter was rejected, with the 1-based column (in characters) where the problem starts.
/// `description` is the one line the CLI prints after `kcap: `.
public struct FilterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Equatable, Sendable {
        /// The text ended where something else was required (`expected` says what).
        case unexpectedEnd(expected: String)
        /// A token that cannot appear here.
        case unexpectedToken(String, expected: String)
        /// A word in operator position that is no operator; `suggestion` is the nearest one, if close.
        case unknownOperator(String, suggestion: String?)
        /// A field name nobody knows; `suggestion` is the nearest known field, if close.
        case unknownField(String, suggestion: String?)
        /// A field sysdig knows and kcap does not provide yet.
        case unsupportedField(String)
        /// Syntax newer falcosecurity libs accept and kcap does not (list modifiers, transformers, `val()`).
        case unsupportedSyntax(String)
        /// A quoted value without its closing quote.
        case unterminatedString
        /// A `(` without its `)`.
        case missingCloseParenthesis
        /// `()` after a list operator.
        case emptyList
        /// A field argument that does not fit the field (`proc.name[1]`, `evt.arg` without one, `proc.aname[x]`).
        case invalidFieldArgument(field: String, argument: String)
        /// A numeric field index outside what the field can hold (`evt.arg[6]`, `proc.aname[65]`, `evt.arg[-1]`).
        case fieldIndexOutOfRange(field: String, index: String, range: ClosedRange<Int>)
        /// A constant that is not of the field's type (`evt.cpu = abc`).
        case invalidValue(String, field: String, expected: String)
        /// An operator the field's type does not support (`fd.sip contains 1`).
        case operatorNotApplicable(String, field: String, type: FieldType)
        /// A regular expression that RE2 does not compile; `reason` is RE2's message.
        case invalidRegex(String, reason: String)
        /// More nested parentheses or `not`s than the parser accepts.
        case nestingTooDeep(limit: Int)
    }

    /// What went wrong.
    public var kind: Kind
    /// 1-based column in the filter text (characters, not bytes).
    public var column: Int

    /// Creates an error.
    public init(_ kind: Kind, column: Int) {
        self.kind = kind
        self.column = column
    }

    /// The message without the position.
    public var message: String {
        switch kind {
        case .unexpectedEnd(let expected):
            return "unexpected end of filter; expected \(expected)"
        case .unexpectedToken(let token, let expected):
            return "unexpected '\(token)'; expected \(expected)"
        case .unknownOperator(let word, let suggestion):
            return "unknown operator '\(word)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        case .unknownField(let name, let suggestion):
            return "unknown field '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        case .unsupportedField(let name):
            return "unsupported field '\(name)' (known to sysdig, not provided by kcap yet)"
        case .unsupportedSyntax(let what):
            return "unsupported syntax: \(what)"
        case .unterminatedString:
            return "unterminated quoted value"
        case .missingCloseParenthesis:
            return "'(' is never closed"
        case .emptyList:
            return "empty list; expected at least one value"
        case .invalidFieldArgument(let field, let argument):
            return argument.isEmpty ? "field '\(field)' requires an argument"
                : "invalid argument '\(argument)' for field '\(field)'"
        case .fieldIndexOutOfRange(let field, let index, let range):
            return "index \(index) of field '\(field)' is out of range; valid indexes are \(range.lowerBound) to \(range.upperBound)"
        case .invalidValue(let value, let field, let expected):
            return "'\(value)' is not \(expected) (field '\(field)')"
        case .operatorNotApplicable(let op, let field, let type):
            return "operator '\(op)' does not apply to \(type.rawValue) field '\(field)'"
        case .invalidRegex(let pattern, let reason):
            return "invalid regular expression '\(pattern)': \(reason)"
        case .nestingTooDeep(let limit):
            return "parentheses and 'not' nested deeper than \(limit)"
        }
    }

    /// `filter error at column N: MESSAGE`.
    public var description: String { "filter error at column \(column): \(message)" }
}
