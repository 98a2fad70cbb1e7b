import CaptureFormat
import EventSchema
import ScapFormat

/// Turns sysdig capture events into the kcap records the engine reads, one event at a time, into a buffer
/// it reuses. An exit record gets the arguments of its thread's entry event (as kcap's recorder merges them)
/// and its latency; the entry is handed over as well, flagged `.entry`, because sysdig shows both. Keeps
/// what the engine cannot learn from kcap records: the pid of every tid (scap events carry the tid only).
///
/// Per-thread facts (pid, the pending entry) live in one flat table indexed through one dictionary, with the
/// last thread's slot cached: events of a thread come in runs (an entry, then its exit), so most events cost
/// no hash at all.
struct ScapRecordTranslator {
    /// What the translator knows of one thread (plain data: slots live in `ScapThreadSlots`' memory).
    struct Slot {
        var pid: UInt32 = 0
        /// `pid` is known (listed, created, or made when the thread was first seen in a syscall).
        var hasPid = false
        /// The thread's last entry event, waiting for its exit: its arguments (its items are
        /// `ScapThreadSlots.items` of the same slot).
        var pendingValid = false
        var pendingID: UInt16 = 0
        var pendingNr = 0
        var pendingTs: UInt64 = 0
        var pendingArgs = SIMD8<UInt64>()
    }

    let writer = ScapRecordWriter()
    let threads = ScapThreadSlots()
    /// Processes whose facts (exe, args, parent, ids) the engine has: listed, or described by an exec.
    var describedPids: Set<UInt32> = []
    /// Events sysdig hides (procinfo, container...), not handed over.
    private(set) var hiddenEvents: UInt64 = 0
    /// Events of an id the table does not know, handed over as foreign events.
    private(set) var unknownEvents: UInt64 = 0
    /// Hand over the events sysdig hides too (`kcap read -D`, sysdig's `-D`): procinfo, the libraries' own
    /// events, user and group metadata (not the state dump's container events, which sysdig -D does not show).
    var showInternal = false

    private var args = SIMD8<UInt64>()
    /// Item bytes being converted (sockaddr, tuple), reused from event to event.
    private var scratch: [UInt8] = []
    /// Whether an event other than a container's came yet (container events before it are the state dump).
    var pastStateDump = false

    init() {
        scratch.reserveCapacity(KcapABI.recordMax)
    }

    /// x86_64 numbers of the syscalls older generic events name by code (`ScapEventTable.legacySyscallNames`).
    static let legacyNumbers: [Int?] = {
        var out = [Int?](repeating: nil, count: 4097)
        for (code, name) in ScapEventTable.legacySyscallNames.enumerated() where code < out.count {
            if let name { out[code] = EventTable.info(named: name)?.number(on: .x86_64) }
        }
        return out
    }()

    // MARK: threads

    /// The slot of `tid`, made when new.
    @inline(__always)
    private func slot(_ tid: UInt64) -> UnsafeMutablePointer<Slot> { threads.base + threads.slot(tid) }

    /// The pid of `tid`, nil when the capture never listed the thread, showed it created or making a syscall.
    func pidOf(_ tid: UInt64) -> UInt32? {
        guard let s = threads.find(tid) else { return nil }
        return threads.base[s].hasPid ? threads.base[s].pid : nil
    }

    /// Records the pid of `tid`.
    func setPid(_ tid: UInt64, _ pid: UInt32) {
        let s = slot(tid)
        s.pointee.pid = pid
        s.pointee.hasPid = true
    }

    /// The pid of `tid`; 0 for a thread the capture never listed, showed created or making a syscall (sysdig
    /// has no thread for it: no proc.* fields), which the engine then treats as unknown.
    func pid(_ tid: UInt64) -> UInt32 { pidOf(tid) ?? 0 }

    /// The syscalls threads entered and had not returned from (their entry waits for an exit), as kcap's
    /// snapshots name a blocked thread's syscall: by tid.
    func inFlight() -> [UInt32: InFlightSyscall] {
        var out: [UInt32: InFlightSyscall] = [:]
        for (tid, s) in threads.all {
            let slot = threads.base[s]
            guard slot.pendingValid else { continue }
            let args = (0..<6).map { slot.pendingArgs[$0] }
            out[UInt32(truncatingIfNeeded: tid)] = InFlightSyscall(nr: Int32(truncatingIfNeeded: slot.pendingNr), args: args,
                                                                   enteredNs: slot.pendingTs)
        }
        return out
    }

    // MARK: events that need no record

    /// Whether an event of a known id with these facts is hidden: the engine never sees it.
    @inline(__always)
    mutating func hides(_ facts: ScapEventPlan.Facts) -> Bool {
        // The state dump's containers are not shown even with -D (sysdig -D does not show them either).
        if facts.contains(.container) && !pastStateDump { hiddenEvents += 1; return true }
        pastStateDump = true
        if facts.contains(.hidden) && !showInternal { hiddenEvents += 1; return true }
        return false
    }

    /// Passes over an event no filter can match and whose record would change no state (`ScapEventPlan.skippable`):
    /// keeps only what the translator would have learnt from it (the thread exists; an entry replaces the
    /// thread's pending entry, which no exit of another name pairs with).
    @inline(__always)
    mutating func skip(_ h: ScapEventHeader, _ facts: ScapEventPlan.Facts) {
        guard facts.contains(.syscallRecord) else { return }
        let s = slot(h.tid)
        if !s.pointee.hasPid {
            s.pointee.pid = UInt32(truncatingIfNeeded: h.tid)
            s.pointee.hasPid = true
        }
        if facts.contains(.enter) { s.pointee.pendingValid = false }
    }

    // MARK: translation

    /// Translates one event and hands its record(s) to `emit` (false from `emit` stops: returns false).
    mutating func translate(_ h: ScapEventHeader, _ p: ScapEventParams, _ bytes: UnsafeRawBufferPointer,
                            _ emit: (RecordView) -> Bool) -> Bool {
        let facts = Int(h.type) < ScapEventPlan.count ? ScapEventPlan.facts[Int(h.type)] : []
        guard facts.contains(.known) else { return unknown(h, p, bytes, emit) }
        if hides(facts) { return true }
        return translate(h, ScapEventPlan.table + Int(h.type), p, bytes, handOver: true, emit)
    }

    /// An event of an id the table does not know, as a foreign entry event.
    mutating func unknown(_ h: ScapEventHeader, _ p: ScapEventParams, _ bytes: UnsafeRawBufferPointer,
                          _ emit: (RecordView) -> Bool) -> Bool {
        unknownEvents += 1
        return foreign(h, p, bytes, emit, enter: true, keep: [])
    }

    /// `translate` of an event whose plan is known (read in place) and which is not hidden. An entry with
    /// `handOver` false only becomes its thread's pending entry (no filter can match it, and an entry
    /// changes no state): its exit takes its arguments, and the engine never sees it.
    mutating func translate(_ h: ScapEventHeader, _ plan: UnsafePointer<ScapEventPlan>, _ p: ScapEventParams,
                            _ bytes: UnsafeRawBufferPointer, handOver: Bool, _ emit: (RecordView) -> Bool) -> Bool {
        switch plan.pointee.kind {
        case .procexit:
            return procexit(h, p, bytes, emit)
        case .foreign where plan.pointee.isContainer:
            return container(h, plan, p, bytes, emit, stateOnly: false)
        case .foreign:
            return foreign(h, p, bytes, emit, enter: plan.pointee.isEnter, keep: plan.pointee.keepsInteger)
        case .syscall, .generic:
            break
        }
        let tid = h.tid
        let count = p.count
        var nr = 0
        if case .syscall(let n) = plan.pointee.kind { nr = n }
        if plan.pointee.kind == .generic { nr = genericNumber(tid, plan, p, bytes) }
        if !plan.pointee.isEnter && plan.pointee.carriesProcess {
            if !processFacts(h, plan, p, bytes, emit) { return false }
        }

        // An entry has no latency (its exit has it).
        var flags: RecordFlags = plan.pointee.isEnter ? [.entry, .noEnter] : []
        if !plan.pointee.hasFd { flags.insert(.noFd) }
        args = plan.pointee.defaultArgs
        var latency: UInt64 = 0
        let s = slot(tid)
        var pairedEntry = false
        if !plan.pointee.isEnter {
            if s.pointee.pendingValid, s.pointee.pendingID &+ 1 == h.type || plan.pointee.entryIDs.contains(s.pointee.pendingID) {
                args = s.pointee.pendingArgs
                latency = h.timestampNs &- s.pointee.pendingTs
                pairedEntry = true
                s.pointee.pendingValid = false
            } else {
                flags.insert(.noEnter)
            }
        }
        // sysdig makes a thread (pid = tid, no name) for a syscall of a tid it does not know; a scheduler
        // event alone makes none.
        if !s.pointee.hasPid {
            s.pointee.pid = UInt32(truncatingIfNeeded: tid)
            s.pointee.hasPid = true
        }
        writer.begin(type: .syscall, ts: h.timestampNs, tid: UInt32(truncatingIfNeeded: tid), pid: s.pointee.pid, cpu: h.cpu, flags: flags)
        writer.put(UInt16(truncatingIfNeeded: nr), at: KcapABI.Syscall.nr)
        writer.put(UInt32(h.type) + 1 | UInt32(min(count, 0xffff)) << 16, at: KcapABI.Syscall.foreignType)
        writer.put(latency, at: KcapABI.Syscall.latencyNs)
        var fds: (Int32, Int32) = (-1, -1)
        var exe = UnsafeRawBufferPointer(start: nil, count: 0), argv: UnsafeRawBufferPointer? = nil
        let roles = plan.pointee.roles
        for i in 0..<min(count, roles.count) {
            switch roles[i] {
            case .ignore:
                // sysdig's evt.rawarg reads it; no kcap argument holds it.
                if plan.pointee.keepsInteger[i] { add(.foreignInteger, UInt8(i), p.bytes(i, in: bytes)) }
            case .tid, .pid, .ptid, .comm, .nativeID:
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
                let s = Self.cString(p.bytes(i, in: bytes))
                if !s.isEmpty { add(.path, a, s) }
            case .data(let a):
                add(.data, a, p.bytes(i, in: bytes))
            case .sockaddr(let a):
                sockaddr(p.bytes(i, in: bytes), arg: a)
            case .tuple(let inbound):
                tuple(p.bytes(i, in: bytes), inbound: inbound)
            case .fd1: fds.0 = Int32(truncatingIfNeeded: p.signed(i, in: bytes) ?? -1)
            case .fd2: fds.1 = Int32(truncatingIfNeeded: p.signed(i, in: bytes) ?? -1)
            case .exe: exe = Self.cString(p.bytes(i, in: bytes))
            case .args: argv = p.bytes(i, in: bytes)
            }
        }
        if fds.0 >= 0 || fds.1 >= 0 {
            withUnsafeBytes(of: (fds.0.littleEndian, fds.1.littleEndian)) { add(.fdPair, 0, UnsafeRawBufferPointer(rebasing: $0[0..<8])) }
        }
        if plan.pointee.isExec, argv != nil { appendExecItems(exe: exe, argv: argv) }
        if plan.pointee.isClone, !plan.pointee.isEnter, let ret = p.signed(0, in: bytes), ret > 0, pidOf(UInt64(ret)) == nil {
            // The parent's exit names the child: a thread joins the parent's process (the engine adds it the same way).
            setPid(UInt64(ret), args[0] & 0x10000 != 0 ? pid(tid) : UInt32(truncatingIfNeeded: ret))
        }
        for i in 0..<6 { writer.put(args[i], at: KcapABI.Syscall.args + 8 * i) }
        // `setPid` above may have grown the slots: the thread's slot is looked up again.
        let index = threads.slot(tid)
        if pairedEntry { appendEntryItems(threads.items[index]) }
        if plan.pointee.isEnter {
            // The exit takes the arguments and items from here (the record's own item bytes), kept in place:
            // a thread's buffers are reused call after call.
            let s2 = threads.base + index
            s2.pointee.pendingID = h.type
            s2.pointee.pendingNr = nr
            s2.pointee.pendingValid = true
            s2.pointee.pendingTs = h.timestampNs
            s2.pointee.pendingArgs = args
            let items = UnsafeRawBufferPointer(rebasing: writer.bytes[KcapABI.Syscall.size...])
            threads.items[index].removeAll(keepingCapacity: true)
            threads.items[index].append(contentsOf: items)
        }
        writer.finish()
        return plan.pointee.isEnter && !handOver ? true : emit(writer.view)
    }

    /// The syscall number of a generic event: its native number, or (old captures' exits lack it) its entry's,
    /// or its libs syscall code's.
    func genericNumber(_ tid: UInt64, _ plan: UnsafePointer<ScapEventPlan>, _ p: ScapEventParams, _ bytes: UnsafeRawBufferPointer) -> Int {
        let s = slot(tid)
        if let i = plan.pointee.nativeIDIndex, let n = p.integer(i, in: bytes) { return Int(n) }
        if !plan.pointee.isEnter, s.pointee.pendingValid { return s.pointee.pendingNr }
        if let code = p.integer(0, in: bytes), let n = Self.legacyNumbers[Int(truncatingIfNeeded: min(code, 4096))] { return n }
        return 0
    }

    /// The facts a clone or execve exit carries about its thread, handed over first: its pid, and for a clone
    /// child the fork from its parent, for a successful execve the new image (synthetic records: state only).
    private mutating func processFacts(_ h: ScapEventHeader, _ plan: UnsafePointer<ScapEventPlan>, _ p: ScapEventParams,
                                       _ bytes: UnsafeRawBufferPointer, _ emit: (RecordView) -> Bool) -> Bool {
        let tid = h.tid
        var childPid: UInt32? = nil, parentTid: UInt64? = nil
        var comm = UnsafeRawBufferPointer(start: nil, count: 0), exe = comm
        var argv: UnsafeRawBufferPointer? = nil
        for i in 0..<min(p.count, plan.pointee.roles.count) {
            switch plan.pointee.roles[i] {
            case .pid: if let v = p.integer(i, in: bytes) { childPid = UInt32(truncatingIfNeeded: v) }
            case .ptid: parentTid = p.integer(i, in: bytes)
            case .comm: comm = Self.cString(p.bytes(i, in: bytes))
            case .exe: exe = Self.cString(p.bytes(i, in: bytes))
            case .args: argv = p.bytes(i, in: bytes)
            default: break
            }
        }
        guard let newPid = childPid else { return true }
        let result = p.signed(0, in: bytes) ?? -1
        var describe = false
        if plan.pointee.isClone, result == 0, pidOf(tid) == nil, let ptid = parentTid {
            setPid(tid, newPid)
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
            for k in 0..<min(comm.count, KcapABI.ProcFork.commSize - 1) { writer.put(comm[k], at: KcapABI.ProcFork.childComm + k) }
            writer.finish()
            if !emit(writer.view) { return false }
        } else if result >= 0 {
            setPid(tid, newPid)
        }
        if (plan.pointee.isExec && result == 0) || describe {
            // A successful execve carries what kcap's exec record does (parent, comm, argv, ids): the engine
            // applies it as one (synthetic: the execve's own events are the lines shown). A clone child of a
            // process never listed is described the same way.
            describedPids.insert(newPid)
            writer.begin(type: .procExec, ts: h.timestampNs, tid: UInt32(truncatingIfNeeded: tid), pid: newPid,
                         cpu: h.cpu, flags: .synthetic)
            writer.put(UInt32(truncatingIfNeeded: tid), at: KcapABI.ProcExec.oldTid)
            writer.put(parentTid.map { pid($0) } ?? 0, at: KcapABI.ProcExec.ppid)
            // Older events carry no ids: the process keeps its own.
            writer.put(plan.pointee.uidIndex.flatMap { p.integer($0, in: bytes) }.map { UInt32(truncatingIfNeeded: $0) } ?? .max,
                       at: KcapABI.ProcExec.uid)
            writer.put(plan.pointee.gidIndex.flatMap { p.integer($0, in: bytes) }.map { UInt32(truncatingIfNeeded: $0) } ?? .max,
                       at: KcapABI.ProcExec.gid)
            for k in 0..<min(comm.count, KcapABI.ProcExec.commSize - 1) { writer.put(comm[k], at: KcapABI.ProcExec.comm + k) }
            appendExecItems(exe: exe, argv: argv)
            writer.finish()
            if !emit(writer.view) { return false }
        }
        return true
    }

    /// The bytes before the first NUL.
    @inline(__always)
    static func cString(_ b: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard let base = b.baseAddress, let end = memchr(base, 0, b.count) else { return b }
        return UnsafeRawBufferPointer(start: base, count: UnsafeRawPointer(end) - base)
    }

    /// The PATH and ARGV items of an exec: kcap's ARGV item is the whole argv, where sysdig keeps argv[0]
    /// (`exe`) apart from the rest.
    private mutating func appendExecItems(exe: UnsafeRawBufferPointer, argv: UnsafeRawBufferPointer?) {
        if !exe.isEmpty { add(.path, 0, exe) }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: exe)
        scratch.append(0)
        if let argv { scratch.append(contentsOf: argv) }
        let all = scratch
        all.withUnsafeBytes { add(.argv, KcapABI.Item.noArg, $0) }
    }

    @inline(__always)
    private mutating func add(_ kind: ItemKind, _ arg: UInt8, _ data: UnsafeRawBufferPointer) {
        writer.item(kind, arg: arg, data)
    }

    /// Adds the entry's items the exit did not bring itself.
    private mutating func appendEntryItems(_ items: [UInt8]) {
        items.withUnsafeBytes { items in
            var at = 0
            while items.count - at >= KcapABI.Item.size {
                let kind = items[at], arg = items[at + 1]
                let n = Int(items[at + 2]) | Int(items[at + 3]) << 8
                guard n <= items.count - at - KcapABI.Item.size else { return }
                let body = UnsafeRawBufferPointer(rebasing: items[(at + 4)..<(at + 4 + n)])
                if let k = ItemKind(rawValue: kind), !writer.hasItem(kind, arg: arg) { add(k, arg, body) }
                at += 4 + n
            }
        }
    }

    /// Adds `scratch` as an item.
    private mutating func addScratch(_ kind: ItemKind, _ arg: UInt8) {
        let s = scratch
        s.withUnsafeBytes { add(kind, arg, $0) }
    }

    /// A ppm sockaddr (family byte, address, port in host order; or a unix path) as the kernel's sockaddr,
    /// built in `scratch` (no allocation once it has grown).
    private mutating func sockaddr(_ b: UnsafeRawBufferPointer, arg: UInt8) {
        guard let family = b.first else { return }
        let v = 1  // the value after the family byte
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
        addScratch(.sockaddr, arg)
    }

    /// A ppm socket tuple (family byte, source address and port, destination address and port; unix: two
    /// pointers and a path) as kcap's tuple item: local and remote ends, ports in host order. `inbound`: the
    /// source end is the peer (accept, recvfrom, recvmsg), else the local end.
    private mutating func tuple(_ b: UnsafeRawBufferPointer, inbound: Bool) {
        guard let family = b.first else { return }
        let v = 1
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
            addScratch(.tuple, KcapABI.Item.noArg)
            scratch.removeAll(keepingCapacity: true)
            scratch.append(1); scratch.append(0)
            scratch.append(contentsOf: b[(v + 16)...].prefix { $0 != 0 })
            scratch.append(0)
            addScratch(.sockaddr, 1)
            return
        default: return
        }
        guard b.count - 1 >= 2 * (addrSize + 2) else { return }
        let d = v + addrSize + 2
        let sport = UInt16(b[v + addrSize]) | UInt16(b[v + addrSize + 1]) << 8
        let dport = UInt16(b[d + addrSize]) | UInt16(b[d + addrSize + 1]) << 8
        let (local, lport, remote, rport) = inbound ? (d, dport, v, sport) : (v, sport, d, dport)
        scratch[KcapABI.Tuple.lport] = UInt8(lport & 0xff); scratch[KcapABI.Tuple.lport + 1] = UInt8(lport >> 8)
        scratch[KcapABI.Tuple.rport] = UInt8(rport & 0xff); scratch[KcapABI.Tuple.rport + 1] = UInt8(rport >> 8)
        for k in 0..<addrSize {
            scratch[KcapABI.Tuple.laddr + k] = b[local + k]
            scratch[KcapABI.Tuple.raddr + k] = b[remote + k]
        }
        addScratch(.tuple, KcapABI.Item.noArg)
    }

    /// procexit as kcap's exit record (the process ends with its last thread).
    private mutating func procexit(_ h: ScapEventHeader, _ p: ScapEventParams, _ bytes: UnsafeRawBufferPointer,
                                   _ emit: (RecordView) -> Bool) -> Bool {
        let tid = h.tid, pid = pid(tid)
        writer.begin(type: .procExit, ts: h.timestampNs, tid: UInt32(truncatingIfNeeded: tid), pid: pid, cpu: h.cpu, flags: .entry)
        writer.put(Int32(truncatingIfNeeded: p.signed(0, in: bytes) ?? 0), at: KcapABI.ProcExit.exitCode)
        // Without a thread count the process is taken to end with its main thread, as sysdig's table does.
        writer.put(UInt32(UInt64(pid) == tid ? 1 : 0), at: KcapABI.ProcExit.groupDead)
        writer.finish()
        if let s = threads.find(tid) {
            // sysdig removes the thread: a later event of the tid (a switch) has no process, and a later
            // syscall makes a new thread (pid = tid).
            threads.base[s].pendingValid = false
            threads.base[s].hasPid = false
            threads.items[s] = []
        }
        return emit(writer.view)
    }

    /// A container event (its metadata: JSON, or the id, type, name and image of the oldest version) as a
    /// foreign record whose parameters are all kept (text as DATA items, numbers as FOREIGN_INT items, by
    /// parameter index), which the engine reads into its container table. `stateOnly`: a container of the
    /// capture's state dump, which sysdig does not show (the record is flagged synthetic).
    mutating func container(_ h: ScapEventHeader, _ plan: UnsafePointer<ScapEventPlan>, _ p: ScapEventParams,
                            _ bytes: UnsafeRawBufferPointer, _ emit: (RecordView) -> Bool, stateOnly: Bool) -> Bool {
        var flags: RecordFlags = [.entry, .noEnter]
        if stateOnly { flags.insert(.synthetic) }
        writer.begin(type: .syscall, ts: h.timestampNs, tid: UInt32(truncatingIfNeeded: h.tid), pid: pid(h.tid), cpu: h.cpu, flags: flags)
        writer.put(UInt16(truncatingIfNeeded: EventTypeNames.foreignBase + Int(h.type)), at: KcapABI.Syscall.nr)
        writer.put(UInt32(h.type) + 1 | UInt32(min(p.count, 0xffff)) << 16, at: KcapABI.Syscall.foreignType)
        let params = plan.pointee.paramTypes
        for i in 0..<min(p.count, params.count) {
            writer.item(params[i].isInteger ? .foreignInteger : .data, arg: UInt8(truncatingIfNeeded: i), p.bytes(i, in: bytes))
        }
        writer.finish()
        return emit(writer.view)
    }

    /// An event kcap has no row for, as a syscall record numbered past every syscall table.
    private mutating func foreign(_ h: ScapEventHeader, _ p: ScapEventParams, _ bytes: UnsafeRawBufferPointer,
                                  _ emit: (RecordView) -> Bool, enter: Bool, keep: [Bool]) -> Bool {
        writer.begin(type: .syscall, ts: h.timestampNs, tid: UInt32(truncatingIfNeeded: h.tid), pid: pid(h.tid), cpu: h.cpu,
                     flags: enter ? [.entry, .noEnter] : .noEnter)
        writer.put(UInt16(truncatingIfNeeded: EventTypeNames.foreignBase + Int(h.type)), at: KcapABI.Syscall.nr)
        writer.put(UInt32(h.type) + 1 | UInt32(min(p.count, 0xffff)) << 16, at: KcapABI.Syscall.foreignType)
        for i in 0..<min(p.count, keep.count) where keep[i] {
            writer.item(.foreignInteger, arg: UInt8(truncatingIfNeeded: i), p.bytes(i, in: bytes))
        }
        writer.finish()
        return emit(writer.view)
    }
}

/// The translator's threads: plain slots in memory it owns (read and written in place, never copied), one
/// dictionary from tid to slot, and the last thread's slot cached (events of a thread come in runs: an entry,
/// then its exit).
final class ScapThreadSlots {
    @exclusivity(unchecked) private(set) var base: UnsafeMutablePointer<ScapRecordTranslator.Slot>
    @exclusivity(unchecked) private var capacity = 256
    @exclusivity(unchecked) private var count = 0
    /// The pending entry's items, by slot.
    @exclusivity(unchecked) var items: [[UInt8]] = []
    /// The tid of each slot.
    @exclusivity(unchecked) private var tids: [UInt64] = []
    /// Slot + 1 by tid for tids below `directTids` (0: none): zeroed memory the kernel maps on first touch,
    /// so only the pages of tids seen take memory. Larger tids (and tid -1) go through `index`.
    private let direct: UnsafeMutablePointer<Int32>
    private static let directTids = 1 << 22  // pid_max's largest value
    @exclusivity(unchecked) private var index: [UInt64: Int32] = [:]
    @exclusivity(unchecked) private var lastTid: UInt64 = 0
    @exclusivity(unchecked) private var lastSlot = -1

    init() {
        base = .allocate(capacity: capacity)
        direct = calloc(Self.directTids, MemoryLayout<Int32>.stride)!.assumingMemoryBound(to: Int32.self)
    }

    deinit {
        base.deallocate()
        free(direct)
    }

    /// What the translator's `skip` keeps of a syscall event passed over inside the reader's loop
    /// (`ScapReader.next(passing:)`): the thread exists; an entry replaces its pending entry.
    @inline(__always)
    func skip(tid: UInt64, enter: Bool) {
        let s = base + slot(tid)
        if !s.pointee.hasPid {
            s.pointee.pid = UInt32(truncatingIfNeeded: tid)
            s.pointee.hasPid = true
        }
        if enter { s.pointee.pendingValid = false }
    }

    /// Every thread with its slot.
    var all: [(tid: UInt64, slot: Int)] { tids.enumerated().map { ($0.element, $0.offset) } }

    /// The slot of `tid`, nil when it has none.
    @inline(__always)
    func find(_ tid: UInt64) -> Int? {
        if tid == lastTid && lastSlot >= 0 { return lastSlot }
        if tid < UInt64(Self.directTids) {
            let s = Int(direct[Int(tid)])
            return s == 0 ? nil : s - 1
        }
        return index[tid].map { Int($0) }
    }

    /// The slot of `tid`, made when new (which may move `base`).
    @inline(__always)
    func slot(_ tid: UInt64) -> Int {
        if tid == lastTid && lastSlot >= 0 { return lastSlot }
        if tid < UInt64(Self.directTids) {
            let s = Int(direct[Int(tid)])
            if s != 0 {
                lastTid = tid
                lastSlot = s - 1
                return s - 1
            }
        }
        return lookUp(tid)
    }

    @inline(never)
    private func lookUp(_ tid: UInt64) -> Int {
        let s: Int
        if tid >= UInt64(Self.directTids), let i = index[tid] {
            s = Int(i)
        } else {
            if count == capacity {
                let grown = UnsafeMutablePointer<ScapRecordTranslator.Slot>.allocate(capacity: 2 * capacity)
                grown.moveInitialize(from: base, count: count)
                base.deallocate()
                base = grown
                capacity *= 2
            }
            s = count
            (base + s).initialize(to: ScapRecordTranslator.Slot())
            items.append([])
            tids.append(tid)
            count += 1
            if tid < UInt64(Self.directTids) { direct[Int(tid)] = Int32(s + 1) } else { index[tid] = Int32(s) }
        }
        lastTid = tid
        lastSlot = s
        return s
    }
}

#if canImport(Glibc)
import Glibc
#endif
