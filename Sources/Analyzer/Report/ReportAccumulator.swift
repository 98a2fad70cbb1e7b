import CaptureFormat
import EventSchema

/// What `kcap report` gathers in its one pass, in bounded memory: `kcap stats`' statistics of the selected
/// events (the same `CaptureStatistics`, so the page's numbers are `kcap stats`' numbers), their count per time
/// bucket per process, a latency heat map per syscall, failures per process and errno, a few hundred
/// representative events (rendered as `kcap read` prints them when they are kept), and the lifetimes of
/// every process of the window (from every event, selected or not: a lifetime needs its fork and exit).
///
/// Memory: the per-bucket figures are bounded by `Limits.buckets`; per process, a row (as `kcap stats` keeps
/// one) with its events per bucket run-length encoded (a short-lived process costs a few words); the kept
/// events by `Limits`. Per event: a cached bucket and process row, a few array increments.
public final class ReportAccumulator {
    /// The bounds of what is kept and shown.
    public struct Limits: Sendable {
        /// Time buckets of the timeline and heat map.
        public var buckets = 240
        /// Processes drawn as their own series in the timeline (the rest are summed).
        public var timelineProcesses = 8
        /// Rows of each table (`kcap stats --top`).
        public var tableRows = 50
        /// Syscalls in the heat map (the busiest by total time, then by count).
        public var heatmapSyscalls = 16
        /// Process lifetimes drawn (the busiest, with their ancestors; the others are counted).
        public var processes = 400
        /// Slowest calls kept per syscall, and in all.
        public var slowestPerSyscall = 5
        public var slowest = 250
        /// Failures kept per (syscall, errno), and in all.
        public var failuresPerKind = 3
        public var failures = 250
        /// Bytes of a kept event's line.
        public var lineBytes = 400
        /// Defaults.
        public init() {}
    }

    /// Latency buckets: 0 holds < 1024 ns (about 1 us), i holds [2^(9+i), 2^(10+i)) ns, the last everything
    /// from 2^32 ns (about 4.3 s) on.
    static let latencyBuckets = 24

    /// Bucket of a latency: log2, from 1 us.
    @inline(__always)
    static func latencyBucket(_ ns: UInt64) -> Int {
        let log2 = 63 - (ns | 1).leadingZeroBitCount
        return Swift.min(Swift.max(log2 - 9, 0), latencyBuckets - 1)
    }

    /// Lower bound of each latency bucket, ns.
    static var latencyBounds: [UInt64] { (0..<latencyBuckets).map { $0 == 0 ? 0 : UInt64(1) << UInt64(9 + $0) } }

    /// One process id's figures (a pid used again after an exit keeps its row, as in `kcap stats`).
    struct PidRow {
        var pid: UInt32
        /// Selected events (one per syscall), and failed ones.
        var events: UInt64 = 0
        /// Events per bucket, run-length: each element is `bucket << 40 | count`, buckets increasing.
        var series: [UInt64] = []
        /// The current lifetime's index in `lifetimes`.
        var lifetime: Int
    }

    /// One process lifetime.
    struct Lifetime {
        var pid: UInt32
        var ppid: UInt32
        var comm: String
        var exe: String
        var args: [String]
        var startNs: UInt64?
        var execNs: [UInt64] = []
        var exitNs: UInt64?
        var exitStatus: Int32?
        var exitSignal: Int32?
        var events: UInt64 = 0
        var errors: UInt64 = 0
        var firstNs: UInt64 = .max
        var lastNs: UInt64 = 0
    }

    /// A kept event.
    struct Kept {
        var row: ReportData.EventRow
        var latency: UInt64
        var number: UInt64
    }

    /// The statistics of `kcap stats` over the selected events.
    public let statistics: CaptureStatistics
    /// The bounds it keeps to.
    public let limits: Limits
    let printer: EventPrinter
    let filter: EventFilter?
    let arch: SyscallArch
    unowned let engine: Engine
    /// The boot-time ns relative times count from.
    let originNs: UInt64

    @exclusivity(unchecked) var axis: ReportTimeAxis
    @exclusivity(unchecked) var total: [UInt64]
    @exclusivity(unchecked) var errors: [UInt64]
    /// Per event type (EventTable id): calls per (bucket, latency bucket), allocated at the type's first timed call.
    @exclusivity(unchecked) var heat: [[UInt64]]
    @exclusivity(unchecked) var rows: [PidRow] = []
    @exclusivity(unchecked) private var rowOfPid: [UInt32: Int] = [:]
    @exclusivity(unchecked) private var lastPid: UInt32 = 0, lastRow = -1
    @exclusivity(unchecked) var lifetimes: [Lifetime] = []
    /// Failures by `pid << 32 | errno`.
    @exclusivity(unchecked) var errnosByPid: [UInt64: UInt64] = [:]
    /// The slowest calls kept per event type, and the least latency that still gets in (0: room left).
    @exclusivity(unchecked) var slowest: [[Kept]]
    @exclusivity(unchecked) private var slowFloor: [UInt64]
    /// Failures kept, and how many of each (type, errno) were.
    @exclusivity(unchecked) var failures: [Kept] = []
    @exclusivity(unchecked) private var failureKinds: [Int: Int] = [:]
    private let scratch = OutputBuffer()
    private var line: TextSink

    /// An accumulator for `engine`'s events; `filter` selects the counted ones (every event still follows
    /// the lifetimes), `startNs...endNs` is the time axis (nil end: not known), `originNs` the time relative
    /// ns count from.
    public init(engine: Engine, printer: EventPrinter, filter: EventFilter?, originNs: UInt64, startNs: UInt64,
                endNs: UInt64?, limits: Limits = Limits()) {
        self.engine = engine
        self.printer = printer
        self.filter = filter
        self.limits = limits
        self.originNs = originNs
        arch = SyscallArch(machine: engine.machine) ?? .x86_64
        statistics = CaptureStatistics(machine: engine.machine)
        axis = ReportTimeAxis(startNs: startNs, endNs: endNs, maxBuckets: limits.buckets)
        total = [UInt64](repeating: 0, count: limits.buckets)
        errors = [UInt64](repeating: 0, count: limits.buckets)
        heat = [[UInt64]](repeating: [], count: EventTable.all.count)
        slowest = [[Kept]](repeating: [], count: EventTable.all.count)
        slowFloor = [UInt64](repeating: 0, count: EventTable.all.count)
        line = TextSink(out: scratch, printer: printer)
    }

    // MARK: per event

    /// Follows one event of the window: its process's lifetime, and when it passes the filter, every figure.
    @inline(__always)
    public func add(_ e: Event) {
        // A syscall the filter drops costs only the filter: the lifetimes need the process events, and a
        // process seen only through dropped syscalls is named at its exit or, alive at the end, by the engine.
        var r = -1
        if e.kind != .syscall {
            r = rowIndex(e)  // before an exit ends the lifetime: the exit is counted in it
            lifetimeEvent(e, row: r)
        }
        if let filter, !filter.matches(EventFields(e, printer: printer)) { return }
        count(e, row: r >= 0 ? r : rowIndex(e))
    }

    /// The row of the event's pid (the last one's, most of the time).
    @inline(__always)
    private func rowIndex(_ e: Event) -> Int {
        e.pid == lastPid && lastRow >= 0 ? lastRow : row(for: e)
    }

    @inline(never)
    private func row(for e: Event) -> Int {
        let pid = e.pid
        let r: Int
        if let found = rowOfPid[pid] {
            r = found
            // A pid used again after its process ended, its fork not seen: a new lifetime.
            if lifetimes[rows[r].lifetime].exitNs != nil {
                rows[r].lifetime = newLifetime(e.process, comm: mainComm(e), startNs: nil)
            }
        } else {
            r = rows.count
            rows.append(PidRow(pid: pid, lifetime: newLifetime(e.process, comm: mainComm(e), startNs: nil)))
            rowOfPid[pid] = r
        }
        lastPid = pid
        lastRow = r
        return r
    }

    /// The comm of the event's process: its main thread's when known.
    private func mainComm(_ e: Event) -> String {
        if e.tid == e.pid { return e.thread.comm }
        return engine.threads.thread(e.pid)?.comm ?? e.thread.comm
    }

    private func newLifetime(_ p: ProcessState, comm: String, startNs: UInt64?) -> Int {
        lifetimes.append(Lifetime(pid: p.pid, ppid: p.ppid, comm: comm, exe: p.exe, args: p.args,
                                  startNs: startNs ?? (p.startTimeNs == 0 ? nil : p.startTimeNs)))
        return lifetimes.count - 1
    }

    /// A fork starts a lifetime (a pid forked again starts a new one), an exec renames it, an exit ends it.
    private func lifetimeEvent(_ e: Event, row r: Int) {
        switch e.kind {
        case .procfork:
            guard let fork = try? ForkRecord(e.record), !fork.isThread, fork.childPid != e.pid else { return }
            let child = fork.childPid
            let l = Lifetime(pid: child, ppid: e.pid, comm: fork.childComm, exe: e.process.exe, args: e.process.args,
                             startNs: e.timestampNs)
            lifetimes.append(l)
            if let cr = rowOfPid[child] {
                rows[cr].lifetime = lifetimes.count - 1
            } else {
                rowOfPid[child] = rows.count
                rows.append(PidRow(pid: child, lifetime: lifetimes.count - 1))
            }
        case .procexec:
            let i = rows[r].lifetime
            let p = e.process
            lifetimes[i].comm = e.thread.comm
            lifetimes[i].exe = p.exe
            lifetimes[i].args = p.args
            lifetimes[i].ppid = p.ppid
            if lifetimes[i].execNs.count < 8 { lifetimes[i].execNs.append(e.timestampNs) }
        case .procexit:
            guard let exit = try? ExitRecord(e.record), exit.groupDead else { return }
            let i = rows[r].lifetime
            lifetimes[i].exitNs = e.timestampNs
            if exit.signal != 0 { lifetimes[i].exitSignal = exit.signal } else { lifetimes[i].exitStatus = exit.status }
            lastRow = -1  // the pid's next event looks its row up again (and finds the lifetime ended)
        case .syscall, .signal:
            break
        }
    }

    /// Counts a selected event.
    @inline(__always)
    private func count(_ e: Event, row r: Int) {
        statistics.add(e)
        // One per syscall, as `kcap stats` counts processes' events: a sysdig capture's entry events are not.
        if e.isEntry && e.kind == .syscall { return }
        let ts = e.timestampNs
        var b = axis.index(ts)
        if b < 0 { b = grow(ts) }
        total[b] &+= 1
        rows[r].events &+= 1
        Self.bump(&rows[r].series, bucket: b)
        let li = rows[r].lifetime
        lifetimes[li].events &+= 1
        if ts < lifetimes[li].firstNs { lifetimes[li].firstNs = ts }
        if ts > lifetimes[li].lastNs { lifetimes[li].lastNs = ts }
        guard e.kind == .syscall else { return }
        let failed = e.failed
        let id = EventTable.id(syscall: Int(e.syscallNumber), arch: arch)
        if failed {
            errors[b] &+= 1
            lifetimes[li].errors &+= 1
            let errno = Int(-e.result)
            errnosByPid[UInt64(e.pid) << 32 | UInt64(UInt32(truncatingIfNeeded: errno)), default: 0] &+= 1
            keepFailure(e, id: id, errno: errno)
        }
        guard let id, let latency = e.latencyNs else { return }
        if heat[id].isEmpty { heat[id] = [UInt64](repeating: 0, count: limits.buckets * Self.latencyBuckets) }
        heat[id][b * Self.latencyBuckets + Self.latencyBucket(latency)] &+= 1
        if latency > slowFloor[id] || (slowFloor[id] == 0 && slowest[id].count < limits.slowestPerSyscall) {
            keepSlow(e, id: id, latency: latency)
        }
    }

    /// Adds one to the run of `bucket` (the last one, or a new one after it).
    @inline(__always)
    static func bump(_ series: inout [UInt64], bucket: Int) {
        let key = UInt64(bucket) << 40
        if let last = series.last, last & ~((UInt64(1) << 40) - 1) == key {
            series[series.count - 1] = last &+ 1
        } else {
            series.append(key | 1)
        }
    }

    /// Doubles the bucket length until `ts` fits, merging every per-bucket figure in pairs; returns its bucket.
    @inline(never)
    private func grow(_ ts: UInt64) -> Int {
        var b = -1
        while b < 0 {
            axis.double()
            let n = limits.buckets
            func halve(_ a: inout [UInt64]) {
                for i in 0..<n { a[i] = i * 2 < n ? a[i * 2] &+ (i * 2 + 1 < n ? a[i * 2 + 1] : 0) : 0 }
            }
            halve(&total)
            halve(&errors)
            let l = Self.latencyBuckets
            for id in heat.indices where !heat[id].isEmpty {
                var merged = [UInt64](repeating: 0, count: n * l)
                for i in 0..<n { for k in 0..<l { merged[(i / 2) * l + k] &+= heat[id][i * l + k] } }
                heat[id] = merged
            }
            for r in rows.indices where !rows[r].series.isEmpty {
                var merged: [UInt64] = []
                for v in rows[r].series {
                    let bucket = (v >> 40) / 2, c = v & ((UInt64(1) << 40) - 1)
                    if let last = merged.last, last >> 40 == bucket { merged[merged.count - 1] = last &+ c } else { merged.append(bucket << 40 | c) }
                }
                rows[r].series = merged
            }
            b = axis.index(ts)
        }
        return b
    }

    // MARK: kept events

    /// The event as `kcap read` prints it, cut to `Limits.lineBytes`.
    private func render(_ e: Event, id: Int?, latency: UInt64?) -> Kept {
        scratch.reset()
        try? line.write(e)
        var bytes = Array(scratch.bytes)
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        if bytes.count > limits.lineBytes {
            bytes.removeLast(bytes.count - limits.lineBytes)
            while let last = bytes.last, last & 0xC0 == 0x80 { bytes.removeLast() }  // not inside a character
            if let last = bytes.last, last >= 0xC0 { bytes.removeLast() }
            bytes += Array("…".utf8)
        }
        let name = id.map { EventTable.all[$0].name } ?? e.typeName
        let errorName = e.failed ? (ArgFormatter.errnoName(Int(-e.result)) ?? "E\(-e.result)") : nil
        let row = ReportData.EventRow(num: e.number, atNs: relative(e.timestampNs), pid: e.pid, type: name,
                                      latencyNs: latency, error: errorName,
                                      line: String(decoding: bytes, as: UTF8.self))
        return Kept(row: row, latency: latency ?? 0, number: e.number)
    }

    @inline(never)
    private func keepSlow(_ e: Event, id: Int, latency: UInt64) {
        var kept = slowest[id]
        kept.append(render(e, id: id, latency: latency))
        // Slowest first; the earlier event first on a tie.
        kept.sort { ($0.latency, $1.number) > ($1.latency, $0.number) }
        if kept.count > limits.slowestPerSyscall { kept.removeLast(kept.count - limits.slowestPerSyscall) }
        slowFloor[id] = kept.count < limits.slowestPerSyscall ? 0 : kept[kept.count - 1].latency
        slowest[id] = kept
    }

    @inline(__always)
    private func keepFailure(_ e: Event, id: Int?, errno: Int) {
        guard failures.count < limits.failures else { return }
        let kind = ((id ?? (-Int(e.syscallNumber) - 1)) << 16) ^ errno
        let n = failureKinds[kind, default: 0]
        guard n < limits.failuresPerKind else { return }
        failureKinds[kind] = n + 1
        failures.append(render(e, id: id, latency: e.latencyNs))
    }

    /// `ns` relative to the origin.
    @inline(__always)
    func relative(_ ns: UInt64) -> Int64 { Int64(bitPattern: ns &- originNs) }
}
