/// How a field takes an argument after its name.
public enum FieldArgument: String, Sendable, Codable {
    /// No argument: `proc.name`.
    case none
    /// A required argument, by parameter name or position: `evt.arg.fd`, `evt.arg[0]`.
    case nameOrIndex
    /// A required parameter name: `evt.rawarg.flags`.
    case name
    /// An optional ancestor index: `proc.aname[2]`; without it, any ancestor matches.
    case optionalIndex

    /// The indexes a numeric argument may take: a syscall has at most 6 arguments (`evt.arg[0]` to `[5]`);
    /// ancestors are followed at most 64 levels up (deeper trees do not occur; each level costs a lookup per
    /// event). nil for arguments that are never numeric.
    public var indexRange: ClosedRange<Int>? {
        switch self {
        case .nameOrIndex: return 0...5
        case .optionalIndex: return 0...64
        case .none, .name: return nil
        }
    }
}
