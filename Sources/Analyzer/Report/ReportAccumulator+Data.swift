import CaptureFormat
import EventSchema

/// The facts of the captures a report is made of that the events do not carry (the caller reads them from
/// the files: headers, counters blocks, snapshot index entries).
public struct ReportCaptureFacts {
    /// The files.
    public var files: [ReportData.File]
    /// Every counters block of every file (cumulative totals at their times), in any order.
    public var counters: [CaptureCounters]
    /// The recording's totals.
    public var lastCounters: CaptureCounters?
    /// Boot-time ns of every snapshot.
    public var snapshotsNs: [UInt64]
    /// Boot-time ns of the first and last event of the captures, nil when they hold none.
    public var timeRange: (first: UInt64, last: UInt64)?
    /// Wall-clock ns = boot-time ns + this.
    public var realtimeOffsetNs: Int64

    /// The facts as given.
    public init(files: [ReportData.File], counters: [CaptureCounters], lastCounters: CaptureCounters?,
                snapshotsNs: [UInt64], timeRange: (first: UInt64, last: UInt64)?, realtimeOffsetNs: Int64) {
        self.files = files
        self.counters = counters
        self.lastCounters = lastCounters
        self.snapshotsNs = snapshotsNs
        self.timeRange = timeRange
        self.realtimeOffsetNs = realtimeOffsetNs
    }

    /// The facts of kcap capture files (header, size, counters, snapshots, problems).
    public init(readers: [CaptureReader]) {
        var files: [ReportData.File] = []
        var counters: [CaptureCounters] = []
        var snapshots: [UInt64] = []
        for r in readers {
            let h = r.header
            files.append(.init(path: r.path, format: "kcap \(r.majorVersion).\(r.minorVersion)",
                               hostname: h.hostname, kernel: h.kernelRelease, machine: h.machine, cpus: h.cpuCount,
                               bytes: r.fileSize, recordedCommand: h.recorder["command"] ?? "",
                               problems: r.problems.map(\.description) + r.omittedProblemLines))
            try? r.forEachCounters { counters.append($0) }
            snapshots += r.index.filter { $0.type == .snapshot }.map(\.firstTimestampNs)
        }
        let source = try? CaptureSetSource(readers: readers)
        self.init(files: files, counters: counters, lastCounters: source?.lastCounters(), snapshotsNs: snapshots,
                  timeRange: source?.timeRange, realtimeOffsetNs: source?.realtimeOffsetNs ?? 0)
    }
}

extension ReportAccumulator {
    /// The boot-time start and end of the time axis for `facts` and a window (`--since`/`--until`).
    public static func axis(facts: ReportCaptureFacts, windowStart: UInt64?, windowEnd: UInt64) -> (start: UInt64, end: UInt64?) {
        let start = windowStart ?? facts.timeRange?.first ?? 0
        var end = facts.timeRange?.last
        if windowEnd != .max { end = Swift.min(end ?? windowEnd, windowEnd) }
        return (start, end.map { Swift.max($0, start) })
    }

    /// The report's data: the accumulated figures, `facts`, and the query that selected them. `inFlight`: the
    /// syscalls in flight at the end (nil with a filter or `--until`, as `kcap stats` shows them).
    public func data(facts: ReportCaptureFacts, paths: [String], filter: String, since: String?, until: String?,
                     windowStart: UInt64?, windowEnd: UInt64, inFlight: [StatisticsReport.InFlightRow]?,
                     entryEvents: Bool = false) -> ReportData {
        let resolve: (Int32) -> String = { [engine] in engine.paths.string($0) }
        var stats = statistics.report(limit: limits.tableRows, counters: facts.lastCounters, resolvePath: resolve)
        stats.inFlightAtEnd = nil
        let offset = facts.realtimeOffsetNs

        // Drops: each counters block's increase over the one before (of any file: a rotated file's counters
        // are the recording's running totals, so the files' blocks are one series by time).
        var marks: [ReportData.DropMark] = []
        var previous = CaptureCounters(timestampNs: facts.timeRange?.first ?? originNs)
        for c in facts.counters.sorted(by: { $0.timestampNs < $1.timestampNs }) {
            func more(_ a: UInt64, _ b: UInt64) -> UInt64 { a >= b ? a - b : a }  // a new recording starts again
            let mark = ReportData.DropMark(atNs: relative(c.timestampNs), sinceNs: relative(previous.timestampNs),
                                           ringFull: more(c.dropRingFull, previous.dropRingFull),
                                           tooLarge: more(c.dropTooLarge, previous.dropTooLarge),
                                           writerQueueFull: more(c.dropUserQueue, previous.dropUserQueue),
                                           readFailures: more(c.dropReadFail, previous.dropReadFail))
            if mark.ringFull + mark.tooLarge + mark.writerQueueFull + mark.readFailures > 0 { marks.append(mark) }
            previous = c
        }
        let capture = ReportData.Capture(
            files: facts.files,
            hosts: Array(Set(facts.files.map(\.hostname).filter { !$0.isEmpty })).sorted(),
            kernels: Array(Set(facts.files.map(\.kernel).filter { !$0.isEmpty })).sorted(),
            originNs: originNs,
            originWall: .init(epochNs: wallClock(bootNs: originNs, offsetNs: offset)),
            endNs: relative(facts.timeRange?.last ?? originNs),
            drops: stats.drops, dropMarks: marks,
            snapshotsNs: facts.snapshotsNs.sorted().map(relative))

        let query = ReportData.Query(paths: paths, filter: filter, since: since, until: until,
                                     windowStartNs: windowStart.map(relative),
                                     windowEndNs: windowEnd == .max ? nil : relative(windowEnd), entryEvents: entryEvents)
        return ReportData(query: query, capture: capture, stats: stats, timeline: timeline(stats),
                          heatmap: heatmap(stats), processes: processes(inFlight: inFlight),
                          errorsByProcess: errorsByProcess(), events: representativeEvents())
    }

    private func timeline(_ stats: StatisticsReport) -> ReportData.Timeline {
        let n = Swift.max(axis.used, 1)
        var rest = Array(total.prefix(n))
        var series: [ReportData.Series] = []
        // The busiest processes by `kcap stats`' order (events, then pid), from every process's row.
        let byEvents = rows.filter { $0.events > 0 }.sorted { ($0.events, $1.pid) > ($1.events, $0.pid) }
        for row in byEvents.prefix(limits.timelineProcesses) {
            var counts = [UInt64](repeating: 0, count: n)
            for v in row.series {
                let b = Int(v >> 40)
                if b < n { counts[b] &+= v & ((UInt64(1) << 40) - 1) }
            }
            for i in 0..<n { rest[i] = rest[i] >= counts[i] ? rest[i] - counts[i] : 0 }
            let comm = stats.topProcessesByEvents.first { $0.pid == row.pid }?.comm ?? lifetimes[row.lifetime].comm
            series.append(.init(pid: row.pid, comm: comm, counts: counts))
        }
        return .init(startNs: relative(axis.startNs), bucketNs: axis.widthNs, buckets: n, total: Array(total.prefix(n)),
                     errors: Array(errors.prefix(n)), series: series, rest: rest)
    }

    private func heatmap(_ stats: StatisticsReport) -> ReportData.Heatmap {
        let n = Swift.max(axis.used, 1), l = Self.latencyBuckets
        struct Candidate { var id: Int; var name: String; var count: UInt64; var totalNs: UInt64 }
        var candidates: [Candidate] = []
        for id in heat.indices where !heat[id].isEmpty {
            let s = statistics.byType[id]
            candidates.append(.init(id: id, name: EventTable.all[id].name, count: s.count, totalNs: s.totalNs))
        }
        // Half by total time, half by count, then all by total time.
        let half = limits.heatmapSyscalls / 2
        let byTime = candidates.sorted { ($0.totalNs, $1.name) > ($1.totalNs, $0.name) }
        let byCount = candidates.sorted { ($0.count, $1.name) > ($1.count, $0.name) }
        var chosen: [Candidate] = Array(byTime.prefix(half))
        for c in byCount where chosen.count < limits.heatmapSyscalls && !chosen.contains(where: { $0.id == c.id }) {
            chosen.append(c)
        }
        for c in byTime where chosen.count < limits.heatmapSyscalls && !chosen.contains(where: { $0.id == c.id }) {
            chosen.append(c)
        }
        chosen.sort { ($0.totalNs, $1.name) > ($1.totalNs, $0.name) }
        let rows = chosen.map { c -> ReportData.HeatRow in
            var cells: [[UInt64]] = []
            let h = heat[c.id]
            for b in 0..<n {
                for k in 0..<l where h[b * l + k] > 0 { cells.append([UInt64(b), UInt64(k), h[b * l + k]]) }
            }
            return .init(name: c.name, count: c.count, totalNs: c.totalNs, cells: cells)
        }
        return .init(latencyBoundsNs: Self.latencyBounds, syscalls: rows)
    }

    private func processes(inFlight: [StatisticsReport.InFlightRow]?) -> ReportData.Processes {
        var all = lifetimes
        // Processes the engine still holds that no event of the window named (a snapshot listed them).
        let seen = Set(rows.map(\.pid))
        for p in engine.threads.allProcesses where !seen.contains(p.pid) {
            all.append(Lifetime(pid: p.pid, ppid: p.ppid, comm: engine.threads.thread(p.pid)?.comm ?? "", exe: p.exe,
                                args: p.args, startNs: p.startTimeNs == 0 ? nil : p.startTimeNs))
        }
        // Keep the busiest lifetimes and their ancestors (the latest lifetime of the parent pid started before).
        var keep = Set<Int>()
        let order = all.indices.sorted { (all[$0].events, all[$1].pid, $1) > (all[$1].events, all[$0].pid, $0) }
        var latestByPid: [UInt32: [Int]] = [:]
        for i in all.indices { latestByPid[all[i].pid, default: []].append(i) }
        func parent(of i: Int) -> Int? {
            guard let candidates = latestByPid[all[i].ppid] else { return nil }
            let start = all[i].startNs ?? 0
            return candidates.last { ($0 != i) && (all[$0].startNs ?? 0) <= start } ?? candidates.first { $0 != i }
        }
        for i in order {
            if keep.count >= limits.processes { break }
            var j: Int? = i
            var depth = 0
            while let k = j, !keep.contains(k), depth < 64 {
                keep.insert(k)
                j = parent(of: k)
                depth += 1
            }
        }
        let kept = keep.sorted { a, b in
            let (sa, sb) = (all[a].startNs ?? 0, all[b].startNs ?? 0)
            return sa != sb ? sa < sb : (all[a].pid != all[b].pid ? all[a].pid < all[b].pid : a < b)
        }
        let rows = kept.map { i -> ReportData.ProcessRow in
            let l = all[i]
            var cmd = l.args.joined(separator: " ")
            if cmd.utf8.count > 200 { cmd = String(decoding: Array(cmd.utf8.prefix(200)), as: UTF8.self) + "…" }
            return .init(pid: l.pid, ppid: l.ppid, comm: l.comm, exe: l.exe, cmdline: cmd, startNs: l.startNs.map(relative),
                         execNs: l.execNs.map(relative), exitNs: l.exitNs.map(relative), exitStatus: l.exitStatus,
                         exitSignal: l.exitSignal, events: l.events, errors: l.errors,
                         firstNs: l.events == 0 ? nil : relative(l.firstNs), lastNs: l.events == 0 ? nil : relative(l.lastNs))
        }
        let calls = inFlight.map { $0.map { r in
            ReportData.InFlightRow(tid: r.tid, pid: r.pid, comm: r.comm, syscall: r.syscall, on: r.on,
                                   enteredNs: r.enteredNs.map(relative), blockedNs: r.blockedNs)
        } }
        return .init(rows: rows, omitted: all.count - rows.count, inFlightAtEnd: calls)
    }

    private func errorsByProcess() -> [ReportData.ProcessErrorRow] {
        var comms: [UInt32: String] = [:]
        for r in rows { comms[r.pid] = lifetimes[r.lifetime].comm }
        return errnosByPid.map { key, n in
            let pid = UInt32(key >> 32), errno = Int(Int32(bitPattern: UInt32(truncatingIfNeeded: key)))
            return ReportData.ProcessErrorRow(pid: pid, comm: comms[pid] ?? "", errno: errno,
                                              name: ArgFormatter.errnoName(errno) ?? "E\(errno)", count: n)
        }.sorted { ($0.count, $1.pid, $1.errno) > ($1.count, $0.pid, $0.errno) }.prefix(limits.tableRows).map { $0 }
    }

    private func representativeEvents() -> ReportData.RepresentativeEvents {
        let slow = slowest.flatMap { $0 }.sorted { ($0.latency, $1.number) > ($1.latency, $0.number) }
            .prefix(limits.slowest).map(\.row)
        let failed = failures.sorted { $0.number < $1.number }.map(\.row)
        return .init(slowest: slow, failures: failed)
    }
}
