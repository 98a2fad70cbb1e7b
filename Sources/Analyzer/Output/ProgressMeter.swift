#if canImport(Glibc)
import Glibc
#endif

/// The progress line of a long replay on a terminal (issue 12): after a second, at most four times a second,
/// how far through the capture's time range the replay is, events so far, their rate and the time left, on
/// one line of stderr rewritten in place; cleared at the end. Silent for a replay shorter than a second.
public final class ProgressMeter {
    /// Boot-time ns of the capture's first and last record.
    let first: UInt64, last: UInt64
    /// Where the line goes (stderr for the CLI; a buffer in tests).
    let write: (String) -> Void
    /// Monotonic ns now.
    let now: () -> UInt64
    private let start: UInt64
    private var lastShown: UInt64 = 0
    private var shown = false

    /// A meter for a replay of records from `first` to `last` (boot-time ns).
    public init(first: UInt64, last: UInt64, write: @escaping (String) -> Void, now: @escaping () -> UInt64 = ProgressMeter.monotonicNs) {
        self.first = first
        self.last = max(last, first)
        self.write = write
        self.now = now
        start = now()
    }

    /// A meter writing to stderr when stderr is a terminal and the command's output is not (a line rewritten
    /// among printed events would garble them), or when the command prints only at its end; nil otherwise.
    public static func terminal(range: (first: UInt64, last: UInt64)?, printsAsItGoes: Bool) -> ProgressMeter? {
        guard let range, isatty(2) == 1, !printsAsItGoes || isatty(1) == 0 else { return nil }
        return ProgressMeter(first: range.first, last: range.last) { line in
            _ = line.utf8CString.withUnsafeBufferPointer { Glibc.write(2, $0.baseAddress, $0.count - 1) }
        }
    }

    /// Records between two looks at the clock (a power of two: the check is a mask).
    public static let stride: UInt64 = 1 << 16

    /// Called every `stride` records with the last record's timestamp and the records so far.
    public func tick(recordNs: UInt64, records: UInt64) {
        let t = now()
        let elapsed = t &- start
        guard elapsed >= 1_000_000_000, t &- lastShown >= 250_000_000 else { return }
        lastShown = t
        shown = true
        let span = Double(last - first)
        let done = span > 0 ? min(max(Double(recordNs &- first) / span, 0), 1) : 1
        let seconds = Double(elapsed) / 1e9
        let rate = Double(records) / seconds
        let left = done > 0 ? seconds * (1 - done) / done : 0
        write("\r\(Int(done * 100))%  \(Self.count(Double(records))) events  \(Self.count(rate))/s  \(Int(left.rounded(.up)))s left\u{1b}[K")
    }

    /// Clears the line if one was shown.
    public func finish() {
        if shown { write("\r\u{1b}[K") }
        shown = false
    }

    /// `950`, `12.3k`, `4.5M`.
    static func count(_ v: Double) -> String {
        func one(_ x: Double) -> String { String(Int(x)) + "." + String(Int((x * 10).rounded(.down)) % 10) }
        if v < 1e3 { return String(Int(v)) }
        if v < 1e6 { return one(v / 1e3) + "k" }
        return one(v / 1e6) + "M"
    }

    /// CLOCK_MONOTONIC in ns.
    public static func monotonicNs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
