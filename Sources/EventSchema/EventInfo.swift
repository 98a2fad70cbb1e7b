import CaptureFormat

/// One row of the event table: everything kcap knows about an event type.
public struct EventInfo: Sendable {
    /// The `evt.type` name, as sysdig users know it (`openat`, `connect`, `procexit`).
    public let name: String
    /// The record the event comes from.
    public let source: EventSource
    /// What the event is about.
    public let category: EventCategory
    /// Properties the engine and filters act on.
    public let flags: EventFlags
    /// Parameters in argument order (for syscalls: the syscall's arguments).
    public let params: [ParamInfo]
    /// How the result is read (`res`): `.errno` for most syscalls, `.fd` for calls that return an fd.
    public let result: ParamType
    /// True when the parameter types were curated by hand rather than derived from the kernel prototype.
    public let curated: Bool
    /// What the engine does to its thread and fd tables for this syscall (`.none` for most; process events are
    /// applied by record type).
    public let effect: SyscallEffect
    /// Which fd the event is about: what its `fd.*` fields describe.
    public let fdSource: FdSource
    /// Where the close-on-exec state of the fd the call creates comes from.
    public let cloexec: CloexecRule
    /// Values the recorder decodes beyond the arguments that the default output prints after them, such as the
    /// socket's `tuple` (`.sockTuple`) of connect, bind, listen and accept.
    public let extraParams: [ParamInfo]

    /// Creates a row. `flags` gains `.modifiesState` when `effect` is not `.none`.
    public init(name: String, source: EventSource, category: EventCategory, flags: EventFlags,
                params: [ParamInfo], result: ParamType, curated: Bool, effect: SyscallEffect = .none,
                fdSource: FdSource = .none, cloexec: CloexecRule = .never, extraParams: [ParamInfo] = []) {
        self.name = name
        self.source = source
        self.category = category
        self.flags = effect == .none ? flags : flags.union(.modifiesState)
        self.params = params
        self.result = result
        self.curated = curated
        self.effect = effect
        self.fdSource = fdSource
        self.cloexec = cloexec
        self.extraParams = extraParams
    }

    /// The syscall number on `arch`, or nil (process events, or a syscall the architecture lacks).
    public func number(on arch: SyscallArch) -> Int? {
        guard case let .syscall(x, a) = source else { return nil }
        return arch == .x86_64 ? x : a
    }

    /// True for syscall events.
    public var isSyscall: Bool {
        if case .syscall = source { return true }
        return false
    }

    /// True when the default output shows the socket's tuple (an extra parameter of type `.sockTuple`).
    public var showsTuple: Bool { extraParams.contains { $0.type == .sockTuple } }

    /// The index of the parameter called `name`, or nil.
    public func paramIndex(named name: String) -> Int? { params.firstIndex { $0.name == name } }
}
