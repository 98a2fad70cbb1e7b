import EventSchema
import ScapFormat

/// How the parameters of one ppm event become a kcap record: worked out once per event id from the two
/// tables (the ppm parameter names against the kcap event table's), so events and fields mean the same on
/// both sources. Parameters are matched by name; the few that differ in meaning (the result, paths, buffers,
/// addresses, process facts) get their own role.
struct ScapEventPlan {
    /// What one parameter becomes.
    enum Role: Equatable {
        case ignore
        /// The syscall's result (parameter 0 of every syscall exit).
        case result
        /// A raw argument, converted from the ppm encoding when it has its own.
        case arg(Int, Conversion)
        case path(UInt8)
        case data(UInt8)
        case sockaddr(UInt8)
        /// A socket tuple; `inbound`: the source end is the peer (accept, recvfrom, recvmsg), else the local end.
        case tuple(inbound: Bool)
        case fd1, fd2
        /// execve/clone: argv[0] and the rest of argv.
        case exe, args
        /// The thread, process and parent thread of a clone or execve exit, and its comm.
        case tid, pid, ptid, comm
        /// A generic event's native syscall number.
        case nativeID
    }

    enum Conversion: Equatable { case none, openFlags, cloneFlags }

    enum Kind: Equatable {
        /// A syscall kcap's table knows: record number `nr` (x86_64).
        case syscall(nr: Int)
        /// A generic syscall event: the number is its `nativeID` parameter.
        case generic
        /// procexit: a kcap exit record.
        case procexit
        /// An event kcap's table has no row for: `EventTypeNames.foreignBase + id`.
        case foreign
    }

    let kind: Kind
    let isEnter: Bool
    /// Never shown: events the libraries make about themselves (procinfo, scapevent) and metadata (user and
    /// group added), which sysdig 0.29.3 keeps out of `sysdig -r` output.
    let hidden: Bool
    /// The entry ids an exit pairs with: every entry version of the same `evt.type`.
    let entryIDs: [UInt16]
    /// A container's metadata: part of the state dump (hidden) before the first event, shown after it.
    let isContainer: Bool
    /// clone, clone3, fork, vfork: the child's exit (result 0) carries the child's facts.
    let isClone: Bool
    /// execve, execveat: a successful exit carries the new image's facts.
    let isExec: Bool
    let roles: [Role]
    /// Integer parameters no argument holds, kept as items for `evt.rawarg` (sysdig filters on them).
    let keepsInteger: [Bool]
    /// The ppm types of the parameters, in order.
    let paramTypes: [ScapParamType]
    /// Where a clone or execve exit carries the thread's uid and gid (newer events only).
    let uidIndex: Int?, gidIndex: Int?
    /// Arguments before any parameter fills them: fds the capture does not give are -1 (no fd, not fd 0),
    /// directory fds AT_FDCWD (6 used).
    let defaultArgs: SIMD8<UInt64>
    /// Where a generic event carries its native syscall number.
    let nativeIDIndex: Int?
    /// A clone or execve: its exit carries facts about the thread (its pid, its parent, its image).
    let carriesProcess: Bool
    /// The event becomes a syscall record (a syscall kcap knows, or a generic one).
    let isSyscallRecord: Bool
    /// The `evt.type` code the event gets (`Event.typeCode`): its syscall number, or `foreignBase + id`; nil
    /// for a generic event (its number is a parameter) and procexit.
    let typeCode: Int64?
    /// The record it becomes changes no state the engine keeps: a syscall without an effect (both directions:
    /// an entry only feeds its exit), or an event kcap has no row for. Such an event can be passed over when
    /// no filter can match it (`ScapFileSource.onlyTypeCodes`).
    let changesNoState: Bool
    /// Whether sysdig gives the event an fd: an entry that uses or creates one (-1 until the exit), an exit
    /// that creates one or whose entry used one (sysdig keeps the entry's fd for the exit).
    let hasFd: Bool

    init(_ info: ScapEventInfo) {
        isEnter = info.isEnter
        entryIDs = info.isEnter ? [] : Self.entryIDsByName[info.name] ?? []
        isContainer = info.name == "container"
        hidden = !isContainer && (info.isInternal || info.categories.contains("METAEVENT"))
        isClone = ["clone", "clone3", "fork", "vfork"].contains(info.name)
        isExec = info.name == "execve" || info.name == "execveat"
        let kcap = EventTable.info(named: info.name)
        if info.name == "procexit" {
            kind = .procexit
        } else if info.id <= 1 {
            kind = .generic
        } else if info.isSyscall, let nr = kcap?.number(on: .x86_64), nr < SyscallEffectTable.size {
            kind = .syscall(nr: nr)
        } else {
            kind = .foreign
        }
        let params = kcap?.params ?? []
        // An exit that uses an fd its entry did not name (setsockopt): sysdig shows fd -1, whatever the
        // exit's own fd parameter says.
        var fdFromNowhere = false
        if info.isEnter {
            hasFd = info.flags.contains("USES_FD") || info.flags.contains("CREATES_FD")
        } else {
            let entry = info.id > 0 ? ScapEventTable.info(info.id - 1) : nil
            let entryUsesFd = entry?.isEnter == true && entry?.flags.contains("USES_FD") == true
            fdFromNowhere = info.flags.contains("USES_FD") && !entryUsesFd && !info.flags.contains("CREATES_FD")
            hasFd = info.flags.contains("CREATES_FD") || entryUsesFd || fdFromNowhere
        }
        var defaults = SIMD8<UInt64>()
        for i in 0..<min(6, params.count) {
            switch params[i].type {
            case .fd: defaults[i] = UInt64(bitPattern: -1)
            case .dirfd: defaults[i] = UInt64(bitPattern: Int64(Linux.AT_FDCWD))
            default: break
            }
        }
        defaultArgs = defaults
        let isOpen = ["open", "openat", "openat2", "creat"].contains(info.name)
        let isExec = self.isExec, isClone = self.isClone
        roles = info.params.enumerated().map { i, p -> Role in
            if !info.isEnter && info.isSyscall && i == 0 && info.id > 1 { return .result }
            switch p.name {
            case "fd" where fdFromNowhere: return .ignore
            case "nativeID": return .nativeID
            case "fd1": return .fd1
            case "fd2": return .fd2
            case "tuple" where p.type == .socktuple:
                return .tuple(inbound: info.name.hasPrefix("accept") || info.name == "recvfrom" || info.name == "recvmsg")
            case "tid" where isExec || info.name.hasPrefix("clone") || info.name.hasSuffix("fork"): return .tid
            case "pid" where isExec || info.name.hasPrefix("clone") || info.name.hasSuffix("fork"): return .pid
            case "ptid" where isExec || info.name.hasPrefix("clone") || info.name.hasSuffix("fork"): return .ptid
            case "comm": return .comm
            case "exe" where isExec || isClone: return .exe
            case "args" where isExec || isClone: return .args
            default: break
            }
            let index = params.firstIndex { $0.name == p.name }
                // A path under another name (`name` vs `path`/`filename`): the table's one path parameter.
                ?? ((p.type == .fspath || p.type == .fsrelpath) ? params.firstIndex { $0.type == .path } : nil)
            guard let k = index else {
                if p.type == .bytebuf && p.name == "data" { return .data(1) }
                return .ignore
            }
            switch params[k].type {
            case .path: return .path(UInt8(k))
            case .buffer: return .data(UInt8(k))
            case .sockaddr: return p.type == .sockaddr ? .sockaddr(UInt8(k)) : .ignore
            case .fdPair: return .ignore
            case .openFlags where isOpen: return .arg(k, .openFlags)
            case .cloneFlags: return .arg(k, .cloneFlags)
            default: return p.type.isInteger ? .arg(k, .none) : .ignore
            }
        }
        uidIndex = info.index(of: "uid")
        gidIndex = info.index(of: "gid")
        keepsInteger = zip(roles, info.params).map { role, p in role == .ignore && p.type.isInteger && p.name != "fd" }
        paramTypes = info.params.map(\.type)
        nativeIDIndex = roles.firstIndex(of: .nativeID)
        carriesProcess = roles.contains(.pid)
        switch kind {
        case .syscall(let nr):
            isSyscallRecord = true
            typeCode = Int64(nr)
            let effect = SyscallEffectTable.shared(machine: "x86_64").effects[nr]
            // fstat refreshes an fd from an INODE item, which no scap event carries.
            changesNoState = (effect == .none || effect == .fstat) && !carriesProcess && !isContainer && !hidden
        case .generic:
            isSyscallRecord = true
            typeCode = nil
            changesNoState = false
        case .foreign:
            isSyscallRecord = false
            typeCode = Int64(EventTypeNames.foreignBase + Int(info.id))
            changesNoState = !isContainer && !hidden
        case .procexit:
            isSyscallRecord = false
            typeCode = nil
            changesNoState = false
        }
    }

    /// Entry ids by `evt.type` name.
    static let entryIDsByName: [String: [UInt16]] = {
        var out: [String: [UInt16]] = [:]
        for row in ScapEventTable.rows { if let r = row, r.isEnter { out[r.name, default: []].append(r.id) } }
        return out
    }()

    /// Plans for every event id of the ppm table.
    static let all: [ScapEventPlan?] = ScapEventTable.rows.map { $0.map(ScapEventPlan.init) }

    /// What the walk asks of every event before decoding it, one byte per event id (`facts`).
    struct Facts: OptionSet {
        let rawValue: UInt8
        /// The table has a row (a plan) for the id.
        static let known = Facts(rawValue: 1 << 0)
        /// sysdig hides it (`hidden`).
        static let hidden = Facts(rawValue: 1 << 1)
        static let container = Facts(rawValue: 1 << 2)
        static let enter = Facts(rawValue: 1 << 3)
        static let syscallRecord = Facts(rawValue: 1 << 4)
        /// A generic syscall event: its syscall number is a parameter.
        static let generic = Facts(rawValue: 1 << 5)
    }

    /// Event ids the tables below index (the ppm table's size).
    static let count = all.count

    /// The plans in memory that lives as long as the process, read in place (a plan is too large to copy per
    /// event); an id without a row has a copy of the first plan, never read (`facts` says it is unknown).
    static let table: UnsafeMutablePointer<ScapEventPlan> = {
        let fallback = all.compactMap { $0 }[0]
        let p = UnsafeMutablePointer<ScapEventPlan>.allocate(capacity: all.count)
        for (i, plan) in all.enumerated() { (p + i).initialize(to: plan ?? fallback) }
        return p
    }()

    /// `Facts` by event id.
    static let facts: UnsafeMutablePointer<Facts> = {
        let p = UnsafeMutablePointer<Facts>.allocate(capacity: all.count)
        for (i, plan) in all.enumerated() {
            var f: Facts = []
            if let plan {
                f.insert(.known)
                if plan.hidden { f.insert(.hidden) }
                if plan.isContainer { f.insert(.container) }
                if plan.isEnter { f.insert(.enter) }
                if plan.isSyscallRecord { f.insert(.syscallRecord) }
                if plan.kind == .generic { f.insert(.generic) }
            }
            (p + i).initialize(to: f)
        }
        return p
    }()
}
