import CaptureFormat

/// The event table: every event type kcap records, as data. The decoder, the engine (effects, fd sources,
/// close-on-exec rules), the filter fields, the printers, `kcap events` and docs/events.md all read it, and a
/// test checks the BPF program's decode rows against its parameter types.
///
/// Rows: the three process lifecycle events first, then every syscall of x86_64 and aarch64 sorted by name. A row's
/// index in `all` is its stable `EventID` within one kcap build (never store it in a file: names are the contract).
public enum EventTable {
    /// Index of a row in `EventTable.all`.
    public typealias EventID = Int

    /// Version of the table's meaning. Rows and parameters are only appended; renaming an event or a parameter,
    /// or changing a parameter's type or position, bumps this (filters and scripts depend on the names).
    public static let schemaVersion = 2

    /// Process lifecycle events, decoded from their own record types.
    public static let processEvents: [EventInfo] = [
        EventInfo(name: "procfork", source: .record(.procFork), category: .process, flags: [.changesProcessState, .modifiesState],
                  params: [P("parent_tid", .pid), P("parent_pid", .pid), P("child_tid", .pid), P("child_pid", .pid),
                           P("child_comm", .string)],
                  result: .int, curated: true),
        EventInfo(name: "procexec", source: .record(.procExec), category: .process, flags: [.changesProcessState, .modifiesState],
                  params: [P("filename", .path), P("args", .string), P("comm", .string), P("old_tid", .pid),
                           P("ppid", .pid), P("uid", .uid), P("gid", .gid)],
                  result: .int, curated: true),
        EventInfo(name: "procexit", source: .record(.procExit), category: .process, flags: [.changesProcessState, .modifiesState],
                  params: [P("exit_code", .int), P("status", .int), P("sig", .signal), P("group_dead", .uint)],
                  result: .int, curated: true),
        // sysdig's signaldeliver (spid, dpid, sig), with the rest of the siginfo; dpid is the event's own pid.
        EventInfo(name: "signaldeliver", source: .record(.signal), category: .signal, flags: [],
                  params: [P("sig", .signal), P("code", .sigCode), P("spid", .pid), P("uid", .uid), P("status", .int),
                           P("addr", .pointer), P("handler", .sigHandler)],
                  result: .void, curated: true),
    ]

    /// Every row: process events, then syscalls by name.
    public static let all: [EventInfo] = {
        var curated: [String: CuratedSyscall] = [:]
        for row in SyscallCatalog.curated { curated[row.name] = row }
        var rows = processEvents
        for g in GeneratedSyscalls.rows {
            let source = EventSource.syscall(x86_64: g.x86_64, aarch64: g.aarch64)
            if let c = curated[g.name], let params = c.params {
                rows.append(EventInfo(name: g.name, source: source, category: c.category ?? g.category,
                                      flags: c.flags, params: params, result: c.result, curated: true,
                                      effect: c.effect, fdSource: c.fdSource, cloexec: c.cloexec,
                                      extraParams: c.extraParams))
            } else {
                // Without curation, an fd argument still makes the call an fd user (fd.* fields apply).
                let flags: EventFlags = g.params.contains { $0.type == .fd } ? [.usesFd] : []
                let c = curated[g.name]
                rows.append(EventInfo(name: g.name, source: source, category: g.category, flags: flags,
                                      params: g.params, result: .errno, curated: false,
                                      effect: c?.effect ?? .none, fdSource: c?.fdSource ?? .none,
                                      cloexec: c?.cloexec ?? .never, extraParams: c?.extraParams ?? []))
            }
        }
        return rows
    }()

    private static let byName: [String: EventID] = {
        var out: [String: EventID] = [:]
        for (i, row) in all.enumerated() { out[row.name] = i }
        return out
    }()

    /// Syscall number -> row index, one flat array per architecture (-1: no such syscall). Two plain arrays
    /// rather than a dictionary of arrays: the replay loop looks a number up for every record.
    private static let x86_64Map = numberMap(.x86_64)
    private static let aarch64Map = numberMap(.aarch64)

    private static func numberMap(_ arch: SyscallArch) -> [Int32] {
        var map = [Int32](repeating: -1, count: 512)
        for (i, row) in all.enumerated() {
            if let nr = row.number(on: arch), nr >= 0, nr < map.count { map[nr] = Int32(i) }
        }
        return map
    }

    /// The row of the event called `name` (`evt.type` value), or nil.
    public static func id(named name: String) -> EventID? { byName[name] }

    /// The row of the event called `name`, or nil.
    public static func info(named name: String) -> EventInfo? { byName[name].map { all[$0] } }

    /// The row of syscall `nr` on `arch`, or nil for a number kcap does not know.
    @inline(__always)
    public static func id(syscall nr: Int, arch: SyscallArch) -> EventID? {
        let map = arch == .x86_64 ? x86_64Map : aarch64Map
        guard nr >= 0, nr < map.count else { return nil }
        let id = map[nr]
        return id < 0 ? nil : Int(id)
    }

    /// The row of syscall `nr` on `arch`, or nil.
    public static func info(syscall nr: Int, arch: SyscallArch) -> EventInfo? {
        id(syscall: nr, arch: arch).map { all[$0] }
    }

    /// The row of a process lifecycle record type (nil for `.syscall`: look syscalls up by number).
    public static func id(record type: RecordType) -> EventID? {
        switch type {
        case .syscall: return nil
        case .procFork: return 0
        case .procExec: return 1
        case .procExit: return 2
        case .signal: return 3
        }
    }

    /// The parameters of `info` in the argument order of `arch` (only clone differs between the two ABIs).
    public static func params(_ info: EventInfo, arch: SyscallArch) -> [ParamInfo] {
        if arch == .aarch64 && info.name == "clone" { return SyscallCatalog.cloneAArch64Params }
        return info.params
    }

    /// A name for a syscall number kcap does not know: `syscall_NNN` (still filterable by `evt.type`).
    public static func unknownSyscallName(_ nr: Int) -> String { "syscall_\(nr)" }

    /// The name the default output and filters use for an item that decodes no listed parameter.
    public static func itemParamName(_ kind: ItemKind) -> String {
        switch kind {
        case .path: return "path"
        case .sockaddr: return "addr"
        case .data: return "data"
        case .argv: return "args"
        case .fdPair: return "fds"
        case .tuple: return "tuple"
        case .cloneArgs: return "flags"
        case .siginfo: return "siginfo"
        case .inode: return "ino"
        case .foreignInteger: return "param"
        case .memory: return "value"
        }
    }
}
