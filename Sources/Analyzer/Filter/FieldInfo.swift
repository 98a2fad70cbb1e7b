/// One entry of the field registry: what `kcap fields` prints and what the compiler checks a filter against.
public struct FieldInfo: Sendable, Equatable {
    /// The field.
    public let id: FieldID
    /// Its name as written in filters and `-p` formats, without argument: `evt.arg`, `proc.aname`.
    public let name: String
    /// How its values are read and compared.
    public let type: FieldType
    /// How it takes an argument.
    public let argument: FieldArgument
    /// Whether kcap's engine provides it. Unsupported fields are known by name so that a filter using them
    /// gets "unsupported field", and are never asked of a `FieldValueSource`.
    public let supported: Bool
    /// One sentence on what it holds.
    public let description: String

    /// The field class: the part before the first dot (`evt`, `proc`, `fd`...).
    public var fieldClass: Substring { name.prefix(while: { $0 != "." }) }

    /// The name as `kcap fields` shows it, with its argument form: `evt.arg.NAME|evt.arg[N]`.
    public var usage: String {
        switch argument {
        case .none: return name
        case .nameOrIndex: return "\(name).NAME, \(name)[N]"
        case .name: return "\(name).NAME"
        case .optionalIndex: return "\(name), \(name)[N]"
        }
    }
}
