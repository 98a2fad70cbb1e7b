#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level string operations used by compiled comparisons. All work on UTF-8 and never allocate for
/// native Swift strings (whose bytes are contiguous).
enum ByteMatching {
    /// Calls `body` with the UTF-8 bytes of `s` without copying when `s` is native.
    @inline(__always)
    static func withUTF8<R>(_ s: String, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if let r = s.utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return r }
        var copy = s
        return copy.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }

    static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: ByteConstant) -> Bool {
        if needle.count == 0 { return true }
        guard haystack.count >= needle.count, let h = haystack.baseAddress else { return false }
        // memchr finds candidates for the first byte at vector speed; memcmp checks the rest.
        // (Glibc's memmem is not visible to Swift without _GNU_SOURCE.)
        let first = Int32(needle.base[0])
        let rest = needle.count - 1
        var p = h
        let lastStart = h + (haystack.count - needle.count)
        while p <= lastStart {
            guard let hit = memchr(p, first, lastStart - p + 1) else { return false }
            if rest == 0 || memcmp(hit + 1, needle.base + 1, rest) == 0 { return true }
            p = UnsafeRawPointer(hit) + 1
        }
        return false
    }

    /// ASCII case-insensitive search; `lowered` is already lower case.
    static func containsIgnoringCase(_ haystack: UnsafeRawBufferPointer, _ lowered: ByteConstant) -> Bool {
        let n = lowered.count
        if n == 0 { return true }
        guard haystack.count >= n else { return false }
        let first = lowered.base[0]
        var i = 0
        let last = haystack.count - n
        while i <= last {
            if lower(haystack[i]) == first {
                var j = 1
                while j < n, lower(haystack[i + j]) == lowered.base[j] { j += 1 }
                if j == n { return true }
            }
            i += 1
        }
        return false
    }

    static func hasPrefix(_ haystack: UnsafeRawBufferPointer, _ prefix: ByteConstant) -> Bool {
        guard haystack.count >= prefix.count else { return false }
        if prefix.count == 0 { return true }
        return memcmp(haystack.baseAddress!, prefix.base, prefix.count) == 0
    }

    static func hasSuffix(_ haystack: UnsafeRawBufferPointer, _ suffix: ByteConstant) -> Bool {
        guard haystack.count >= suffix.count else { return false }
        if suffix.count == 0 { return true }
        return memcmp(haystack.baseAddress! + (haystack.count - suffix.count), suffix.base, suffix.count) == 0
    }

    static func equals(_ a: UnsafeRawBufferPointer, _ b: ByteConstant) -> Bool {
        guard a.count == b.count else { return false }
        if b.count == 0 { return true }
        return memcmp(a.baseAddress!, b.base, b.count) == 0
    }

    /// -1, 0 or 1 as `a` sorts before, equal to or after `b`, byte by byte.
    static func compare(_ a: UnsafeRawBufferPointer, _ b: ByteConstant) -> Int {
        let n = min(a.count, b.count)
        if n > 0 {
            let r = memcmp(a.baseAddress!, b.base, n)
            if r != 0 { return r < 0 ? -1 : 1 }
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    @inline(__always)
    static func lower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c | 0x20 : c }

    /// Decodes hex digits (`303000`, spaces allowed between pairs) for `bcontains`/`bstartswith`.
    static func decodeHex(_ text: String) -> [UInt8]? {
        let digits = text.unicodeScalars.filter { !$0.properties.isWhitespace }
        guard !digits.isEmpty, digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var high: UInt8?
        for d in digits {
            guard let v = UInt8(String(d), radix: 16) else { return nil }
            if let h = high { out.append(h << 4 | v); high = nil } else { high = v }
        }
        return out
    }
}
