/// The one parser of durations given on the command line (`--since +2s`, `record --duration 10s`,
/// `--snapshot-interval 500ms`): a number, then ns, us, ms, s, m or h; a bare number is seconds.
///
/// Every value that fits is accepted and nothing else: not negative, not NaN or infinite, and at most
/// Int64.max ns (about 292 years), so the nanoseconds fit every signed or unsigned use without a trap.
public enum DurationText {
    /// The largest duration, as the text a user would write (`Int64.max` ns is 2562047.79 h).
    public static let maxText = "2562047h"

    /// Nanoseconds in `text` (spaces around it and letter case ignored), nil when it is not a duration that fits.
    public static func nanoseconds(_ text: String) -> Int64? {
        var t = Substring(text.lowercased())
        while t.first == " " { t = t.dropFirst() }
        while t.last == " " { t = t.dropLast() }
        // "ms" also ends in "s" and "m": the longer suffixes come first, and what is left must be a number.
        let units: [(String, Double)] = [("ns", 1), ("us", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9)]
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            if let ns = scaled(t.dropLast(suffix.count), scale) { return ns }
        }
        return scaled(t, 1e9)
    }

    private static func scaled(_ number: Substring, _ scale: Double) -> Int64? {
        // Double() also reads "inf", "nan" and hex floats: only plain decimal numbers are durations.
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "e" || $0 == "+" || $0 == "-") }),
              let v = Double(number), v.isFinite, v >= 0 else { return nil }
        let ns = (v * scale).rounded(.towardZero)
        // 0x1p63 is Int64.max + 1 exactly: anything below it converts without a trap.
        guard ns < 0x1p63 else { return nil }
        return Int64(ns)
    }
}
