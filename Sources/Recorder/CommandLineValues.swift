// Values `kcap record` accepts on its command line, parsed here so they are tested with the recorder.

/// Parses times given on the command line: a bare number is seconds; suffixes ns, us, ms, s, m, h.
public enum DurationParser {
    /// Nanoseconds in `text`, or a ValidationError-style `RecorderError`.
    public static func nanoseconds(_ text: String) throws -> UInt64 {
        let t = text.trimmingCharacters(in: " ").lowercased()
        let units: [(String, Double)] = [("ns", 1), ("us", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9)]
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            let num = t.dropLast(suffix.count)
            // "ms" also ends in "s": only accept when what is left is a number.
            if let v = Double(num), v >= 0, v.isFinite { return UInt64(v * scale) }
        }
        if let v = Double(t), v >= 0, v.isFinite { return UInt64(v * 1e9) }
        throw RecorderError(step: "parse time", object: "'\(text)'", hint: "use 10, 10s, 500ms, 2m or 1h")
    }
}

/// Parses sizes: bytes, or with K, M, G (powers of 1024), optional "iB"/"B".
public enum SizeParser {
    /// Bytes in `text`.
    public static func bytes(_ text: String) throws -> Int {
        var t = text.trimmingCharacters(in: " ").uppercased()
        if t.hasSuffix("IB") { t.removeLast(2) } else if t.hasSuffix("B") { t.removeLast() }
        var scale = 1
        if let last = t.last, let s = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30][String(last)] { scale = s; t.removeLast() }
        guard let v = Int(t), v > 0, v <= (1 << 31) / scale else { throw RecorderError(step: "parse size", object: "'\(text)'", hint: "use 64M, 1G or a byte count") }
        return v * scale
    }

    /// Rounds up to a power of two of at least one page (what a BPF ring buffer must be).
    public static func powerOfTwo(_ n: Int) -> Int {
        var p = 4096
        while p < n { p <<= 1 }
        return p
    }
}

private extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}
