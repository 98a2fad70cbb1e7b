import CaptureFormat
import EventSchema

/// The enrichment engine: turns raw records into `Event`s that carry thread, process and fd context, keeping
/// the thread and fd tables up to date as it goes.
///
/// It does not know where records come from (a capture file or the live ring): a `RecordSource` hands it
/// record bytes and snapshots in order (`run(_:into:)`). Nor where events go: it hands them to an
/// `EventConsumer` (a filtered sink, a statistics pass) and owns no printer. State changes that create or update an fd are applied before the event is
/// handed out (an `openat` shows the file it opened); removals (close, close_range, a thread's exit) after it,
/// so the event itself still shows the fd's name or the thread's process.
public final class Engine {
    /// Threads and processes.
    public let threads = ThreadTable()
    /// Interned paths.
    public let paths = PathPool()
    /// Syscall semantics for the capture's architecture, from the event table.
    public let effects: SyscallEffectTable
    /// `evt.type` names.
    public let names: EventTypeNames
    /// Wall-clock ns = boot-time ns + this (from the capture header).
    public let realtimeOffsetNs: Int64
    /// Events handed out so far (the last `evt.num`).
    @exclusivity(unchecked)
    public private(set) var eventCount: UInt64 = 0
    /// Records too short for their type, skipped.
    @exclusivity(unchecked)
    public private(set) var malformedRecords: UInt64 = 0
    /// Records of a type this kcap does not know, skipped.
    @exclusivity(unchecked)
    public private(set) var unknownRecords: UInt64 = 0
    /// Snapshots applied.
    public internal(set) var snapshotsApplied = 0
    /// User names of the recording host (uid → name), from the capture's snapshots (`user.name`).
    @exclusivity(unchecked)
    public internal(set) var userNames: [UInt32: String] = [:]
    /// Group names of the recording host (gid → name), from the capture's snapshots (`group.name`).
    @exclusivity(unchecked)
    public internal(set) var groupNames: [UInt32: String] = [:]
    /// The recording host's network interfaces, from a sysdig capture's interface list (`NetworkInterfaces`):
    /// they complete a sysdig tuple that lacks its local address. None for kcap's own captures.
    @exclusivity(unchecked)
    public internal(set) var networkInterfaces = NetworkInterfaces()
    /// Containers by id, from a sysdig capture's container events (`container.name`, `.image`...).
    @exclusivity(unchecked)
    public internal(set) var containers: [String: ContainerInfo] = [:]
    /// Syscall numbers of other formats' container events (`ContainerInfo.eventNumbers`). Looked up on the first
    /// foreign record: finding them parses the whole ppm event table, which a kcap capture never needs (it was
    /// a fifth of the instructions of replaying a small capture).
    private lazy var containerNumbers = ContainerInfo.eventNumbers
    /// Argvs cut to `StateLimits.argvBytes`.
    public private(set) var argvCuts = 0
    /// Tids that got a `procexec` record since their last syscall (so the execve syscall does not redo it).
    @exclusivity(unchecked)
    private var execRecordSeen: Set<UInt32> = []
    /// Boot-time ns of the first record seen (`evt.reltime` counts from it).
    @exclusivity(unchecked)
    public private(set) var firstTimestampNs: UInt64 = 0
    /// The capture's machine (uname -m).
    public let machine: String
    /// O_DIRECTORY of the capture's architecture (arm64 has its own value; its O_DIRECT is x86_64's O_DIRECTORY).
    private let oDirectory: UInt32
    /// The last record's thread and fd table, unretained: valid while `cacheGeneration` equals
    /// `threads.generation` (any table change that could free them bumps it).
    @exclusivity(unchecked)
    private var cacheTid: UInt32 = 0
    @exclusivity(unchecked)
    private var cacheGeneration: UInt64 = .max
    @exclusivity(unchecked)
    private var cacheThread: Unmanaged<ThreadState>? = nil
    @exclusivity(unchecked)
    private var cacheFds: Unmanaged<FdTable>? = nil
    /// The hosts of the capture (one name each; one entry for a capture of one host, none when unknown).
    public private(set) var hostNames: [String] = []
    /// The host whose tables `threads`, `userNames` and `groupNames` hold now (`switchHost(to:)`).
    @exclusivity(unchecked)
    public private(set) var currentHost = 0
    /// The other hosts' tables, parked while another host's records are replayed; the current host's entry
    /// holds an empty table.
    private var parkedHosts: [ParkedHost] = []

    /// `effects` copied into memory the engine owns, read per event without reference counting.
    private let effectByNr: UnsafeMutablePointer<SyscallEffect>
    private let fdSourceByNr: UnsafeMutablePointer<FdSource>
    /// Syscall numbers (with `EventTypeNames.foreignBase + id` for other formats' events) whose records are
    /// counted and not processed (`restrict(toTypeCodes:)`); nil processes every record.
    @exclusivity(unchecked)
    private var passOver: UnsafeMutablePointer<Bool>? = nil
    private static let passOverCount = EventTypeNames.foreignBase + 1024

    /// An engine for records of `machine` (uname -m), with `realtimeOffsetNs` from the capture header.
    public init(machine: String, realtimeOffsetNs: Int64 = 0, names: EventTypeNames? = nil) {
        effects = SyscallEffectTable.shared(machine: machine)
        effectByNr = .allocate(capacity: SyscallEffectTable.size)
        fdSourceByNr = .allocate(capacity: SyscallEffectTable.size)
        for nr in 0..<SyscallEffectTable.size {
            (effectByNr + nr).initialize(to: effects.effects[nr])
            (fdSourceByNr + nr).initialize(to: effects.fdSources[nr])
        }
        self.machine = machine
        oDirectory = SyscallArch(machine: machine) == .aarch64 ? Linux.O_DIRECTORY_AARCH64 : Linux.O_DIRECTORY
        self.names = names ?? EventTypeNames.shared(machine: machine)
        self.realtimeOffsetNs = realtimeOffsetNs
    }

    // MARK: hosts

    /// One host's state while another host's records are replayed.
    private final class ParkedHost {
        let threads = ThreadTable()
        var userNames: [UInt32: String] = [:]
        var groupNames: [UInt32: String] = [:]
        var snapshotsApplied = 0
        var execRecordSeen: Set<UInt32> = []
    }

    /// Names the capture's hosts (a capture merged from several hosts has one table per host; records and
    /// snapshots say whose they are through `switchHost(to:)`). Call before the first record.
    public func setHosts(_ names: [String]) {
        hostNames = names
        while parkedHosts.count < max(names.count, 1) { parkedHosts.append(ParkedHost()) }
    }

    /// Number of hosts whose records the capture holds (1 for a capture of one host).
    public var hostCount: Int { max(hostNames.count, 1) }

    /// The current host's name ("" when the capture names none).
    public var hostName: String { currentHost < hostNames.count ? hostNames[currentHost] : "" }

    /// Makes `host`'s tables the current ones: the records and snapshots that follow are that host's. A
    /// number past the known hosts (a damaged file) gets a table of its own, named by its number.
    public func switchHost(to host: Int) {
        guard host != currentHost, host >= 0, host < 1 << 16 else { return }
        if parkedHosts.count <= max(host, currentHost) {
            while parkedHosts.count <= max(host, currentHost) { parkedHosts.append(ParkedHost()) }
        }
        while hostNames.count <= host { hostNames.append("host\(hostNames.count)") }
        let out = parkedHosts[currentHost], into = parkedHosts[host]
        // The current tables go to the leaving host's shell; the arriving host's go into the engine's table.
        threads.swapContents(with: out.threads)
        threads.swapContents(with: into.threads)
        out.userNames = userNames; userNames = into.userNames; into.userNames = [:]
        out.groupNames = groupNames; groupNames = into.groupNames; into.groupNames = [:]
        out.snapshotsApplied = snapshotsApplied; snapshotsApplied = into.snapshotsApplied
        out.execRecordSeen = execRecordSeen; execRecordSeen = into.execRecordSeen; into.execRecordSeen = []
        currentHost = host
        cacheThread = nil
        cacheGeneration = .max
    }

    /// Calls `body` with each host's tables current in turn (`kcap ps`, `kcap lsof`, a slice's snapshots), then
    /// makes the host that was current current again.
    public func forEachHost(_ body: (Int) throws -> Void) rethrows {
        let was = currentHost
        defer { switchHost(to: was) }
        for k in 0..<hostCount {
            switchHost(to: k)
            try body(k)
        }
    }

    /// Makes the next event number `n + 1` when it would be lower (a replay that starts after skipped chunks).
    public func advanceNumbering(to n: UInt64) {
        if eventCount < n { eventCount = n }
    }

    deinit {
        effectByNr.deallocate()
        fdSourceByNr.deallocate()
        passOver?.deallocate()
    }

    /// Processes only the records a filter that matches these `evt.type` codes (`EventTypeSet.codes`) can
    /// match, and those that change state: a syscall record of another type whose syscall has no effect is
    /// only numbered (after the first record, from which `evt.reltime` counts). nil processes every record.
    /// What the filter passes is the same either way; only the work differs.
    public func restrict(toTypeCodes codes: Set<Int64>?) {
        passOver?.deallocate()
        passOver = nil
        guard let codes else { return }
        let p = UnsafeMutablePointer<Bool>.allocate(capacity: Self.passOverCount)
        // Other formats' events (from `EventTypeNames.foreignBase` on) are never passed over here: container
        // events carry state (the container table), and telling them apart would parse the ppm table for every
        // capture; the scap reader passes over the hidden and unmatchable ones itself. Synthetic records (never
        // numbered) are not passed over either (`process`).
        for nr in 0..<Self.passOverCount {
            let effect: SyscallEffect = nr < SyscallEffectTable.size ? effectByNr[nr] : .none
            p[nr] = nr < EventTypeNames.foreignBase && effect == .none && !codes.contains(Int64(nr))
        }
        passOver = p
    }

    // MARK: records

    /// Processes one record: updates the tables, hands the event to `consumer`, applies deferred removals.
    /// Returns false when the consumer asked to stop.
    @inline(__always)
    public func process<C: EventConsumer>(_ record: RecordView, into consumer: inout C) -> Bool {
        if passOver != nil, passesOver(record) { return true }
        guard let type = record.recordType else {
            if record.bytes.count < KcapABI.Header.size { malformedRecords += 1 } else { unknownRecords += 1 }
            return true
        }
        // The first record seen, whatever number it gets (a sysdig capture numbers hidden events too).
        if firstTimestampNs == 0 { firstTimestampNs = record.timestampNs }
        // A record shorter than its type's fixed part is counted and skipped, never read past.
        switch type {
        case .syscall:
            guard let r = try? SyscallRecord(record) else { malformedRecords += 1; return true }
            return processSyscall(r, &consumer)
        case .procFork:
            guard let r = try? ForkRecord(record) else { malformedRecords += 1; return true }
            return processFork(r, &consumer)
        case .procExec:
            guard let r = try? ExecRecord(record) else { malformedRecords += 1; return true }
            return processExec(r, &consumer)
        case .procExit:
            guard let r = try? ExitRecord(record) else { malformedRecords += 1; return true }
            return processExit(r, &consumer)
        case .signal:
            guard let r = try? SignalRecord(record) else { malformedRecords += 1; return true }
            return processSignal(r, &consumer)
        }
    }

    /// True when `record` is passed over (`restrict(toTypeCodes:)`), and then numbered. Apart from `process`, and
    /// never inlined, like the other rare paths below: the replay loop stays small enough for the compiler to keep
    /// its values in registers (inlined, these paths cost every event about 45 instructions).
    @inline(never)
    private func passesOver(_ record: RecordView) -> Bool {
        guard let skip = passOver, firstTimestampNs != 0, record.type == RecordType.syscall.rawValue,
              record.bytes.count >= KcapABI.Syscall.size, record.rawFlags & RecordFlags.synthetic.rawValue == 0 else { return false }
        let nr = Int(record.bytes.loadUnaligned(fromByteOffset: KcapABI.Syscall.nr, as: UInt16.self).littleEndian)
        guard nr < Self.passOverCount && skip[nr] else { return false }
        eventCount += 1
        return true
    }

    /// Points the cache at the record's thread (made when unknown) and its fd table.
    @inline(__always)
    private func refreshCache(tid: UInt32, pid: UInt32) {
        if tid != cacheTid || cacheGeneration != threads.generation.value || cacheThread == nil { lookUp(tid: tid, pid: pid) }
    }

    @inline(never)
    private func lookUp(tid: UInt32, pid: UInt32) {
        let t = threads.threadForRecord(tid: tid, pid: pid)
        cacheThread = Unmanaged.passUnretained(t)
        cacheFds = Unmanaged.passUnretained(t.process.fds)
        cacheTid = tid
        cacheGeneration = threads.generation.value
    }

    @inline(__always)
    private func processSyscall<C: EventConsumer>(_ r: SyscallRecord, _ consumer: inout C) -> Bool {
        // Two copies of the path: records of kcap's own recorder carry neither flag, and their copy, with
        // both known false, has none of the tests a sysdig entry event or an fd-less event needs.
        let flags = r.flags
        if flags.rawValue & (RecordFlags.entry.rawValue | RecordFlags.noFd.rawValue) == 0 {
            return processSyscall(r, &consumer, isEntry: false, noFd: false)
        }
        return processSyscall(r, &consumer, isEntry: flags.contains(.entry), noFd: flags.contains(.noFd))
    }

    @inline(__always)
    private func processSyscall<C: EventConsumer>(_ r: SyscallRecord, _ consumer: inout C, isEntry: Bool, noFd: Bool) -> Bool {
        refreshCache(tid: r.tid, pid: r.pid)
        // A syscall that ended after the snapshot which saw the thread blocked: it is no longer in flight.
        cacheThread.unsafelyUnwrapped._withUnsafeGuaranteedRef { t in
            if t.inFlightSnapshotNs != 0 && r.timestampNs > t.inFlightSnapshotNs {
                t.inFlight = nil
                t.inFlightSnapshotNs = 0
            }
        }
        let nr = r.nr
        let known = nr < SyscallEffectTable.size
        let effect = known ? effectByNr[nr] : .none
        var synthesized: FdEntry? = nil
        // An entry event (sysdig captures) has no result yet: its effect is applied by its exit.
        var nameChanged = false
        if !isEntry, effect != .none, effect != .close, effect != .closeRange {
            if effect == .connect || effect == .bind || effect == .sendto {
                (synthesized, nameChanged) = applyRenaming(effect, r)
            } else {
                synthesized = cacheThread.unsafelyUnwrapped._withUnsafeGuaranteedRef { applyBefore(effect, r, $0) }
                refreshCache(tid: r.tid, pid: r.pid)
            }
        }
        var fd = Event.noFd
        var entry: FdEntry? = nil
        switch known && !noFd ? fdSourceByNr[nr] : .none {
        case .none: break
        case .arg0:
            let n = Int32(truncatingIfNeeded: r.arg(0))
            fd = n
            entry = cacheFds.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0[n] }
        case .result where isEntry, .pairFirst where isEntry:
            fd = -1  // not made yet: sysdig shows the entry of an fd-creating call with fd -1
        case .pairFirst:
            if r.ret == 0, let (first, _) = r.items.first(.fdPair)?.fdPair {
                fd = first
                entry = cacheFds.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0[first] }
            }
        case .result:
            let ret = r.ret
            let n = Int32(truncatingIfNeeded: ret)
            fd = n
            entry = ret >= 0 ? cacheFds.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0[n] } : synthesized
        }
        if nr >= EventTypeNames.foreignBase, applyForeign(r) { return true }
        eventCount += 1
        let number = eventCount
        let more = cacheThread.unsafelyUnwrapped._withUnsafeGuaranteedRef { thread in
            consumer.consume(Event(record: r.header, number: number, engine: self, thread: thread, fd: fd, fdEntry: entry,
                                   kind: .syscall, fdNameChanged: nameChanged))
        }
        if !isEntry, effect == .close || effect == .closeRange {
            cacheThread.unsafelyUnwrapped._withUnsafeGuaranteedRef { applyAfter(effect, r, $0) }
        }
        return more
    }

    /// A connect, bind or datagram send: applies it, and tells whether it renamed a socket the thread already
    /// had (`fd.name_changed`). Never inlined (see `passesOver`).
    @inline(never)
    private func applyRenaming(_ effect: SyscallEffect, _ r: SyscallRecord) -> (FdEntry?, Bool) {
        let fd = Int32(truncatingIfNeeded: r.arg(0))
        let before = cacheFds.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0[fd] }
        let synthesized = cacheThread.unsafelyUnwrapped._withUnsafeGuaranteedRef { applyBefore(effect, r, $0) }
        refreshCache(tid: r.tid, pid: r.pid)
        guard let before, let after = cacheFds.unsafelyUnwrapped._withUnsafeGuaranteedRef({ $0[fd] }) else { return (synthesized, false) }
        return (synthesized, before.tuple != after.tuple || before.name != after.name)
    }

    /// Another format's event (a syscall number from `EventTypeNames.foreignBase` on): a container event's
    /// metadata is state (a container of a capture's state dump is only that). True when the record is only
    /// state (synthetic), so no event is made. Never inlined (see `passesOver`).
    @inline(never)
    private func applyForeign(_ r: SyscallRecord) -> Bool {
        guard containerNumbers.contains(Int(r.nr)) else { return false }
        applyContainer(r, ppmID: UInt16(Int(r.nr) - EventTypeNames.foreignBase))
        refreshCache(tid: r.tid, pid: r.pid)
        return r.flags.contains(.synthetic)
    }

    private func processFork<C: EventConsumer>(_ r: ForkRecord, _ consumer: inout C) -> Bool {
        let parent = threads.threadForRecord(tid: r.parentTid, pid: r.parentPid)
        let comm = r.childComm
        addChild(of: parent, tid: r.childTid, pid: r.childPid, comm: comm, timestampNs: r.header.timestampNs,
                 sharesFiles: false)
        if r.header.flags.contains(.synthetic) { return true }
        eventCount += 1
        return consumer.consume(Event(record: r.header, number: eventCount, engine: self, thread: parent, fd: Event.noFd,
                                      fdEntry: nil, kind: .procfork))
    }

    /// Adds a thread (`pid` equal to the parent's) or a process forked from `parent`.
    private func addChild(of parent: ThreadState, tid: UInt32, pid: UInt32, comm: String, timestampNs: UInt64,
                          sharesFiles: Bool) {
        if pid == parent.process.pid {
            threads.insert(ThreadState(tid: tid, process: parent.process, comm: comm, startTimeNs: timestampNs))
            return
        }
        let p = parent.process
        let fds = sharesFiles ? p.fds : p.fds.copy()
        let child = p.forked(pid: pid, startTimeNs: timestampNs, fds: fds)
        threads.remove(pid: pid)
        threads.insert(ThreadState(tid: tid, process: child, comm: comm, startTimeNs: timestampNs))
    }

    private func processExec<C: EventConsumer>(_ r: ExecRecord, _ consumer: inout C) -> Bool {
        var thread = threads.threadForRecord(tid: r.oldTid, pid: r.pid)
        if r.oldTid != r.tid {
            // A non-leader thread exec'd: it takes over the leader's tid.
            threads.remove(tid: r.oldTid)
            let t = ThreadState(tid: r.tid, process: thread.process, comm: thread.comm, startTimeNs: thread.startTimeNs)
            threads.insert(t)
            thread = t
        }
        let p = thread.process
        p.ppid = r.ppid
        // .max: the source does not know (a sysdig capture's older execve events): the ids stay.
        if r.uid != .max { p.uid = r.uid }
        if r.gid != .max { p.gid = r.gid }
        thread.comm = r.comm
        if let path = r.items.first(.path)?.data {
            p.exe = paths.string(paths.resolve(path, base: p.cwd))
        }
        if let argv = r.items.first(.argv)?.data { p.args = splitArgv(argv) }
        p.isKnown = true
        execProcessFds(p)
        execRecordSeen.insert(r.tid)
        if r.header.flags.contains(.synthetic) { return true }
        eventCount += 1
        return consumer.consume(Event(record: r.header, number: eventCount, engine: self, thread: thread, fd: Event.noFd,
                                      fdEntry: nil, kind: .procexec))
    }

    /// exec gets a private fd table (unshare) without its close-on-exec fds.
    private func execProcessFds(_ p: ProcessState) {
        let fds = p.fds.copy()
        fds.removeCloexec()
        p.fds = fds
    }

    private func processExit<C: EventConsumer>(_ r: ExitRecord, _ consumer: inout C) -> Bool {
        let thread = threads.threadForRecord(tid: r.tid, pid: r.pid)
        eventCount += 1
        let more = consumer.consume(Event(record: r.header, number: eventCount, engine: self, thread: thread, fd: Event.noFd,
                                          fdEntry: nil, kind: .procexit))
        if r.groupDead { threads.remove(pid: r.pid) } else { threads.remove(tid: r.tid) }
        execRecordSeen.remove(r.tid)
        return more
    }

    /// A signal delivered: nothing in the tables changes.
    private func processSignal<C: EventConsumer>(_ r: SignalRecord, _ consumer: inout C) -> Bool {
        let thread = threads.threadForRecord(tid: r.tid, pid: r.pid)
        eventCount += 1
        return consumer.consume(Event(record: r.header, number: eventCount, engine: self, thread: thread, fd: Event.noFd,
                                      fdEntry: nil, kind: .signal))
    }

    /// The NUL-separated arguments of an ARGV item, within `StateLimits.argvBytes` (the rest is cut, and
    /// `argvCuts` counts the argvs that were).
    func splitArgv(_ b: UnsafeRawBufferPointer) -> [String] {
        let (args, cut) = Self.splitArgv(b)
        if cut { argvCuts += 1 }
        return args
    }

    /// Splits `b` at NULs; true when arguments past `StateLimits.argvBytes` were dropped.
    static func splitArgv(_ b: UnsafeRawBufferPointer) -> (args: [String], cut: Bool) {
        var out: [String] = []
        var budget = ArgvBudget()
        var start = 0
        for i in 0..<b.count where b[i] == 0 {
            guard budget.admit(length: i - start) else { return (out, true) }
            out.append(String(decoding: UnsafeRawBufferPointer(rebasing: b[start..<i]), as: UTF8.self))
            start = i + 1
        }
        if start < b.count {
            guard budget.admit(length: b.count - start) else { return (out, true) }
            out.append(String(decoding: UnsafeRawBufferPointer(rebasing: b[start...]), as: UTF8.self))
        }
        return (out, false)
    }

    /// One line per bound the replay reached (`StateLimits`), saying what was dropped; empty when none was.
    /// Printed once at the end by the reading commands, whatever the number of events that hit the bound.
    public var limitWarnings: [String] {
        var out: [String] = []
        if threads.evictedThreads > 0 {
            out.append("more than \(threads.capacity) threads at once (kcap's bound: kernel.threads-max of a 32 GiB host); the state of \(threads.evictedThreads) threads known longest was dropped")
        }
        if paths.refusedCount > 0 {
            out.append("more than \(StateLimits.internedPaths) distinct paths or \(StateLimits.internedPathBytes >> 20) MiB of them (kcap's bound); \(paths.refusedCount) later names are shown as unknown")
        }
        if argvCuts > 0 {
            out.append("\(argvCuts) argv longer than \(StateLimits.argvBytes) bytes (ARG_MAX of a default 8 MiB stack) were cut")
        }
        return out
    }

    // MARK: syscall effects

    /// The path base for a `dirfd` argument: the cwd for AT_FDCWD, the directory fd's path otherwise.
    @inline(__always)
    func base(dirfd: Int32, _ p: ProcessState) -> Int32 {
        dirfd == Linux.AT_FDCWD ? p.cwd : (p.fds[dirfd]?.name ?? PathPool.none)
    }

    /// Applies creations and updates; returns the entry an failed open would have had (so `fd.name` still
    /// names the file it tried), or nil.
    private func applyBefore(_ effect: SyscallEffect, _ r: SyscallRecord, _ t: ThreadState) -> FdEntry? {
        let p = t.process
        let ret = r.ret
        let newFd = Int32(truncatingIfNeeded: ret)
        let nr = r.nr
        switch effect {
        case .open, .openat, .openat2, .creat:
            var flags: UInt32
            var base = p.cwd
            switch effect {
            case .open: flags = UInt32(truncatingIfNeeded: r.arg(1))
            case .openat: flags = UInt32(truncatingIfNeeded: r.arg(2)); base = self.base(dirfd: Int32(truncatingIfNeeded: r.arg(0)), p)
            case .openat2: flags = 0; base = self.base(dirfd: Int32(truncatingIfNeeded: r.arg(0)), p)
            default: flags = Linux.O_CREAT | Linux.O_WRONLY | Linux.O_TRUNC
            }
            var name = PathPool.none
            if let path = r.items.first(.path)?.data { name = paths.resolve(path, base: base) }
            let kind: FdKind = flags & oDirectory != 0 ? .directory : .file
            var e = FdEntry(kind: kind, openFlags: flags, name: name, cloexec: effects.isCloexec(nr, r))
            guard ret >= 0 else { return e }
            if let file = r.items.first(.inode, arg: KcapABI.Inode.returnedFdArg)?.inode.map(FileIdentity.init) { e.file = file }
            p.fds.set(newFd, e)
            return nil
        case .socket:
            guard ret >= 0 else { return nil }
            let domain = UInt16(truncatingIfNeeded: r.arg(0))
            let type = UInt32(truncatingIfNeeded: r.arg(1))
            var tuple = FdTuple()
            tuple.family = domain
            switch type & Linux.SOCK_TYPE_MASK {
            case Linux.SOCK_STREAM: tuple.proto = domain == Linux.AF_UNIX ? 0 : Linux.IPPROTO_TCP
            case Linux.SOCK_DGRAM: tuple.proto = domain == Linux.AF_UNIX ? 0 : Linux.IPPROTO_UDP
            default: tuple.proto = UInt16(truncatingIfNeeded: r.arg(2))
            }
            var e = FdEntry(kind: Self.socketKind(domain), openFlags: type & ~Linux.SOCK_TYPE_MASK,
                            cloexec: effects.isCloexec(nr, r), tuple: tuple)
            e.socketState = .unconnected
            p.fds.set(newFd, e)
        case .connect, .bind, .listen:
            guard ret == 0 || (effect == .connect && ret == -Linux.EINPROGRESS) else { return nil }
            let fd = Int32(truncatingIfNeeded: r.arg(0))
            var e = p.fds[fd] ?? FdEntry(kind: .unknown)
            applyAddress(r, to: &e, remote: effect == .connect)
            if e.kind == .unknown { e.kind = Self.socketKind(e.tuple.family) }
            switch effect {
            case .listen: e.socketState = .listening
            case .connect: e.socketState = .connected
            default: if e.socketState == .unknown { e.socketState = .unconnected }
            }
            p.fds.set(fd, e)
        case .accept:
            guard ret >= 0 else { return nil }
            let listener = p.fds[Int32(truncatingIfNeeded: r.arg(0))]
            var e = FdEntry(kind: listener?.kind ?? .unknown)
            if let l = listener {
                e.tuple = l.tuple
                e.tuple.remotePort = 0; e.tuple.remoteHi = 0; e.tuple.remoteLo = 0
                e.name = l.name
            }
            e.accepted = true
            e.socketState = .connected
            e.cloexec = effects.isCloexec(nr, r)
            applyAddress(r, to: &e, remote: true)
            if e.kind == .unknown { e.kind = Self.socketKind(e.tuple.family) }
            p.fds.set(newFd, e)
        case .dup, .dup2, .dup3, .fcntl:
            if effect == .fcntl {
                let cmd = Int32(truncatingIfNeeded: r.arg(1))
                if cmd == Linux.F_SETFD, ret == 0 {
                    p.fds.update(Int32(truncatingIfNeeded: r.arg(0))) { $0.cloexec = r.arg(2) & Linux.FD_CLOEXEC != 0 }
                    return nil
                }
                guard cmd == Linux.F_DUPFD || cmd == Linux.F_DUPFD_CLOEXEC else { return nil }
            }
            guard ret >= 0 else { return nil }
            let old = Int32(truncatingIfNeeded: r.arg(0))
            guard var e = p.fds[old] else { p.fds.remove(newFd); return nil }
            // dup and dup2 clear the flag, dup3 and fcntl set it from an argument: the row's cloexec rule says which.
            e.cloexec = effects.isCloexec(nr, r)
            p.fds.set(newFd, e)
        case .pipe, .pipe2, .socketpair:
            guard ret == 0, let (a, b) = r.items.first(.fdPair)?.fdPair else { return nil }
            var e: FdEntry
            if effect == .socketpair {
                let domain = UInt16(truncatingIfNeeded: r.arg(0))
                var tuple = FdTuple()
                tuple.family = domain
                e = FdEntry(kind: Self.socketKind(domain), tuple: tuple)
                e.socketState = .connected
            } else {
                e = FdEntry(kind: .pipe)
                if effect == .pipe2 { e.openFlags = UInt32(truncatingIfNeeded: r.arg(1)) }
                // Named as /proc and the snapshots name it, from the pipe's inode (recorders since 1.2 send it).
                if let file = r.items.first(.inode, arg: KcapABI.Inode.returnedFdArg)?.inode.map(FileIdentity.init) {
                    e.name = paths.intern("pipe:[\(file.inode)]")
                    e.file = file
                }
            }
            e.cloexec = effects.isCloexec(nr, r)
            p.fds.set(a, e)
            p.fds.set(b, e)
        case .eventfd, .timerfd, .signalfd, .epoll, .inotify, .memfd, .userfaultfd, .bpf, .iouring, .pidfd, .perf,
             .fanotify:
            guard ret >= 0 else { return nil }
            if effect == .signalfd, Int32(truncatingIfNeeded: r.arg(0)) == newFd, p.fds[newFd] != nil { return nil }
            let kind: FdKind
            switch effect {
            case .eventfd: kind = .event
            case .timerfd: kind = .timerfd
            case .signalfd: kind = .signalfd
            case .epoll: kind = .eventpoll
            case .inotify: kind = .inotify
            case .memfd: kind = .memfd
            case .userfaultfd: kind = .userfaultfd
            case .bpf: kind = .bpf
            case .iouring: kind = .iouring
            case .pidfd: kind = .pidfd
            default: kind = .other
            }
            var e = FdEntry(kind: kind, cloexec: effects.isCloexec(nr, r))
            if effect == .memfd {
                var name: [UInt8] = Array("memfd:".utf8)
                if let n = r.items.first(.path)?.data { name.append(contentsOf: n) }
                e.name = name.withUnsafeBytes { paths.intern($0) }
            }
            p.fds.set(newFd, e)
        case .clone, .clone3, .fork:
            guard ret > 0 else { return nil }
            var flags: UInt64 = effect == .clone ? r.arg(0) : 0
            if effect == .clone3, let f = r.items.first(.cloneArgs)?.cloneArgsFlags { flags = f }
            let childTid = UInt32(truncatingIfNeeded: ret)
            let isThread = flags & Linux.CLONE_THREAD != 0
            let sharesFiles = flags & Linux.CLONE_FILES != 0
            if let child = threads.thread(childTid) {
                if !isThread, sharesFiles, child.process !== p { // share the table
                    child.process.fds = p.fds
                }
            } else {
                // The fork record was not captured: the syscall's result is enough to know the child.
                addChild(of: t, tid: childTid, pid: isThread ? p.pid : childTid, comm: t.comm,
                         timestampNs: r.timestampNs, sharesFiles: sharesFiles)
            }
        case .execve, .execveat:
            guard ret == 0 else { return nil }
            if execRecordSeen.remove(t.tid) != nil { return nil }
            // No procexec record (process events not captured): take what the syscall carries.
            if let path = r.items.first(.path)?.data {
                let base = effect == .execveat
                    ? self.base(dirfd: Int32(truncatingIfNeeded: r.arg(0)), p) : p.cwd
                p.exe = paths.string(paths.resolve(path, base: base))
                t.comm = String(p.exe.split(separator: "/").last.map { String($0.prefix(15)) } ?? "")
            }
            // argv is the item of the argv argument (1; execveat: 2); recorders before 1.3 sent none here.
            if let argv = r.items.first(.argv, arg: effect == .execveat ? 2 : 1)?.data { p.args = splitArgv(argv) }
            execProcessFds(p)
        case .chdir:
            guard ret == 0, let path = r.items.first(.path)?.data else { return nil }
            p.cwd = paths.resolve(path, base: p.cwd)
        case .fchdir:
            guard ret == 0 else { return nil }
            p.cwd = p.fds[Int32(truncatingIfNeeded: r.arg(0))]?.name ?? PathPool.none
        case .sendto:
            // sysdig's rule: a datagram sent on a socket with no name yet, or not TCP, names it by its tuple (the
            // local end and the destination; the entry's tuple in a sysdig capture, the destination sockaddr in
            // kcap's). A socket that does not change keeps its entry.
            guard ret >= 0 else { return nil }
            let fd = Int32(truncatingIfNeeded: r.arg(0))
            guard var e = p.fds[fd], e.isSocket, e.tuple.proto != Linux.IPPROTO_TCP || e.tuple.isEmpty,
                  r.items.first(.tuple) != nil || r.items.first(.sockaddr) != nil else { return nil }
            let before = e
            applyAddress(r, to: &e, remote: true)
            // kcap's tuple is read after the send, and an unconnected socket's has no peer: the destination is
            // the sockaddr item (a sysdig capture has none here, its tuple holds the destination).
            applySockaddr(r, to: &e, remote: true)
            // A sysdig capture's tuple (no sockaddr item) from an unbound socket has no local address (0.0.0.0,
            // ::): sysdig fills it in from the capture's network interfaces, as kcap does here. Not on a socket
            // bound to a port with no peer yet (sysdig's server socket, whose tuple sysdig overlays with the
            // port and protocol, naming it from memory that is no address), nor when no interface fits: such a
            // tuple is not taken. kcap's recorder gives the destination's sockaddr and the socket's own tuple,
            // whose wildcard local address is what the socket really has.
            if e.tuple.family != Linux.AF_UNIX && r.items.first(.sockaddr) == nil {
                let bound = before.tuple.localPort != 0 && before.tuple.remotePort == 0
                    && before.tuple.remoteHi == 0 && before.tuple.remoteLo == 0
                if !bound { networkInterfaces.complete(&e.tuple) }
                if e.tuple.localHi == 0 && e.tuple.localLo == 0 { return nil }
            }
            if e.tuple.proto == 0 && e.tuple.family != Linux.AF_UNIX { e.tuple.proto = Linux.IPPROTO_UDP }
            if e.kind == .unknown { e.kind = Self.socketKind(e.tuple.family) }
            if e != before { p.fds.set(fd, e) }
        case .fstat:
            guard ret == 0, let file = r.items.first(.inode, arg: 1)?.inode.map(FileIdentity.init) else { return nil }
            p.fds.update(Int32(truncatingIfNeeded: r.arg(0))) { $0.file = file }
        case .prctl:
            // PR_SET_NAME renames the calling thread (its comm, 15 bytes at most, as the kernel keeps it).
            guard ret == 0, r.arg(0) == Linux.PR_SET_NAME, let name = r.items.first(.path, arg: 1)?.data else { return nil }
            var n = 0
            while n < name.count, n < 15, name[n] != 0 { n += 1 }
            t.comm = String(decoding: UnsafeRawBufferPointer(rebasing: name[0..<n]), as: UTF8.self)
        case .none, .close, .closeRange:
            break
        }
        return nil
    }

    /// Applies removals after the event was handed out.
    private func applyAfter(_ effect: SyscallEffect, _ r: SyscallRecord, _ t: ThreadState) {
        unowned(unsafe) let p = t.process
        switch effect {
        case .close:
            // Linux releases the fd even when close reports EINTR or EIO; only EBADF means there was none.
            unowned(unsafe) let fds = p.fds
            if r.ret != -Linux.EBADF { fds.remove(Int32(truncatingIfNeeded: r.arg(0))) }
        case .closeRange:
            guard r.ret == 0 else { return }
            let first = Int32(truncatingIfNeeded: min(r.arg(0), UInt64(Int32.max)))
            let last = Int32(truncatingIfNeeded: min(r.arg(1), UInt64(Int32.max)))
            let flags = r.arg(2)
            if flags & Linux.CLOSE_RANGE_UNSHARE != 0 { p.fds = p.fds.copy() }
            if flags & Linux.CLOSE_RANGE_CLOEXEC != 0 { p.fds.setCloexecRange(first, last) } else { p.fds.removeRange(first, last) }
        default:
            break
        }
    }

    /// Sets the tuple (or unix path) of `e` from the record's KCAP_ITEM_TUPLE, or its sockaddr item.
    private func applyAddress(_ r: SyscallRecord, to e: inout FdEntry, remote: Bool) {
        if let t = r.items.first(.tuple)?.data, t.count >= KcapABI.Tuple.size {
            e.tuple.family = t.loadUnaligned(fromByteOffset: KcapABI.Tuple.family, as: UInt16.self)
            // A tuple without a protocol (a sysdig capture's tuples carry none) keeps the socket's.
            let proto = t.loadUnaligned(fromByteOffset: KcapABI.Tuple.proto, as: UInt16.self)
            if proto != 0 { e.tuple.proto = proto }
            e.tuple.localPort = t.loadUnaligned(fromByteOffset: KcapABI.Tuple.lport, as: UInt16.self)
            e.tuple.remotePort = t.loadUnaligned(fromByteOffset: KcapABI.Tuple.rport, as: UInt16.self)
            e.tuple.setAddress(UnsafeRawBufferPointer(rebasing: t[KcapABI.Tuple.laddr..<KcapABI.Tuple.laddr + KcapABI.Tuple.addrSize]), remote: false)
            e.tuple.setAddress(UnsafeRawBufferPointer(rebasing: t[KcapABI.Tuple.raddr..<KcapABI.Tuple.raddr + KcapABI.Tuple.addrSize]), remote: true)
            // An AF_UNIX tuple has no addresses: the socket's name is the path in the sockaddr, below.
            if e.tuple.family != Linux.AF_UNIX { return }
        }
        applySockaddr(r, to: &e, remote: remote)
    }

    /// The SOCKADDR item's address and port as one end of `e`'s tuple (an AF_UNIX path as its name).
    private func applySockaddr(_ r: SyscallRecord, to e: inout FdEntry, remote: Bool) {
        guard let sa = r.items.first(.sockaddr)?.data, sa.count >= 2 else { return }
        let family = sa.loadUnaligned(fromByteOffset: 0, as: UInt16.self)
        if e.tuple.family == 0 { e.tuple.family = family }
        switch family {
        case Linux.AF_INET where sa.count >= 8: // sockaddr_in: family, port (network order), addr
            let port = UInt16(sa[2]) << 8 | UInt16(sa[3])
            if remote { e.tuple.remotePort = port } else { e.tuple.localPort = port }
            e.tuple.setAddress(UnsafeRawBufferPointer(rebasing: sa[4..<8]), remote: remote)
        case Linux.AF_INET6 where sa.count >= 24: // sockaddr_in6: family, port, flowinfo, addr
            let port = UInt16(sa[2]) << 8 | UInt16(sa[3])
            if remote { e.tuple.remotePort = port } else { e.tuple.localPort = port }
            e.tuple.setAddress(UnsafeRawBufferPointer(rebasing: sa[8..<24]), remote: remote)
        case Linux.AF_UNIX: // sockaddr_un: family, path (NUL-terminated, or abstract with a leading NUL)
            var end = 2
            if sa.count > 2, sa[2] == 0 { end = 3 }
            while end < sa.count, sa[end] != 0 { end += 1 }
            var name = Array(sa[2..<end])
            if name.first == 0 { name[0] = UInt8(ascii: "@") }
            if !name.isEmpty { e.name = name.withUnsafeBytes { paths.intern($0) } }
        default:
            break
        }
    }

    static func socketKind(_ family: UInt16) -> FdKind {
        switch family {
        case Linux.AF_INET: return .ipv4
        case Linux.AF_INET6: return .ipv6
        case Linux.AF_UNIX: return .unix
        case Linux.AF_NETLINK: return .netlink
        default: return .other
        }
    }
}
