/// Where the close-on-exec state of the fd a syscall creates comes from: the event table's `cloexec` column.
/// The engine drops such fds from a process's table at exec. Trivially copyable (names are static strings), so
/// the engine keeps it in a per-number array without reference counting.
public enum CloexecRule: Sendable, Equatable {
    /// The new fd is not close-on-exec (or the call creates none, or the flag is not in a recorded argument,
    /// as for openat2's `struct open_how`).
    case never
    /// The new fd is always close-on-exec (pidfd_open, bpf, io_uring_setup).
    case always
    /// Close-on-exec when argument `arg` has the bits of `mask` set; `name` is the flag's UAPI name.
    case flag(arg: Int, mask: UInt32, name: StaticString)
    /// Close-on-exec when argument `arg` equals `value` (fcntl's F_DUPFD_CLOEXEC); `name` is the value's name.
    case value(arg: Int, equals: UInt32, name: StaticString)

    /// True when a call with raw arguments `arg(i)` made a close-on-exec fd. Not for the per-event path: the
    /// engine keeps the same facts in per-number arrays.
    public func isCloexec(_ arg: (Int) -> UInt64) -> Bool {
        switch self {
        case .never: return false
        case .always: return true
        case let .flag(a, mask, _): return UInt32(truncatingIfNeeded: arg(a)) & mask != 0
        case let .value(a, value, _): return UInt32(truncatingIfNeeded: arg(a)) == value
        }
    }

    /// The argument the rule reads, or nil.
    public var argument: Int? {
        switch self {
        case .never, .always: return nil
        case let .flag(a, _, _), let .value(a, _, _): return a
        }
    }

    /// `-`, `always`, `flags&O_CLOEXEC` or `cmd==F_DUPFD_CLOEXEC`, with the argument's name from `params`.
    public func describe(params: [ParamInfo]) -> String {
        func argName(_ a: Int) -> String { a < params.count ? params[a].name : "arg\(a)" }
        switch self {
        case .never: return "-"
        case .always: return "always"
        case let .flag(a, _, name): return "\(argName(a))&\(name)"
        case let .value(a, _, name): return "\(argName(a))==\(name)"
        }
    }

    /// True for the same rule on the same argument, bits and name.
    public static func == (a: CloexecRule, b: CloexecRule) -> Bool {
        switch (a, b) {
        case (.never, .never), (.always, .always): return true
        case let (.flag(a1, m1, n1), .flag(a2, m2, n2)), let (.value(a1, m1, n1), .value(a2, m2, n2)):
            return a1 == a2 && m1 == m2 && "\(n1)" == "\(n2)"
        default: return false
        }
    }
}
