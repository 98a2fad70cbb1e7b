#if canImport(Glibc)
import Glibc
#endif

/// What a capture holds and whether it is intact: the facts `kcap info` prints. Built by one full walk.
public struct CaptureSummary: Codable, Sendable, Equatable {
    /// The file.
    public var path: String
    /// Its size in bytes.
    public var fileSize: UInt64
    /// "major.minor" format version.
    public var formatVersion: String
    /// True when the writer finished the file (footer and trailer present and valid).
    public var finished: Bool
    /// Host facts and recorder configuration.
    public var header: CaptureHeader
    /// Smallest record timestamp (boot-time ns), nil without events.
    public var firstTimestampNs: UInt64?
    /// Largest record timestamp (boot-time ns), nil without events.
    public var lastTimestampNs: UInt64?
    /// Event chunks read intact.
    public var eventChunks: Int
    /// Records in those chunks.
    public var records: UInt64
    /// Snapshot blocks read intact.
    public var snapshots: Int
    /// Counter blocks read intact.
    public var counterBlocks: Int
    /// Blocks of types this kcap does not know (skipped).
    public var unknownBlocks: Int
    /// Raw (uncompressed) bytes of the intact event chunks.
    public var rawEventBytes: UInt64
    /// Stored (compressed) bytes of the intact event chunks.
    public var storedEventBytes: UInt64
    /// The last counters block, nil when there is none.
    public var lastCounters: CaptureCounters?
    /// The integrity problems found, the first `StateLimits.problemsListedPerKind` of each kind.
    public var problems: [CaptureProblem]
    /// One line per kind of problems found past those listed ("N more problems of kind K"); empty when all are listed.
    public var omittedProblems: [String] = []
    /// Every problem found, listed or not.
    public var problemCount: Int = 0

    /// rawEventBytes / storedEventBytes, 0 when nothing is stored.
    public var compressionRatio: Double {
        storedEventBytes == 0 ? 0 : Double(rawEventBytes) / Double(storedEventBytes)
    }

    /// Wall-clock ns of a boot-time timestamp, through the header's realtime offset; saturated at the ends of
    /// Int64 (the offset comes from the file, so the sum may not fit).
    public func wallClockNs(_ bootNs: UInt64) -> Int64 {
        wallClock(bootNs: bootNs, offsetNs: header.bootTimeRealtimeOffsetNs)
    }
}

extension CaptureReader {
    /// Reads every block once (checking every checksum and record length) and sums up what is there.
    public func summarize() throws -> CaptureSummary {
        var s = CaptureSummary(path: path, fileSize: fileSize, formatVersion: "\(majorVersion).\(minorVersion)",
                               finished: isFinished, header: header, firstTimestampNs: nil, lastTimestampNs: nil,
                               eventChunks: 0, records: 0, snapshots: 0, counterBlocks: 0, unknownBlocks: 0,
                               rawEventBytes: 0, storedEventBytes: 0, lastCounters: nil, problems: [])
        let known: Set<BlockType> = [.header, .events, .snapshot, .counters, .footer]
        s.unknownBlocks = index.filter { !known.contains($0.type) }.count
        try forEachBlock { block in
            switch block {
            case .events(let view):
                s.eventChunks += 1
                s.records += UInt64(view.recordCount)
                let entry = index[view.blockIndex]
                // The records' bytes: a column-coded chunk's raw payload is its coding, not its records.
                let coded = entry.flags & CaptureFileFormat.flagColumns != 0
                s.rawEventBytes += coded ? UInt64(view.bytes.count) : UInt64(entry.rawLength)
                s.storedEventBytes += UInt64(entry.storedLength)
                if view.recordCount > 0 {
                    s.firstTimestampNs = min(s.firstTimestampNs ?? .max, view.firstTimestampNs)
                    s.lastTimestampNs = max(s.lastTimestampNs ?? 0, view.lastTimestampNs)
                }
            case .snapshot:
                s.snapshots += 1
            case .counters(let c):
                s.counterBlocks += 1
                s.lastCounters = c
            }
        }
        s.header = header
        s.problems = problems
        s.omittedProblems = omittedProblemLines
        s.problemCount = problemCount
        return s
    }
}

/// Wall-clock ns of boot-time `bootNs` with a realtime offset read from a file: the sum saturated at the ends
/// of Int64 instead of trapping or wrapping (a hostile offset must not crash or reorder time).
@inlinable
public func wallClock(bootNs: UInt64, offsetNs: Int64) -> Int64 {
    if offsetNs >= 0 {
        let (sum, overflow) = bootNs.addingReportingOverflow(UInt64(offsetNs))
        return overflow || sum > UInt64(Int64.max) ? .max : Int64(sum)
    }
    let back = offsetNs.magnitude
    if bootNs >= back { return Int64(min(bootNs - back, UInt64(Int64.max))) }
    return Int64(bitPattern: 0 &- (back - bootNs))  // back - bootNs <= 2^63: fits as a negative Int64
}

/// Formats wall-clock nanoseconds as UTC ISO 8601 with nanoseconds ("2026-11-22T00:16:48.123456789Z").
/// Every Int64 has a date (years 1677 to 2262), so this never fails.
public func formatWallClock(ns: Int64) -> String {
    var secs = time_t(ns / 1_000_000_000)
    var frac = ns % 1_000_000_000
    if frac < 0 { frac += 1_000_000_000; secs -= 1 }
    var tm = tm()
    if gmtime_r(&secs, &tm) == nil { return "\(ns) ns since the epoch" }
    func pad(_ v: Int, _ w: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, w - s.count)) + s
    }
    return "\(pad(Int(tm.tm_year) + 1900, 4))-\(pad(Int(tm.tm_mon) + 1, 2))-\(pad(Int(tm.tm_mday), 2))T"
        + "\(pad(Int(tm.tm_hour), 2)):\(pad(Int(tm.tm_min), 2)):\(pad(Int(tm.tm_sec), 2)).\(pad(Int(frac), 9))Z"
}
