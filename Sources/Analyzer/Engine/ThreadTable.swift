import CaptureFormat
import DequeModule

/// One process (thread group) as the engine knows it. Threads of the process point at the same object.
public final class ProcessState {
    /// Process id (tgid).
    public let pid: UInt32
    /// Parent's pid, 0 when unknown.
    @exclusivity(unchecked)
    public var ppid: UInt32 { didSet { revision &+= 1 } }
    /// Executable path, "" when unknown.
    @exclusivity(unchecked)
    public var exe: String { didSet { revision &+= 1 } }
    /// argv (argv[0] first), empty when unknown.
    @exclusivity(unchecked)
    public var args: [String] { didSet { argsTextCache = nil; revision &+= 1 } }
    @exclusivity(unchecked)
    private var argsTextCache: String?
    /// The arguments after argv[0], space separated (`proc.args`), made once per exec.
    public var argsText: String {
        if let t = argsTextCache { return t }
        let t = args.dropFirst().joined(separator: " ")
        argsTextCache = t
        return t
    }
    /// Current directory in the engine's `PathPool`, or `PathPool.none`.
    @exclusivity(unchecked)
    public var cwd: Int32 { didSet { revision &+= 1 } }
    /// Real uid, `UInt32.max` when unknown.
    @exclusivity(unchecked)
    public var uid: UInt32 { didSet { revision &+= 1 } }
    /// Real gid, `UInt32.max` when unknown.
    @exclusivity(unchecked)
    public var gid: UInt32 { didSet { revision &+= 1 } }
    /// Container id, "" on the host.
    @exclusivity(unchecked)
    public var containerID: String { didSet { revision &+= 1 } }
    /// Boot-time ns of the process start, 0 when unknown.
    @exclusivity(unchecked)
    public var startTimeNs: UInt64
    /// The open fds (shared with CLONE_FILES children).
    @exclusivity(unchecked)
    public var fds: FdTable { didSet { generation?.bump() } }
    /// Number of live threads known in this process.
    @exclusivity(unchecked)
    public internal(set) var threadCount = 0
    /// False for a process met only through its records (no snapshot, fork or exec told us about it).
    @exclusivity(unchecked)
    public var isKnown: Bool { didSet { revision &+= 1 } }
    /// The generation of the table the process is in; nil until it is put in one.
    @exclusivity(unchecked)
    var generation: StateGeneration?
    /// Bumped whenever ppid, exe, args, cwd, uid, gid, containerID or isKnown changes: a sink that copied them
    /// compares this instead of them. Only ever compared for equality.
    @exclusivity(unchecked)
    public private(set) var revision: UInt64 = 0

    /// A process with the given facts.
    public init(pid: UInt32, ppid: UInt32 = 0, exe: String = "", args: [String] = [], cwd: Int32 = PathPool.none,
                uid: UInt32 = .max, gid: UInt32 = .max, containerID: String = "", startTimeNs: UInt64 = 0,
                fds: FdTable = FdTable(), isKnown: Bool = true) {
        self.pid = pid
        self.ppid = ppid
        self.exe = exe
        self.args = args
        self.cwd = cwd
        self.uid = uid
        self.gid = gid
        self.containerID = containerID
        self.startTimeNs = startTimeNs
        self.fds = fds
        self.isKnown = isKnown
    }

    /// A child of `parent` made by fork: same image, cwd and credentials; `fds` decided by the caller.
    func forked(pid: UInt32, startTimeNs: UInt64, fds: FdTable) -> ProcessState {
        ProcessState(pid: pid, ppid: self.pid, exe: exe, args: args, cwd: cwd, uid: uid, gid: gid,
                     containerID: containerID, startTimeNs: startTimeNs, fds: fds, isKnown: isKnown)
    }
}

/// One thread.
public final class ThreadState {
    /// Thread id.
    public let tid: UInt32
    /// Its process.
    @exclusivity(unchecked)
    public var process: ProcessState {
        didSet {
            if process.generation == nil { process.generation = generation }
            generation?.bump()
        }
    }
    /// comm (15 bytes at most), "" when unknown.
    @exclusivity(unchecked)
    public var comm: String { didSet { revision &+= 1 } }
    /// Bumped whenever comm changes (see `ProcessState.revision`).
    @exclusivity(unchecked)
    public private(set) var revision: UInt64 = 0
    /// Boot-time ns of the thread start, 0 when unknown.
    @exclusivity(unchecked)
    public var startTimeNs: UInt64
    /// The syscall a snapshot saw the thread inside, until a record of the thread newer than that snapshot
    /// shows it returned (`kcap stats`: what was still blocked at the end).
    @exclusivity(unchecked)
    public var inFlight: InFlightSyscall? = nil
    /// Boot-time ns of the snapshot that saw `inFlight`; 0 when none.
    @exclusivity(unchecked)
    public var inFlightSnapshotNs: UInt64 = 0
    /// The generation of the table the thread is in; nil until it is put in one.
    @exclusivity(unchecked)
    var generation: StateGeneration?

    /// A thread of `process`.
    public init(tid: UInt32, process: ProcessState, comm: String, startTimeNs: UInt64 = 0) {
        self.tid = tid
        self.process = process
        self.comm = comm
        self.startTimeNs = startTimeNs
    }
}

/// tid -> thread -> process, with the last lookup cached (consecutive records mostly come from one thread).
///
/// The table holds at most `capacity` threads (`StateLimits.threads`): past it, the thread known longest is
/// dropped for each new one (a capture that big has lost exit records, or was made to exhaust the reader).
public final class ThreadTable {
    @exclusivity(unchecked)
    private var threads: [UInt32: ThreadState] = [:]
    @exclusivity(unchecked)
    private var processes: [UInt32: ProcessState] = [:]
    @exclusivity(unchecked)
    private var lastTid: UInt32 = 0
    @exclusivity(unchecked)
    private unowned(unsafe) var lastThread: ThreadState? = nil
    /// Most threads kept at once.
    public let capacity: Int
    /// Tids in the order they were inserted, oldest first, for dropping past `capacity`. May hold tids that
    /// were removed since (skipped when met); compacted when it grows to twice the capacity.
    @exclusivity(unchecked)
    private var insertionOrder = Deque<UInt32>()
    /// Threads dropped because the table was full.
    @exclusivity(unchecked)
    public private(set) var evictedThreads = 0
    /// The last few dropped threads, kept alive: the engine may be inside a call on the thread that was the
    /// oldest (a clone adds the child while the parent's record is being applied) and holds it unretained.
    @exclusivity(unchecked)
    private var recentlyEvicted: [ThreadState?] = Array(repeating: nil, count: 8)
    @exclusivity(unchecked)
    private var recentlyEvictedNext = 0
    /// Bumped by every change that could free a thread, a process or an fd table (`Engine`'s cache). Moves with
    /// the threads in `swapContents(with:)` (they hold it).
    @exclusivity(unchecked)
    private(set) var generation = StateGeneration()

    /// An empty table holding at most `capacity` threads.
    public init(capacity: Int = StateLimits.threads) {
        self.capacity = max(capacity, 1)
    }

    /// Number of threads.
    public var threadCount: Int { threads.count }
    /// Number of processes.
    public var processCount: Int { processes.count }

    /// The thread `tid`, when known.
    @inline(__always)
    public func thread(_ tid: UInt32) -> ThreadState? {
        if tid == lastTid, let t = lastThread { return t }
        guard let t = threads[tid] else { return nil }
        lastTid = tid
        lastThread = t
        return t
    }

    /// The process `pid`, when known.
    public func process(_ pid: UInt32) -> ProcessState? { processes[pid] }

    /// Every thread, by tid.
    public var allThreads: [ThreadState] { threads.values.sorted { $0.tid < $1.tid } }
    /// Every process, by pid.
    public var allProcesses: [ProcessState] { processes.values.sorted { $0.pid < $1.pid } }

    /// Adds or replaces a thread (and registers its process).
    public func insert(_ thread: ThreadState) {
        generation.bump()
        thread.generation = generation
        thread.process.generation = generation
        if let old = threads[thread.tid] {
            old.process.threadCount -= 1
            dropIfEmpty(old.process)
        } else {
            if threads.count >= capacity { evictOldest() }
            insertionOrder.append(thread.tid)
            if insertionOrder.count > 2 * capacity { compactOrder() }
        }
        threads[thread.tid] = thread
        thread.process.threadCount += 1
        processes[thread.process.pid] = thread.process
        if thread.tid == lastTid { lastThread = thread }
    }

    /// Registers a process that has no thread yet (snapshot order, or fds listed before threads).
    public func insert(_ process: ProcessState) {
        generation.bump()
        process.generation = generation
        processes[process.pid] = process
    }

    /// Removes a thread; its process goes with its last thread.
    public func remove(tid: UInt32) {
        generation.bump()
        guard let t = threads.removeValue(forKey: tid) else { return }
        if lastTid == tid { lastThread = nil; lastTid = 0 }
        t.process.threadCount -= 1
        dropIfEmpty(t.process)
    }

    /// Removes a process and all its threads.
    public func remove(pid: UInt32) {
        guard let p = processes[pid] else { return }
        for t in threads.values where t.process === p { remove(tid: t.tid) }
        processes[pid] = nil
    }

    /// Exchanges everything this table holds with `other` (the engine parks one host's tables while another
    /// host's records are replayed). Both generations are bumped, so no cached reference outlives the swap.
    public func swapContents(with other: ThreadTable) {
        swap(&threads, &other.threads)
        swap(&processes, &other.processes)
        swap(&insertionOrder, &other.insertionOrder)
        swap(&evictedThreads, &other.evictedThreads)
        swap(&recentlyEvicted, &other.recentlyEvicted)
        swap(&recentlyEvictedNext, &other.recentlyEvictedNext)
        swap(&generation, &other.generation)
        generation.bump()
        other.generation.bump()
        lastThread = nil; lastTid = 0
        other.lastThread = nil; other.lastTid = 0
    }

    /// Removes everything.
    public func removeAll() {
        generation.bump()
        threads.removeAll()
        processes.removeAll()
        insertionOrder.removeAll()
        lastThread = nil
        lastTid = 0
    }

    /// Drops the thread inserted longest ago that is still in the table.
    private func evictOldest() {
        while let tid = insertionOrder.popFirst() {
            guard let t = threads[tid] else { continue }
            recentlyEvicted[recentlyEvictedNext] = t
            recentlyEvictedNext = (recentlyEvictedNext + 1) % recentlyEvicted.count
            remove(tid: tid)
            evictedThreads += 1
            return
        }
    }

    /// Rebuilds the insertion order with only the tids still in the table, each once (its latest insertion).
    private func compactOrder() {
        var seen = Set<UInt32>(minimumCapacity: threads.count)
        var kept: [UInt32] = []
        kept.reserveCapacity(threads.count)
        for tid in insertionOrder.reversed() where threads[tid] != nil && seen.insert(tid).inserted { kept.append(tid) }
        insertionOrder = Deque(kept.reversed())
    }

    private func dropIfEmpty(_ p: ProcessState) {
        if p.threadCount <= 0, processes[p.pid] === p { processes[p.pid] = nil }
    }

    /// The thread for a record of `tid`/`pid`; made (comm and process facts unknown) when never seen.
    @inline(__always)
    public func threadForRecord(tid: UInt32, pid: UInt32) -> ThreadState {
        if let t = thread(tid) { return t }
        let p = processes[pid] ?? ProcessState(pid: pid, isKnown: false)
        let t = ThreadState(tid: tid, process: p, comm: "")
        insert(t)
        lastTid = tid
        lastThread = t
        return t
    }
}
