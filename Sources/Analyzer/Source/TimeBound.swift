import CaptureFormat
import EventSchema

/// A `--since`/`--until` bound: an offset from the capture's start (`+2s`) or end (`-5s`), or a wall-clock
/// time (ISO-8601 `2026-11-22T10:00:00.5Z`, with an optional `+hh:mm` zone, or a bare `10:00:00.5` on the
/// capture's first day, UTC).
public enum TimeBound: Equatable, Sendable {
    /// ns after the first event.
    case fromStart(Int64)
    /// ns before the last event.
    case fromEnd(Int64)
    /// Wall-clock ns since the epoch.
    case wallClock(Int64)
    /// Time of day (ns since midnight UTC) on the capture's first day.
    case timeOfDay(Int64)

    /// Why a bound did not parse.
    public struct ParseError: Error, CustomStringConvertible {
        /// One line for the user.
        public let description: String
    }

    /// Parses `text`.
    public init(parsing text: String) throws {
        let t = text.trimmingRepeated(" ")
        if let first = t.first, first == "+" || first == "-" {
            let ns = try Self.duration(String(t.dropFirst()), original: text)
            self = first == "+" ? .fromStart(ns) : .fromEnd(ns)
            return
        }
        if let tIndex = t.firstIndex(where: { $0 == "T" || $0 == " " }), t.contains("-") {
            let date = t[..<tIndex]
            let parts = date.split(separator: "-").map { Int64($0) }
            // Years are bounded so the day count cannot overflow; out of Int64 ns (1677-2262) is caught below.
            guard parts.count == 3, let y = parts[0], let m = parts[1], let d = parts[2], (1...12).contains(m), (1...31).contains(d),
                  (0...9999).contains(y) else {
                throw ParseError(description: "cannot read '\(text)' as a time: expected 2026-11-22T10:00:00Z, 10:00:00, +2s or -5s")
            }
            var rest = String(t[t.index(after: tIndex)...])
            var zoneNs: Int64 = 0
            if rest.hasSuffix("Z") { rest.removeLast() }
            else if let signIndex = rest.lastIndex(where: { $0 == "+" || $0 == "-" }) {
                let zone = rest[rest.index(after: signIndex)...].split(separator: ":").map { Int64($0) }
                // Real zones are within +-18 hours (ISO 8601 / RFC 3339 allow no more): a larger one is a typo.
                guard zone.count >= 1, zone.count <= 2, let zh = zone[0], let zm = zone.count > 1 ? zone[1] : 0,
                      (0...18).contains(zh), (0..<60).contains(zm) else {
                    throw ParseError(description: "cannot read the zone of '\(text)': expected +hh:mm within +-18:00")
                }
                zoneNs = (zh * 3600 + zm * 60) * 1_000_000_000 * (rest[signIndex] == "+" ? 1 : -1)
                rest = String(rest[..<signIndex])
            }
            let tod = try Self.timeOfDay(rest, original: text)
            let (dayNs, o1) = Self.days(y, m, d).multipliedReportingOverflow(by: 86_400_000_000_000)
            let (withTime, o2) = dayNs.addingReportingOverflow(tod)
            let (wall, o3) = withTime.subtractingReportingOverflow(zoneNs)
            guard !(o1 || o2 || o3) else {
                throw ParseError(description: "'\(text)' is out of range: times run from 1677-09-21 to 2262-04-11 (UTC)")
            }
            self = .wallClock(wall)
            return
        }
        self = .timeOfDay(try Self.timeOfDay(t, original: text))
    }

    /// Boot-time ns of the bound for a capture whose events span `first...last` (boot ns) with the given
    /// realtime offset.
    public func bootNs(first: UInt64, last: UInt64, realtimeOffsetNs: Int64) -> UInt64 {
        switch self {
        case .fromStart(let d):
            let r = first.addingReportingOverflow(d >= 0 ? UInt64(d) : 0)
            return r.overflow ? .max : r.partialValue
        case .fromEnd(let d): return d >= 0 ? (last >= UInt64(d) ? last - UInt64(d) : 0) : last
        case .wallClock(let w): return Self.boot(wall: w, realtimeOffsetNs: realtimeOffsetNs)
        case .timeOfDay(let tod):
            // The offset comes from the file: every step saturates instead of trapping (or wrapping, which
            // would put the bound at the other end of time).
            let firstWall = CaptureFormat.wallClock(bootNs: first, offsetNs: realtimeOffsetNs)
            let sinceMidnight = ((firstWall % 86_400_000_000_000) + 86_400_000_000_000) % 86_400_000_000_000
            let day = firstWall.subtractingReportingOverflow(sinceMidnight)
            guard !day.overflow else { return 0 }
            let wall = day.partialValue.addingReportingOverflow(tod)
            guard !wall.overflow else { return .max }
            return Self.boot(wall: wall.partialValue, realtimeOffsetNs: realtimeOffsetNs)
        }
    }

    /// The boot-time window that `--since`/`--until` texts select in captures whose events span `range` (nil:
    /// no events): nil start means from the beginning, `.max` end means to the end. Throws the one-line
    /// `ParseError` on bad text, and on a since point after the until point.
    public static func window(since: String?, until: String?, range: (first: UInt64, last: UInt64)?,
                              realtimeOffsetNs: Int64) throws -> (start: UInt64?, end: UInt64) {
        let range = range ?? (0, 0)
        func resolve(_ text: String) throws -> UInt64 {
            try TimeBound(parsing: text).bootNs(first: range.first, last: range.last, realtimeOffsetNs: realtimeOffsetNs)
        }
        let start = try since.map(resolve), end = try until.map(resolve) ?? .max
        // Swapped bounds select nothing, which would look like a capture without matching events.
        if let start, let since, let until, start > end {
            throw ParseError(description: "--since '\(since)' is after --until '\(until)': the window is empty")
        }
        return (start, end)
    }

    /// Boot-time ns of wall-clock `wall`: wall - offset, clamped to 0...UInt64.max (both come from outside).
    static func boot(wall: Int64, realtimeOffsetNs: Int64) -> UInt64 {
        // In 128 bits the difference always fits; then clamp.
        let d = Int128(wall) - Int128(realtimeOffsetNs)
        return d < 0 ? 0 : UInt64(d)
    }

    static func duration(_ s: String, original: String) throws -> Int64 {
        guard let ns = DurationText.nanoseconds(s) else {
            throw ParseError(description: "cannot read '\(original)' as an offset: expected a number with ns, us, ms, s, m or h, such as +2s or -500ms, at most \(DurationText.maxText)")
        }
        return ns
    }

    static func timeOfDay(_ s: String, original: String) throws -> Int64 {
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, let h = Int64(parts[0]), let m = Int64(parts[1]),
              (0..<24).contains(h), (0..<60).contains(m) else {
            throw ParseError(description: "cannot read '\(original)' as a time: expected 2026-11-22T10:00:00Z, 10:00:00, +2s or -5s")
        }
        var ns: Int64 = (h * 3600 + m * 60) * 1_000_000_000
        if parts.count == 3 {
            let sec = parts[2].split(separator: ".", maxSplits: 1)
            guard let whole = Int64(sec[0]), (0..<61).contains(whole) else {
                throw ParseError(description: "cannot read the seconds of '\(original)'")
            }
            ns += whole * 1_000_000_000
            if sec.count == 2 {
                let digits = String(sec[1].prefix(9))
                guard let frac = Int64(digits) else { throw ParseError(description: "cannot read the fraction of '\(original)'") }
                var scale: Int64 = 1
                for _ in digits.count..<9 { scale *= 10 }
                ns += frac * scale
            }
        }
        return ns
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func days(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

extension String {
    func trimmingRepeated(_ c: Character) -> String {
        String(drop(while: { $0 == c }).reversed().drop(while: { $0 == c }).reversed())
    }
}
