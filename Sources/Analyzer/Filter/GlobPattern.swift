/// A shell wildcard pattern compiled once: `*` any run of bytes (slashes included, as fnmatch without
/// FNM_PATHNAME), `?` one byte, `[abc]`/`[a-z]`/`[!x]`/`[^x]` one byte from a set, `\x` a literal x.
/// Matching is byte-wise over UTF-8 and, for `iglob`, ASCII case-insensitive.
struct GlobPattern: Sendable {
    enum Token: Sendable, Equatable {
        case byte(UInt8)
        case any
        case star
        /// Inclusive byte ranges; `negated` inverts the set.
        case set([ClosedRange<UInt8>], negated: Bool)
    }

    let tokens: [Token]
    let ignoreCase: Bool

    /// Whether `text` holds a wildcard character at all (else a plain comparison does).
    static func hasWildcards(_ text: String) -> Bool { text.contains { $0 == "*" || $0 == "?" || $0 == "[" } }

    init(_ pattern: String, ignoreCase: Bool = false) {
        self.ignoreCase = ignoreCase
        let b = Array(pattern.utf8)
        var tokens: [Token] = []
        var i = 0
        func fold(_ c: UInt8) -> UInt8 { ignoreCase ? ByteMatching.lower(c) : c }
        while i < b.count {
            let c = b[i]
            switch c {
            case UInt8(ascii: "*"):
                if tokens.last != .star { tokens.append(.star) }
                i += 1
            case UInt8(ascii: "?"):
                tokens.append(.any); i += 1
            case UInt8(ascii: "\\") where i + 1 < b.count:
                tokens.append(.byte(fold(b[i + 1]))); i += 2
            case UInt8(ascii: "["):
                // Find the closing bracket; a ']' right after '[' or '[!' is a member, as in fnmatch.
                var j = i + 1
                var negated = false
                if j < b.count, b[j] == UInt8(ascii: "!") || b[j] == UInt8(ascii: "^") { negated = true; j += 1 }
                let membersStart = j
                if j < b.count, b[j] == UInt8(ascii: "]") { j += 1 }
                while j < b.count, b[j] != UInt8(ascii: "]") { j += 1 }
                guard j < b.count else { tokens.append(.byte(c)); i += 1; continue }  // no ']': a literal '['
                var ranges: [ClosedRange<UInt8>] = []
                var k = membersStart
                while k < j {
                    if k + 2 < j, b[k + 1] == UInt8(ascii: "-") {
                        let lo = fold(b[k]), hi = fold(b[k + 2])
                        if lo <= hi { ranges.append(lo...hi) }
                        k += 3
                    } else {
                        ranges.append(fold(b[k])...fold(b[k])); k += 1
                    }
                }
                tokens.append(.set(ranges, negated: negated))
                i = j + 1
            default:
                tokens.append(.byte(fold(c))); i += 1
            }
        }
        self.tokens = tokens
    }

    /// Whether the whole of `text` matches.
    func matches(_ text: UnsafeRawBufferPointer) -> Bool {
        var t = 0, p = 0
        var starP = -1, starT = 0
        let n = text.count
        while t < n {
            let c = ignoreCase ? ByteMatching.lower(text[t]) : text[t]
            if p < tokens.count {
                switch tokens[p] {
                case .star:
                    starP = p; starT = t; p += 1; continue
                case .any:
                    t += 1; p += 1; continue
                case .byte(let b) where b == c:
                    t += 1; p += 1; continue
                case .set(let ranges, let negated) where ranges.contains(where: { $0.contains(c) }) != negated:
                    t += 1; p += 1; continue
                default:
                    break
                }
            }
            // Mismatch: let the last star swallow one more byte, or fail.
            guard starP >= 0 else { return false }
            p = starP + 1
            starT += 1
            t = starT
        }
        while p < tokens.count, tokens[p] == .star { p += 1 }
        return p == tokens.count
    }
}
