/// A syscall row refined by hand; it overrides the generated row of the same name.
///
/// Two kinds: a curated row (`params` set) chooses parameter types, flags and result; an engine row (`params`
/// nil) keeps the generated parameters and flags and only adds what the engine does with the call. Both carry
/// the engine's columns: effect, fd source, close-on-exec rule and the extra parameters the output prints.
struct CuratedSyscall {
    let name: String
    let flags: EventFlags
    let params: [ParamInfo]?
    let result: ParamType
    let category: EventCategory?
    let effect: SyscallEffect
    let fdSource: FdSource
    let cloexec: CloexecRule
    let extraParams: [ParamInfo]
}

/// A curated row: one line per syscall in SyscallCatalog.swift.
@inline(__always) func C(_ name: String, _ flags: EventFlags, _ params: [ParamInfo], res: ParamType = .errno,
                         cat: EventCategory? = nil, effect: SyscallEffect = .none, fd: FdSource = .none,
                         cloexec: CloexecRule = .never, extra: [ParamInfo] = []) -> CuratedSyscall {
    CuratedSyscall(name: name, flags: flags, params: params, result: res, category: cat, effect: effect,
                   fdSource: fd, cloexec: cloexec, extraParams: extra)
}

/// An engine row: the generated parameters, with what the engine does with the call.
@inline(__always) func E(_ name: String, effect: SyscallEffect = .none, fd: FdSource = .none,
                         cloexec: CloexecRule = .never) -> CuratedSyscall {
    CuratedSyscall(name: name, flags: [], params: nil, result: .errno, category: nil, effect: effect,
                   fdSource: fd, cloexec: cloexec, extraParams: [])
}
