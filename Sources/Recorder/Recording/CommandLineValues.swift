import EventSchema

// Values `kcap record` accepts on its command line, parsed here so they are tested with the recorder.

/// Parses times given on the command line, through the one duration parser (`DurationText`): a bare number
/// is seconds; suffixes ns, us, ms, s, m, h; at most `DurationText.maxText`.
public enum DurationParser {
    /// Nanoseconds in `text`, or a ValidationError-style `RecorderError`.
    public static func nanoseconds(_ text: String) throws -> UInt64 {
        guard let ns = DurationText.nanoseconds(text) else {
            throw RecorderError(step: "parse time", object: "'\(text)'", hint: "use 10, 10s, 500ms, 2m or 1h (at most \(DurationText.maxText))")
        }
        return UInt64(ns)
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
