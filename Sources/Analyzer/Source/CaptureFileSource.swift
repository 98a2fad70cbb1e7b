import CaptureFormat

/// The file source: a capture's blocks in order, from the last snapshot at or before `startNs` (chunks before
/// that snapshot are skipped unread; every chunk after it is replayed, so the state at `startNs` is exact),
/// with what else the file tells: its time range, the `--since`/`--until` window, the recorder's counters and
/// drops.
public struct CaptureFileSource: WindowedRecordSource {
    /// The file.
    public let reader: CaptureReader
    /// Start of the replay (boot-time ns): feeding begins at the last snapshot at or before it. Nil from the start.
    public var startNs: UInt64?

    /// A source reading `reader`'s capture from the start.
    public init(reader: CaptureReader, from startNs: UInt64? = nil) {
        self.reader = reader
        self.startNs = startNs
    }

    /// The header's machine; x86_64 for a capture that names none.
    public var machine: String { reader.header.machine.isEmpty ? "x86_64" : reader.header.machine }

    /// The header's realtime offset.
    public var realtimeOffsetNs: Int64 { reader.header.bootTimeRealtimeOffsetNs }

    /// The header's host, or the hosts of a capture merged from several (format 1.3).
    public var hostNames: [String] {
        let h = reader.header
        return h.hosts.isEmpty ? [h.hostname] : h.hosts.map(\.hostname)
    }

    /// The hosts of the capture as `CaptureHost`s (one, from the header, for a capture of one host).
    public var hosts: [CaptureHost] {
        let h = reader.header
        return h.hosts.isEmpty
            ? [CaptureHost(hostname: h.hostname, kernelRelease: h.kernelRelease, cpuCount: h.cpuCount,
                           bootTimeRealtimeOffsetNs: h.bootTimeRealtimeOffsetNs)]
            : h.hosts
    }

    /// True for a capture merged from several hosts: its records and snapshots say whose they are.
    public var holdsHosts: Bool { reader.header.hosts.count > 1 }

    /// The progress line of a long replay (nil: none).
    public var progress: ProgressMeter?

    /// Hands every block from `startNs` on to `receiver` until it stops; counters blocks are not records
    /// (read them with `counters()`).
    public func feed<Receiver: RecordReceiver>(into receiver: inout Receiver) throws -> Bool {
        guard let meter = progress else { return try feedBlocks(into: &receiver) }
        var counting = ProgressReceiver(inner: receiver, meter: meter)
        defer {
            receiver = counting.inner
            meter.finish()
        }
        return try feedBlocks(into: &counting)
    }

    private func feedBlocks<Receiver: RecordReceiver>(into receiver: inout Receiver) throws -> Bool {
        let reader = self.reader
        let multiHost = holdsHosts
        var numbered = false
        // From the last snapshot at or before startNs, every block: the chunks between that snapshot and
        // startNs hold state changes (an exec, an open) the events after startNs are named by. (A
        // `forEachBlock(from:)` walk skips them: right for reading chunks, wrong for a replay.)
        var i = startNs.map { reader.keyframeBlock(atOrBefore: $0, hosts: reader.header.hosts.count) } ?? 0
        while i < reader.index.count {
            defer { i += 1 }
            guard let block = try reader.block(at: i) else { continue }
            if case .events(let view) = block, !numbered {
                // Numbering follows the file: events in chunks skipped by a time seek still count.
                let skipped = reader.index[..<min(view.blockIndex, reader.index.count)]
                    .filter { $0.type == .events }.reduce(UInt64(0)) { $0 + UInt64($1.recordCount) }
                receiver.numberEvents(after: skipped)
                numbered = true
            }
            if multiHost {
                if !receiver.take(block, hostMap: { Int($0) }) { return false }
            } else if !receiver.take(block) { return false }
        }
        return true
    }

    /// Boot-time ns of the first and last record, from the block index (nil for a capture with no events).
    public var timeRange: (first: UInt64, last: UInt64)? {
        // A chunk whose range is inverted is skipped by the reader (and reported), so it bounds nothing here.
        let events = reader.index.filter { $0.type == .events && $0.recordCount > 0 && $0.firstTimestampNs <= $0.lastTimestampNs }
        guard let first = events.map(\.firstTimestampNs).min(), let last = events.map(\.lastTimestampNs).max() else { return nil }
        return (first, last)
    }

    /// The boot-time window that `--since`/`--until` texts (TimeBound forms) select in this capture: nil start
    /// means from the beginning, `.max` end means to the end. Throws `TimeBound`'s one-line error on bad text,
    /// and on a since point after the until point.
    public func window(since: String?, until: String?) throws -> (start: UInt64?, end: UInt64) {
        try TimeBound.window(since: since, until: until, range: timeRange, realtimeOffsetNs: reader.header.bootTimeRealtimeOffsetNs)
    }

    /// Every counters block of the capture that reads intact (cumulative totals at their timestamps), oldest
    /// first, read by the reader (`CaptureReader.forEachCounters`). Holds them all: `lastCounters()` and
    /// `dropWarning` read them one at a time.
    public func counters() -> [CaptureCounters] {
        var out: [CaptureCounters] = []
        try? reader.forEachCounters { out.append($0) }  // a read error keeps the blocks read before it
        return out
    }

    /// The last counters block that reads intact (the recording's totals), nil when there is none.
    public func lastCounters() -> CaptureCounters? {
        (try? reader.lastCounters()) ?? nil
    }

    /// One line saying how many events the recorder dropped and where, or nil when it dropped none.
    public func dropWarning(timeText: (UInt64) -> String) -> String? {
        // One pass over the counters blocks, one at a time: the last one (the totals), and the first one with
        // drops with the timestamp before it (the previous counters block, or the first record).
        var previous: UInt64? = timeRange?.first
        var firstDropSeen: (from: UInt64?, to: UInt64)? = nil
        var lastSeen: CaptureCounters? = nil
        try? reader.forEachCounters { c in  // a read error keeps the blocks read before it
            if firstDropSeen == nil {
                if c.eventsDropped > 0 { firstDropSeen = (previous, c.timestampNs) } else { previous = c.timestampNs }
            }
            lastSeen = c
        }
        guard let last = lastSeen, last.eventsDropped > 0 else { return nil }
        let firstDrop = firstDropSeen ?? (nil, last.timestampNs)
        var reasons: [String] = []
        if last.dropRingFull > 0 { reasons.append("kernel buffer full: \(last.dropRingFull)") }
        if last.dropTooLarge > 0 { reasons.append("record too large: \(last.dropTooLarge)") }
        if last.dropUserQueue > 0 { reasons.append("writer queue full: \(last.dropUserQueue)") }
        let whereText = firstDrop.from.map { "first between \(timeText($0)) and \(timeText(firstDrop.to))" }
            ?? "first before \(timeText(firstDrop.to))"
        return "warning: the recorder dropped \(last.eventsDropped) of \(last.eventsSeen) events (\(reasons.joined(separator: ", "))), \(whereText); thread and fd state may be incomplete until the next snapshot"
    }
}

extension CaptureReader {
    /// Where a replay starts for the state at `ns` to be exact: the last snapshot at or before it; in a
    /// capture of several hosts (format 1.3), the earliest of each host's last snapshot at or before it (a
    /// snapshot holds one host's tables), found by reading the snapshots back from `ns` until every host was
    /// seen. The start of the file when there is none.
    public func keyframeBlock(atOrBefore ns: UInt64, hosts: Int) -> Int {
        guard hosts > 1 else { return keyframeBlock(atOrBefore: ns) }
        var seen = Set<UInt32>()
        for i in index.indices.reversed() where index[i].type == .snapshot && index[i].firstTimestampNs <= ns {
            guard case .snapshot(let s)? = try? block(at: i) else { continue }
            seen.insert(s.host ?? 0)
            if seen.count >= hosts { return i }
        }
        return 0
    }
}
