import CaptureFormat

/// Several captures read as one (`kcap read a.kcap b.kcap …`): a rotation ring given in any order, or files
/// whose times overlap, handed to one engine as one stream, merged by timestamp. The engine's state carries
/// from file to file, so a file that starts without a snapshot (or a process that started in an earlier file)
/// still shows its names.
///
/// The merge is by chunk where it can be: while the current chunk of the earliest file ends before anything
/// else is due, its records go straight through (a rotation ring never compares a timestamp per record); only
/// where files overlap is each record's timestamp compared with the next one due from another file. A set of
/// one file is that file's own source (`CaptureFileSource`), unchanged.
public struct CaptureSetSource: WindowedRecordSource {
    /// The files, ordered by their first event (files without events last), then by path.
    public let files: [CaptureFileSource]
    /// Start of the replay (boot-time ns): each file is read from its last snapshot at or before it, every
    /// chunk after that included, so the state at `startNs` and later is what a replay from the start gives
    /// (the records before `startNs` are the sink's to drop). Nil from the start.
    public var startNs: UInt64?

    /// Why captures cannot be read together.
    public struct SetError: Error, CustomStringConvertible {
        /// One line for the user.
        public let description: String
    }

    /// A source over `readers`' captures, from the start. Throws `SetError` for no captures, and for captures
    /// of different machines (their syscall numbers differ: read them one at a time).
    public init(readers: [CaptureReader], from startNs: UInt64? = nil) throws(SetError) {
        guard !readers.isEmpty else { throw SetError(description: "no capture to read: give at least one file") }
        let sources = readers.map { CaptureFileSource(reader: $0) }
        if let other = sources.first(where: { $0.machine != sources[0].machine }) {
            throw SetError(description: "\(sources[0].reader.path) was recorded on \(sources[0].machine) and \(other.reader.path) on \(other.machine): read captures of different machine kinds one at a time")
        }
        files = sources.sorted { a, b in
            let fa = a.timeRange?.first ?? .max, fb = b.timeRange?.first ?? .max
            return fa != fb ? fa < fb : a.reader.path < b.reader.path
        }
        self.startNs = startNs
        // Hosts: a file's host is the one of an earlier file with the same name and boot clock (a rotation
        // ring), else a new one; a merged capture brings its own list.
        var hosts: [CaptureHost] = []
        var maps: [[Int]] = []
        for f in files {
            maps.append(f.hosts.map { h in
                if let k = hosts.firstIndex(where: { $0.hostname == h.hostname
                    && ($0.bootTimeRealtimeOffsetNs - h.bootTimeRealtimeOffsetNs).magnitude <= 1_000_000_000 }) { return k }
                hosts.append(h)
                return hosts.count - 1
            })
        }
        self.hosts = hosts
        hostMaps = maps
        // Several hosts: one clock, the earliest-booted host's (the smallest offset), so every shift is >= 0.
        // A host's files take its first file's offset (a rotated file's header takes it again, a few ns off).
        if hosts.count > 1 {
            let clock = files.map(\.realtimeOffsetNs).min() ?? 0
            clockOffsetNs = clock
            shifts = files.enumerated().map { i, f in
                let offset = f.holdsHosts ? f.realtimeOffsetNs : hosts[maps[i][0]].bootTimeRealtimeOffsetNs
                return UInt64(clamping: max(offset - clock, 0))
            }
        } else {
            clockOffsetNs = files[0].realtimeOffsetNs
            shifts = files.map { _ in 0 }
        }
    }

    /// The hosts of the set: one for a rotation ring, one per host for captures of several (each with its own
    /// clock offset).
    public let hosts: [CaptureHost]
    /// Each file's host numbers (its own, 0 for a capture of one host) as the set's.
    let hostMaps: [[Int]]
    /// What each file's timestamps gain to be on the set's clock (0 for one host).
    let shifts: [UInt64]
    /// The set's clock: wall-clock ns = the set's boot-time ns + this.
    let clockOffsetNs: Int64

    /// The hosts' names, by the numbers the set's receivers are switched to.
    public var hostNames: [String] { hosts.map(\.hostname) }

    /// The readers, in the set's order.
    public var readers: [CaptureReader] { files.map(\.reader) }

    /// The machine of the files (all the same).
    public var machine: String { files[0].machine }

    /// The earliest file's realtime offset (the files of one host share it); with several hosts, the
    /// earliest-booted host's, the clock every file's timestamps are moved to.
    public var realtimeOffsetNs: Int64 { clockOffsetNs }

    /// Boot-time ns of the first and last record over every file (nil when none holds an event), on the
    /// set's clock.
    public var timeRange: (first: UInt64, last: UInt64)? {
        let ranges = files.indices.compactMap { i in files[i].timeRange.map { (first: $0.first &+ shifts[i], last: $0.last &+ shifts[i]) } }
        guard let first = ranges.map(\.first).min(), let last = ranges.map(\.last).max() else { return nil }
        return (first, last)
    }

    /// The `--since`/`--until` window over the whole set (`TimeBound.window`).
    public func window(since: String?, until: String?) throws -> (start: UInt64?, end: UInt64) {
        try TimeBound.window(since: since, until: until, range: timeRange, realtimeOffsetNs: realtimeOffsetNs)
    }

    /// The recording's totals: the last counters of the latest file that has any (a rotated file's counters
    /// are the recording's running totals, so the files' counters are not added up).
    public func lastCounters() -> CaptureCounters? {
        files.reversed().lazy.compactMap { $0.lastCounters() }.first
    }

    /// Each file's drop warning, named by file when the set holds several.
    public func dropWarnings(timeText: (UInt64) -> String) -> [String] {
        files.compactMap { f in
            f.dropWarning(timeText: timeText).map { w in
                guard files.count > 1 else { return w }
                let text = w.hasPrefix("warning: ") ? String(w.dropFirst("warning: ".count)) : w
                return "warning: \(f.reader.path): \(text)"
            }
        }
    }

    /// The progress line of a long replay (nil: none).
    public var progress: ProgressMeter?

    /// Hands every file's snapshots and records to `receiver`, merged by timestamp.
    public mutating func feed<Receiver: RecordReceiver>(into receiver: inout Receiver) throws -> Bool {
        guard let meter = progress else { return try feedRecords(into: &receiver) }
        var counting = ProgressReceiver(inner: receiver, meter: meter)
        defer {
            receiver = counting.inner
            meter.finish()
        }
        return try feedRecords(into: &counting)
    }

    private mutating func feedRecords<Receiver: RecordReceiver>(into receiver: inout Receiver) throws -> Bool {
        if files.count == 1 {
            var only = files[0]
            only.startNs = startNs
            return try only.feed(into: &receiver)
        }
        let several = hosts.count > 1
        var lanes = files.indices.map { i in
            CaptureLane(reader: files[i].reader, startNs: startNs.map { $0 >= shifts[i] ? $0 - shifts[i] : 0 },
                        shiftNs: shifts[i], hostMap: several ? hostMaps[i] : nil)
        }
        // Numbering follows the files: events in chunks every file skipped by a time seek still count.
        let skipped = lanes.reduce(UInt64(0)) { $0 + $1.skippedRecords }
        if skipped > 0 { receiver.numberEvents(after: skipped) }
        for k in lanes.indices { try lanes[k].advance() }
        while true {
            // The lane due first (the earlier file on a tie), and when the next one is due.
            var best = -1
            var bestHead = UInt64.max, nextHead = UInt64.max
            for k in lanes.indices where !lanes[k].isDone {
                let h = lanes[k].head
                if best < 0 || h < bestHead {
                    if best >= 0 { nextHead = bestHead }
                    best = k
                    bestHead = h
                } else if h < nextHead {
                    nextHead = h
                }
            }
            guard best >= 0 else { return true }
            if !(try lanes[best].feed(into: &receiver, until: nextHead)) { return false }
        }
    }
}
