import CaptureFormat
import EventSchema
import ScapFormat

/// Turns sysdig capture events into the kcap records the engine reads, one event at a time, into a buffer
/// it reuses. An exit record gets the arguments of its thread's entry event (as kcap's recorder merges them)
/// and its latency; the entry is handed over as well, flagged `.entry`, because sysdig shows both. Keeps
/// what the engine cannot learn from kcap records: the pid of every tid (scap events carry the tid only).
struct ScapRecordTranslator {
    /// A thread's last entry event: its arguments and items wait for the exit.
    struct Pending {
        var id: UInt16 = 0
        var nr = 0
        var valid = false
        var ts: UInt64 = 0
        var args: [UInt64] = Array(repeating: 0, count: 6)
        var items: [UInt8] = []
    }

    var writer = ScapRecordWriter()
    /// pid of each tid, from the process list and from clone/execve exits.
    var pidOf: [UInt64: UInt32] = [:]
    /// Processes whose facts (exe, args, parent, ids) the engine has: listed, or described by an exec.
    var describedPids: Set<UInt32> = []
    var pending: [UInt64: Pending] = [:]
    /// Events sysdig hides (procinfo, container...), not handed over.
    private(set) var hiddenEvents: UInt64 = 0
    /// Events of an id the table does not know, handed over as foreign events.
    private(set) var unknownEvents: UInt64 = 0

    private var args: [UInt64] = Array(repeating: 0, count: 6)
    /// Item bytes being converted (sockaddr, tuple, fd pair), reused from event to event.
    private var scratch: [UInt8] = []
    /// Whether an event other than a container's came yet (container events before it are the state dump).
    private var pastStateDump = false
    /// (kind << 8 | arg) of the items of the record being built, to keep an entry's item out when the exit has it.
    private var written: [UInt16] = []

    /// x86_64 numbers of the syscalls older generic events name by code (`ScapEventTable.legacySyscallNames`).
    static let legacyNumbers: [Int?] = (0...4096).map { code in
        guard code < ScapEventTable.legacySyscallNames.count, let name = ScapEventTable.legacySyscallNames[code] else { return nil }
        return EventTable.info(named: name)?.number(on: .x86_64)
    }

    /// The pid of `tid`; 0 for a thread the capture never listed, showed created or making a syscall (sysdig
    /// has no thread for it: no proc.* fields), which the engine then treats as unknown.
    func pid(_ tid: UInt64) -> UInt32 { pidOf[tid] ?? 0 }

    /// Translates one event and hands its record(s) to `emit` (false from `emit` stops: returns false).
    mutating func translate(_ h: ScapEventHeader, _ p: ScapEventParams, _ bytes: [UInt8],
                            _ emit: (RecordView) -> Bool) -> Bool {
        guard let plan = Int(h.type) < ScapEventPlan.all.count ? ScapEventPlan.all[Int(h.type)] : nil else {
            unknownEvents += 1
            return foreign(h, p, bytes, emit, enter: true, keep: [])
        }
        if plan.isContainer && !pastStateDump { hiddenEvents += 1; return true }
        pastStateDump = true
        if plan.hidden { hiddenEvents += 1; return true }
        switch plan.kind {
        case .procexit:
            return procexit(h, p, bytes, emit)
        case .foreign:
            return foreign(h, p, bytes, emit, enter: plan.isEnter, keep: plan.keepsInteger)
        case .syscall, .generic:
            break
        }
        var nr = 0
        if case .syscall(let n) = plan.kind { nr = n }
        if plan.kind == .generic {
            // Old captures' generic exits lack the native number: the entry has it.
            if let i = plan.roles.firstIndex(of: .nativeID), let n = p.integer(i, in: bytes) { nr = Int(n) }
            else if !plan.isEnter, let e = pending[h.tid], e.valid { nr = e.nr }
            else if let code = p.integer(0, in: bytes), let n = Self.legacyNumbers[Int(truncatingIfNeeded: min(code, 4096))] {
                nr = n
            }
        }
        let tid = h.tid
        // The facts a clone or execve exit carries about its thread come first: its pid, and for a clone
        // child, the fork from its parent (synthetic: state only).
        var childPid: UInt32? = nil, parentTid: UInt64? = nil, comm: ArraySlice<UInt8> = []
        var exe: ArraySlice<UInt8> = [], argv: ArraySlice<UInt8>? = nil
        for (i, role) in plan.roles.enumerated() where i < p.ranges.count {
            switch role {
            case .pid: if let v = p.integer(i, in: bytes) { childPid = UInt32(truncatingIfNeeded: v) }
            case .ptid: parentTid = p.integer(i, in: bytes)
            case .comm: comm = bytes[p.ranges[i]].prefix { $0 != 0 }
            case .exe: exe = bytes[p.ranges[i]].prefix { $0 != 0 }
            case .args: argv = bytes[p.ranges[i]]
            default: break
            }
        }
        if !plan.isEnter, let newPid = childPid {
            let result = p.signed(0, in: bytes) ?? -1
            var describe = false
            if plan.isClone, result == 0, pidOf[tid] == nil, let ptid = parentTid {
                pidOf[tid] = newPid
                // A new thread's ptid is its process's parent: the thread joins its own process (its main
                // thread stands for the caller); a new process forks from ptid.
                let parent = UInt64(newPid) != tid ? UInt64(newPid) : ptid
                // The process the child belongs to (its own, or the one it forks from) was never listed: the
                // clone exit's facts (exe, args, comm, parent, ids) are all sysdig knows of it, and kcap too.
                describe = !describedPids.contains(pid(parent))
                writer.begin(type: .procFork, ts: h.timestampNs, tid: UInt32(truncatingIfNeeded: parent), pid: pid(parent),
                             cpu: h.cpu, flags: .synthetic)
                writer.put(UInt32(truncatingIfNeeded: tid), at: KcapABI.ProcFork.childTid)
                writer.put(newPid, at: KcapABI.ProcFork.childPid)
                for (k, b) in comm.prefix(KcapABI.ProcFork.commSize - 1).enumerated() { writer.put(b, at: KcapABI.ProcFork.childComm + k) }
                writer.finish()
                let more = writer.bytes.withUnsafeBytes { emit(RecordView(bytes: $0)) }
                if !more { return false }
            } else if result >= 0 {
                pidOf[tid] = newPid
            }
            if (plan.isExec && result == 0) || describe {
                // A successful execve carries what kcap's exec record does (parent, comm, argv, ids): the engine
                // applies it as one (synthetic: the execve's own events are the lines shown). A clone child of a
                // process never listed is described the same way.
                describedPids.insert(newPid)
                writer.begin(type: .procExec, ts: h.timestampNs, tid: UInt32(truncatingIfNeeded: tid), pid: newPid,
                             cpu: h.cpu, flags: .synthetic)
                writer.put(UInt32(truncatingIfNeeded: tid), at: KcapABI.ProcExec.oldTid)
                writer.put(parentTid.map { pid($0) } ?? 0, at: KcapABI.ProcExec.ppid)
                // Older events carry no ids: the process keeps its own.
                writer.put(plan.uidIndex.flatMap { p.integer($0, in: bytes) }.map { UInt32(truncatingIfNeeded: $0) } ?? .max,
                           at: KcapABI.ProcExec.uid)
                writer.put(plan.gidIndex.flatMap { p.integer($0, in: bytes) }.map { UInt32(truncatingIfNeeded: $0) } ?? .max,
                           at: KcapABI.ProcExec.gid)
                for (k, b) in comm.prefix(KcapABI.ProcExec.commSize - 1).enumerated() { writer.put(b, at: KcapABI.ProcExec.comm + k) }
                appendExecItems(exe: exe, argv: argv)
                writer.finish()
                if !writer.bytes.withUnsafeBytes({ emit(RecordView(bytes: $0)) }) { return false }
            }
        }

        // An entry has no latency (its exit has it).
        var flags: RecordFlags = plan.isEnter ? [.entry, .noEnter] : []
        if !plan.hasFd { flags.insert(.noFd) }
        for i in 0..<6 { args[i] = plan.defaultArgs[i] }
        written.removeAll(keepingCapacity: true)
        var latency: UInt64 = 0
        var entryItems: [UInt8]? = nil
        if !plan.isEnter {
            if let e = pending[tid], e.valid, e.id &+ 1 == h.type || plan.entryIDs.contains(e.id) {
                for i in 0..<6 { args[i] = e.args[i] }
                latency = h.timestampNs &- e.ts
                entryItems = e.items
                pending[tid]?.valid = false
            } else {
                flags.insert(.noEnter)
            }
        }
        // sysdig makes a thread (pid = tid, no name) for a syscall of a tid it does not know; a scheduler
        // event alone makes none.
        if pidOf[tid] == nil { pidOf[tid] = UInt32(truncatingIfNeeded: tid) }
        writer.begin(type: .syscall, ts: h.timestampNs, tid: UInt32(truncatingIfNeeded: tid), pid: pid(tid), cpu: h.cpu, flags: flags)
        writer.put(UInt16(truncatingIfNeeded: nr), at: KcapABI.Syscall.nr)
        writer.put(UInt32(h.type) + 1 | UInt32(min(p.ranges.count, 0xffff)) << 16, at: KcapABI.Syscall.foreignType)
        writer.put(latency, at: KcapABI.Syscall.latencyNs)
        var fds: (Int32, Int32) = (-1, -1)
        for (i, role) in plan.roles.enumerated() where i < p.ranges.count {
            let r = p.ranges[i]
            switch role {
            case .ignore where plan.keepsInteger[i]:
                // sysdig's evt.rawarg reads it; no kcap argument holds it.
                add(.foreignInteger, UInt8(i), bytes[r])
            case .ignore, .tid, .pid, .ptid, .comm, .nativeID:
                break
            case .result:
                writer.put(p.signed(i, in: bytes) ?? 0, at: KcapABI.Syscall.ret)
            case .arg(let k, let conversion):
                guard let v = p.signed(i, in: bytes) else { break }
                switch conversion {
                case .none: args[k] = UInt64(bitPattern: v)
                case .openFlags: args[k] = UInt64(ScapFlagMap.linuxOpenFlags(UInt32(truncatingIfNeeded: v)))
                case .cloneFlags: args[k] = ScapFlagMap.linuxCloneFlags(UInt32(truncatingIfNeeded: v))
                }
            case .path(let a):
                let s = bytes[r].prefix { $0 != 0 }
                if !s.isEmpty { add(.path, a, s) }
            case .data(let a):
                add(.data, a, bytes[r])
            case .sockaddr(let a):
                sockaddr(bytes[r], arg: a)
            case .tuple(let acceptSide):
                tuple(bytes[r], acceptSide: acceptSide)
            case .fd1: fds.0 = Int32(truncatingIfNeeded: p.signed(i, in: bytes) ?? -1)
            case .fd2: fds.1 = Int32(truncatingIfNeeded: p.signed(i, in: bytes) ?? -1)
            case .exe, .args: break
            }
        }
        if fds.0 >= 0 || fds.1 >= 0 {
            scratch.removeAll(keepingCapacity: true)
            withUnsafeBytes(of: fds.0.littleEndian) { scratch.append(contentsOf: $0) }
            withUnsafeBytes(of: fds.1.littleEndian) { scratch.append(contentsOf: $0) }
            let pair = scratch
            add(.fdPair, 0, pair)
        }
        if plan.isExec, argv != nil { appendExecItems(exe: exe, argv: argv) }
        if plan.isClone, !plan.isEnter, let ret = p.signed(0, in: bytes), ret > 0, pidOf[UInt64(ret)] == nil {
            // The parent's exit names the child: a thread joins the parent's process (the engine adds it the same way).
            pidOf[UInt64(ret)] = args[0] & 0x10000 != 0 ? pid(tid) : UInt32(truncatingIfNeeded: ret)
        }
        for i in 0..<6 { writer.put(args[i], at: KcapABI.Syscall.args + 8 * i) }
        if let items = entryItems { appendEntryItems(items) }
        if plan.isEnter {
            // The exit takes the arguments and items from here (the record's own item bytes).
            let itemBytes = writer.bytes[KcapABI.Syscall.size...]
            // Written in place (no copy of the entry's arrays): a thread's buffers are reused call after call.
            Self.keep(&pending[tid, default: Pending()], id: h.type, nr: nr, ts: h.timestampNs, args: args, items: itemBytes)
        }
        writer.finish()
        return writer.bytes.withUnsafeBytes { emit(RecordView(bytes: $0)) }
    }

    /// The PATH and ARGV items of an exec: kcap's ARGV item is the whole argv, where sysdig keeps argv[0]
    /// (`exe`) apart from the rest.
    private mutating func appendExecItems(exe: ArraySlice<UInt8>, argv: ArraySlice<UInt8>?) {
        if !exe.isEmpty { add(.path, 0, exe) }
        var all = Array(exe)
        all.append(0)
        if let argv { all.append(contentsOf: argv) }
        add(.argv, KcapABI.Item.noArg, all)
    }

    private static func keep(_ e: inout Pending, id: UInt16, nr: Int, ts: UInt64, args: [UInt64], items: ArraySlice<UInt8>) {
        e.id = id
        e.nr = nr
        e.valid = true
        e.ts = ts
        for i in 0..<6 { e.args[i] = args[i] }
        e.items.removeAll(keepingCapacity: true)
        e.items.append(contentsOf: items)
    }

    private mutating func add<C: Collection>(_ kind: ItemKind, _ arg: UInt8, _ data: C) where C.Element == UInt8 {
        writer.item(kind, arg: arg, data)
        written.append(UInt16(kind.rawValue) << 8 | UInt16(arg))
    }

    /// Adds the entry's items the exit did not bring itself.
    private mutating func appendEntryItems(_ items: [UInt8]) {
        var at = 0
        while items.count - at >= KcapABI.Item.size {
            let kind = items[at], arg = items[at + 1]
            let n = Int(items[at + 2]) | Int(items[at + 3]) << 8
            guard n <= items.count - at - KcapABI.Item.size else { return }
            let body = items[(at + 4)..<(at + 4 + n)]
            if let k = ItemKind(rawValue: kind), !written.contains(UInt16(kind) << 8 | UInt16(arg)) { add(k, arg, body) }
            at += 4 + n
        }
    }

    /// A ppm sockaddr (family byte, address, port in host order; or a unix path) as the kernel's sockaddr,
    /// built in `scratch` (no allocation once it has grown).
    private mutating func sockaddr(_ b: ArraySlice<UInt8>, arg: UInt8) {
        guard let family = b.first else { return }
        let v = b.startIndex + 1  // the value after the family byte
        scratch.removeAll(keepingCapacity: true)
        scratch.append(family); scratch.append(0)
        switch family {
        case 2 where b.count >= 7:  // sockaddr_in: port (network order), address, 8 bytes of zero
            scratch.append(b[v + 5]); scratch.append(b[v + 4])
            scratch.append(contentsOf: b[v..<(v + 4)])
            scratch.append(contentsOf: repeatElement(0, count: 8))
        case 10 where b.count >= 19:  // sockaddr_in6: port, flow info, address, scope id
            scratch.append(b[v + 17]); scratch.append(b[v + 16])
            scratch.append(contentsOf: repeatElement(0, count: 4))
            scratch.append(contentsOf: b[v..<(v + 16)])
            scratch.append(contentsOf: repeatElement(0, count: 4))
        case 1:
            scratch.append(contentsOf: b[v...].prefix { $0 != 0 })
            scratch.append(0)
        default:
            return
        }
        let sa = scratch
        add(.sockaddr, arg, sa)
    }

    /// A ppm socket tuple (family byte, source address and port, destination address and port; unix: two
    /// pointers and a path) as kcap's tuple item: local and remote ends, ports in host order.
    private mutating func tuple(_ b: ArraySlice<UInt8>, acceptSide: Bool) {
        guard let family = b.first else { return }
        let v = b.startIndex + 1
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: repeatElement(0, count: KcapABI.Tuple.size))
        scratch[KcapABI.Tuple.family] = family
        let addrSize: Int
        switch family {
        case 2: addrSize = 4
        case 10: addrSize = 16
        case 1:
            // The name of a unix socket is its path, which the engine reads from a sockaddr item.
            guard b.count > 17 else { return }
            let t = scratch
            add(.tuple, KcapABI.Item.noArg, t)
            scratch.removeAll(keepingCapacity: true)
            scratch.append(1); scratch.append(0)
            scratch.append(contentsOf: b[(v + 16)...].prefix { $0 != 0 })
            scratch.append(0)
            let sa = scratch
            add(.sockaddr, 1, sa)
            return
        default: return
        }
        guard b.count - 1 >= 2 * (addrSize + 2) else { return }
        let d = v + addrSize + 2
        let sport = UInt16(b[v + addrSize]) | UInt16(b[v + addrSize + 1]) << 8
        let dport = UInt16(b[d + addrSize]) | UInt16(b[d + addrSize + 1]) << 8
        let (local, lport, remote, rport) = acceptSide ? (d, dport, v, sport) : (v, sport, d, dport)
        scratch[KcapABI.Tuple.lport] = UInt8(lport & 0xff); scratch[KcapABI.Tuple.lport + 1] = UInt8(lport >> 8)
        scratch[KcapABI.Tuple.rport] = UInt8(rport & 0xff); scratch[KcapABI.Tuple.rport + 1] = UInt8(rport >> 8)
        for k in 0..<addrSize {
            scratch[KcapABI.Tuple.laddr + k] = b[local + k]
            scratch[KcapABI.Tuple.raddr + k] = b[remote + k]
        }
        let t = scratch
        add(.tuple, KcapABI.Item.noArg, t)
    }

    /// procexit as kcap's exit record (the process ends with its last thread).
    private mutating func procexit(_ h: ScapEventHeader, _ p: ScapEventParams, _ bytes: [UInt8], _ emit: (RecordView) -> Bool) -> Bool {
        let tid = h.tid, pid = pid(tid)
        writer.begin(type: .procExit, ts: h.timestampNs, tid: UInt32(truncatingIfNeeded: tid), pid: pid, cpu: h.cpu, flags: .entry)
        writer.put(Int32(truncatingIfNeeded: p.signed(0, in: bytes) ?? 0), at: KcapABI.ProcExit.exitCode)
        // Without a thread count the process is taken to end with its main thread, as sysdig's table does.
        writer.put(UInt32(UInt64(pid) == tid ? 1 : 0), at: KcapABI.ProcExit.groupDead)
        writer.finish()
        pending[tid] = nil
        return writer.bytes.withUnsafeBytes { emit(RecordView(bytes: $0)) }
    }

    /// An event kcap has no row for, as a syscall record numbered past every syscall table.
    private mutating func foreign(_ h: ScapEventHeader, _ p: ScapEventParams, _ bytes: [UInt8], _ emit: (RecordView) -> Bool,
                                  enter: Bool, keep: [Bool]) -> Bool {
        writer.begin(type: .syscall, ts: h.timestampNs, tid: UInt32(truncatingIfNeeded: h.tid), pid: pid(h.tid), cpu: h.cpu,
                     flags: enter ? [.entry, .noEnter] : .noEnter)
        writer.put(UInt16(truncatingIfNeeded: EventTypeNames.foreignBase + Int(h.type)), at: KcapABI.Syscall.nr)
        writer.put(UInt32(h.type) + 1 | UInt32(min(p.ranges.count, 0xffff)) << 16, at: KcapABI.Syscall.foreignType)
        for (i, r) in p.ranges.enumerated() where i < keep.count && keep[i] { writer.item(.foreignInteger, arg: UInt8(truncatingIfNeeded: i), bytes[r]) }
        writer.finish()
        return writer.bytes.withUnsafeBytes { emit(RecordView(bytes: $0)) }
    }
}
