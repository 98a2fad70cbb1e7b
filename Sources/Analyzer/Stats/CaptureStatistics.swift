import CaptureFormat
import EventSchema
import Histogram

/// Accumulates the statistics of `kcap stats` over the engine's events: syscalls by count and time, latency
/// percentiles per syscall (HdrHistogram), processes, files and connections by bytes, errors by errno.
///
/// Per-event work is array indexing and dictionary updates keyed by integers; strings are made only for socket
/// names (a connection's identity) and at report time.
public final class CaptureStatistics {
    /// Latencies above this are clamped (an hour, in ns): a histogram must have a bound.
    public static let maxTrackedLatencyNs: UInt64 = 3_600_000_000_000

    /// Counters of one event type.
    struct TypeStats {
        var count: UInt64 = 0
        var errors: UInt64 = 0
        var totalNs: UInt64 = 0
        var timed: UInt64 = 0
        var minNs: UInt64 = .max
        var maxNs: UInt64 = 0
        var histogram: Histogram<UInt64>?
    }

    /// Counters of one process.
    struct ProcessStats {
        var comm = ""
        var exe = ""
        var events: UInt64 = 0
        var errors: UInt64 = 0
        var bytesRead: UInt64 = 0
        var bytesWritten: UInt64 = 0
        var syscallNs: UInt64 = 0
    }

    /// Counters of one file or connection.
    struct IOStats {
        var bytesRead: UInt64 = 0
        var bytesWritten: UInt64 = 0
        var reads: UInt64 = 0
        var writes: UInt64 = 0
        var pids = Set<UInt32>()
        /// The last pid inserted, so a run of I/O by one process costs no set lookup.
        var lastPid: UInt32 = 0
    }

    /// A file is keyed by its path-pool id (no string per event); a socket by its rendered name.
    enum IOKey: Hashable {
        case path(Int32)
        case name(String)
    }

    let arch: SyscallArch
    @exclusivity(unchecked)
    private(set) var byType: [TypeStats]
    @exclusivity(unchecked)
    private(set) var unknownSyscalls: [Int: TypeStats] = [:]
    /// Processes in first-seen order; `processIndex` maps a pid to its row. The last row used is cached because
    /// consecutive events mostly come from the same process.
    @exclusivity(unchecked)
    private(set) var processRows: [ProcessStats] = []
    @exclusivity(unchecked)
    private var processPids: [UInt32] = []
    @exclusivity(unchecked)
    private var processIndex: [UInt32: Int] = [:]
    @exclusivity(unchecked)
    private var lastPid: UInt32 = 0, lastProcessRow = -1
    @exclusivity(unchecked)
    private(set) var files: [IOKey: IOStats] = [:]
    @exclusivity(unchecked)
    private(set) var connections: [IOKey: IOStats] = [:]
    @exclusivity(unchecked)
    private(set) var errnos: [Int: UInt64] = [:]
    @exclusivity(unchecked)
    private(set) var errnoByType: [Int: [Int: UInt64]] = [:]
    /// Events per category, indexed like `EventCategory.allCases` (an array: no hashing per event).
    @exclusivity(unchecked)
    private(set) var categories = [UInt64](repeating: 0, count: EventCategory.allCases.count)
    /// Events accumulated.
    @exclusivity(unchecked)
    public private(set) var eventCount: UInt64 = 0
    /// Syscall events accumulated.
    @exclusivity(unchecked)
    public private(set) var syscallCount: UInt64 = 0
    /// Syscall events whose entry was not seen (no latency).
    @exclusivity(unchecked)
    public private(set) var untimedSyscalls: UInt64 = 0
    /// Boot-time ns of the first and last event accumulated.
    @exclusivity(unchecked)
    public private(set) var firstNs: UInt64 = .max, lastNs: UInt64 = 0
    private let ioFlags: [EventFlags]
    private let categoryOf: [Int]

    /// Statistics for a capture recorded on `machine` (`uname -m`; x86_64 numbering when unknown).
    public init(machine: String) {
        arch = SyscallArch(machine: machine) ?? .x86_64
        byType = [TypeStats](repeating: TypeStats(), count: EventTable.all.count)
        ioFlags = EventTable.all.map { $0.flags }
        categoryOf = EventTable.all.map { row in EventCategory.allCases.firstIndex(of: row.category)! }
    }

    /// Adds one event.
    public func add(_ event: Event) {
        eventCount &+= 1
        let ts = event.timestampNs
        if ts < firstNs { firstNs = ts }
        if ts > lastNs { lastNs = ts }
        // A sysdig capture's entry events: the exit counts the syscall, with its result and latency.
        if event.isEntry && event.kind == .syscall { return }

        let id: Int?
        switch event.kind {
        case .syscall: id = EventTable.id(syscall: Int(event.syscallNumber), arch: arch)
        case .procfork: id = EventTable.id(record: .procFork)
        case .procexec: id = EventTable.id(record: .procExec)
        case .procexit: id = EventTable.id(record: .procExit)
        case .signal: id = EventTable.id(record: .signal)
        }
        let failed = event.failed
        let latency = event.latencyNs
        let pid = event.pid

        let row: Int
        if pid == lastPid && lastProcessRow >= 0 {
            row = lastProcessRow
        } else if let r = processIndex[pid] {
            row = r
        } else {
            row = processRows.count
            processRows.append(ProcessStats())
            processPids.append(pid)
            processIndex[pid] = row
        }
        lastPid = pid
        lastProcessRow = row
        if processRows[row].comm.isEmpty || event.kind == .procexec { processRows[row].comm = event.thread.comm }
        if processRows[row].exe.isEmpty || event.kind == .procexec { processRows[row].exe = event.process.exe }
        count(event, id: id, failed: failed, latency: latency, pid: pid, into: &processRows[row])
    }

    private func count(_ event: Event, id: Int?, failed: Bool, latency: UInt64?, pid: UInt32,
                       into p: inout ProcessStats) {
        p.events &+= 1

        if event.kind == .syscall {
            syscallCount &+= 1
            if latency == nil { untimedSyscalls &+= 1 }
            if let l = latency { p.syscallNs &+= l }
            if failed {
                p.errors &+= 1
                let e = Int(-event.result)
                errnos[e, default: 0] &+= 1
                errnoByType[e, default: [:]][id ?? -Int(event.syscallNumber) - 1, default: 0] &+= 1
            }
        }

        if let id {
            Self.bump(&byType[id], failed: failed, latency: latency)
            categories[categoryOf[id]] &+= 1
            let flags = ioFlags[id]
            if let (bytes, isRead) = Self.transferred(event, flags: flags) {
                if isRead { p.bytesRead &+= bytes } else { p.bytesWritten &+= bytes }
                if let entry = event.fdEntry {
                    let key: IOKey? = entry.isSocket
                        ? event.fdName.map { IOKey.name($0) }
                        : (entry.name >= 0 ? .path(entry.name) : event.fdName.map { IOKey.name($0) })
                    if let key {
                        if entry.isSocket {
                            Self.addIO(&connections[key, default: IOStats()], bytes: bytes, read: isRead, pid: pid)
                        } else {
                            Self.addIO(&files[key, default: IOStats()], bytes: bytes, read: isRead, pid: pid)
                        }
                    }
                }
            }
        } else {
            Self.bump(&unknownSyscalls[Int(event.syscallNumber), default: TypeStats()], failed: failed, latency: latency)
            categories[EventCategory.allCases.firstIndex(of: .other)!] &+= 1
        }
    }

    /// Bytes a successful I/O syscall moved, and whether it read them; nil for any other event. The one
    /// rule for "bytes" in `kcap stats` and its `--by` groups.
    @inline(__always)
    static func transferred(_ event: Event, flags: EventFlags) -> (bytes: UInt64, isRead: Bool)? {
        guard event.kind == .syscall, !event.failed, event.result > 0, !flags.isDisjoint(with: [.isIORead, .isIOWrite]) else {
            return nil
        }
        return (UInt64(event.result), flags.contains(.isIORead))
    }

    private static func bump(_ s: inout TypeStats, failed: Bool, latency: UInt64?) {
        s.count &+= 1
        if failed { s.errors &+= 1 }
        guard let l = latency else { return }
        let (sum, overflow) = s.totalNs.addingReportingOverflow(l)
        s.totalNs = overflow ? .max : sum  // saturates: a hostile latency must not wrap the sum
        s.timed &+= 1
        if l < s.minNs { s.minNs = l }
        if l > s.maxNs { s.maxNs = l }
        if s.histogram == nil {
            s.histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: maxTrackedLatencyNs,
                                            numberOfSignificantValueDigits: .two)
        }
        _ = s.histogram!.record(Swift.min(Swift.max(l, 1), maxTrackedLatencyNs))
    }

    private static func addIO(_ s: inout IOStats, bytes: UInt64, read: Bool, pid: UInt32) {
        if read {
            s.bytesRead &+= bytes
            s.reads &+= 1
        } else {
            s.bytesWritten &+= bytes
            s.writes &+= 1
        }
        if pid != s.lastPid || s.pids.isEmpty {
            s.lastPid = pid
            if s.pids.count < 64 { s.pids.insert(pid) }
        }
    }

    /// The report: top `limit` rows of every table, sorted deterministically (value, then name).
    /// `resolvePath` turns a path-pool id into its string (the engine's pool).
    public func report(limit: Int = 10, counters: CaptureCounters? = nil,
                       resolvePath: (Int32) -> String) -> StatisticsReport {
        var syscalls: [StatisticsReport.SyscallRow] = []
        func row(_ name: String, _ category: String, _ s: TypeStats) -> StatisticsReport.SyscallRow {
            var pct: StatisticsReport.Percentiles?
            if let h = s.histogram, h.totalCount > 0 {
                // The histogram reports a bucket's upper edge; clamping to the exact extremes keeps p50 <= max.
                func at(_ p: Double) -> UInt64 { Swift.max(s.minNs, Swift.min(h.valueAtPercentile(p), s.maxNs)) }
                pct = .init(p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max: s.maxNs)
            }
            return .init(name: name, category: category, count: s.count, errors: s.errors, totalNs: s.totalNs,
                         timedCount: s.timed, meanNs: s.timed == 0 ? nil : s.totalNs / s.timed, latencyNs: pct)
        }
        var processEvents: [String: UInt64] = [:]
        for (i, s) in byType.enumerated() where s.count > 0 {
            let info = EventTable.all[i]
            if info.isSyscall {
                syscalls.append(row(info.name, info.category.rawValue, s))
            } else {
                processEvents[info.name] = s.count
            }
        }
        for (nr, s) in unknownSyscalls { syscalls.append(row(EventTable.unknownSyscallName(nr), "other", s)) }

        // Byte counts are sums of results read from the file: a hostile capture can make them near 2^64.
        func total(_ a: UInt64, _ b: UInt64) -> UInt64 {
            let (sum, overflow) = a.addingReportingOverflow(b)
            return overflow ? .max : sum
        }
        let byCount = syscalls.sorted { ($0.count, $1.name) > ($1.count, $0.name) }
        let byTime = syscalls.filter { $0.totalNs > 0 }.sorted { ($0.totalNs, $1.name) > ($1.totalNs, $0.name) }

        let procs = zip(processPids, processRows).map { pid, p in
            StatisticsReport.ProcessRow(pid: pid, comm: p.comm, exe: p.exe, events: p.events, errors: p.errors,
                                        bytesRead: p.bytesRead, bytesWritten: p.bytesWritten, syscallNs: p.syscallNs)
        }
        let procsByBytes = procs.filter { total($0.bytesRead, $0.bytesWritten) > 0 }.sorted {
            (total($0.bytesRead, $0.bytesWritten), $1.pid) > (total($1.bytesRead, $1.bytesWritten), $0.pid)
        }
        let procsByEvents = procs.sorted { ($0.events, $1.pid) > ($1.events, $0.pid) }

        func ioRows(_ table: [IOKey: IOStats]) -> [StatisticsReport.IORow] {
            table.map { key, s in
                let name: String
                switch key {
                case let .path(id): name = resolvePath(id)
                case let .name(n): name = n
                }
                return StatisticsReport.IORow(name: name, bytesRead: s.bytesRead, bytesWritten: s.bytesWritten,
                                              reads: s.reads, writes: s.writes, pids: s.pids.sorted())
            }.sorted { (total($0.bytesRead, $0.bytesWritten), $1.name) > (total($1.bytesRead, $1.bytesWritten), $0.name) }
        }

        let errors = errnos.map { e, n -> StatisticsReport.ErrorRow in
            let top = (errnoByType[e] ?? [:]).map { id, c -> (String, UInt64) in
                (id >= 0 ? EventTable.all[id].name : EventTable.unknownSyscallName(-id - 1), c)
            }.sorted { ($0.1, $1.0) > ($1.1, $0.0) }.prefix(3).map { "\($0.0)(\($0.1))" }
            return .init(errno: e, name: ArgFormatter.errnoName(e) ?? "E\(e)", count: n, syscalls: top)
        }.sorted { ($0.count, $1.errno) > ($1.count, $0.errno) }

        let cats = EventCategory.allCases.enumerated().compactMap { i, c -> StatisticsReport.CategoryRow? in
            categories[i] == 0 ? nil : .init(category: c.rawValue, count: categories[i])
        }

        var drops: StatisticsReport.Drops?
        if let c = counters {
            drops = .init(eventsSeen: c.eventsSeen, eventsWritten: c.eventsWritten, dropped: c.eventsDropped,
                          ringFull: c.dropRingFull, tooLarge: c.dropTooLarge, readFailures: c.dropReadFail,
                          writerQueueFull: c.dropUserQueue)
        }
        return StatisticsReport(
            events: eventCount, syscalls: syscallCount, untimedSyscalls: untimedSyscalls,
            durationNs: eventCount == 0 ? 0 : lastNs - firstNs, processCount: processRows.count,
            processEvents: processEvents,
            categories: cats,
            topSyscallsByCount: Array(byCount.prefix(limit)), topSyscallsByTime: Array(byTime.prefix(limit)),
            topProcessesByBytes: Array(procsByBytes.prefix(limit)), topProcessesByEvents: Array(procsByEvents.prefix(limit)),
            topFiles: Array(ioRows(files).prefix(limit)), topConnections: Array(ioRows(connections).prefix(limit)),
            errors: Array(errors.prefix(limit)), drops: drops)
    }
}
