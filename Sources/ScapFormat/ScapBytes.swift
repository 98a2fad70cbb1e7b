/// A bounds-checked little-endian cursor over part of a capture's bytes: every read checks the bytes left
/// first and throws `ScapError.corrupt` naming the field, so a hostile length never reads past its block.
struct ScapBytes {
    let bytes: UnsafeRawBufferPointer
    var at: Int
    let end: Int
    /// The block the cursor reads, for error offsets and messages.
    let what: String

    init(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, what: String) {
        self.bytes = bytes
        at = range.lowerBound
        end = min(range.upperBound, bytes.count)
        self.what = what
    }

    var remaining: Int { end - at }

    mutating func need(_ n: Int, _ field: String) throws(ScapError) {
        guard n >= 0, n <= end - at else {
            throw ScapError(.corrupt, offset: at, "\(what): \(field) needs \(n) bytes, \(max(end - at, 0)) left: the block is damaged")
        }
    }

    mutating func le(_ n: Int, _ field: String) throws(ScapError) -> UInt64 {
        try need(n, field)
        var v: UInt64 = 0
        for i in 0..<n { v |= UInt64(bytes[at + i]) << (8 * UInt64(i)) }
        at += n
        return v
    }

    mutating func u8(_ f: String) throws(ScapError) -> UInt8 { UInt8(try le(1, f)) }
    mutating func u16(_ f: String) throws(ScapError) -> UInt16 { UInt16(try le(2, f)) }
    mutating func u32(_ f: String) throws(ScapError) -> UInt32 { UInt32(try le(4, f)) }
    mutating func u64(_ f: String) throws(ScapError) -> UInt64 { try le(8, f) }

    /// `n` raw bytes.
    mutating func take(_ n: Int, _ field: String) throws(ScapError) -> UnsafeRawBufferPointer {
        try need(n, field)
        defer { at += n }
        return UnsafeRawBufferPointer(rebasing: bytes[at..<(at + n)])
    }

    /// A string with a 16-bit length before it (not NUL-terminated on file; a trailing NUL is dropped).
    mutating func string16(_ field: String) throws(ScapError) -> String {
        let n = Int(try u16(field + " length"))
        return Self.text(try take(n, field))
    }

    /// Bytes as text, without trailing NULs.
    static func text(_ s: UnsafeRawBufferPointer) -> String {
        var n = s.count
        while n > 0 && s[n - 1] == 0 { n -= 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: s[0..<n]), as: UTF8.self)
    }

    /// `s` split at NULs, as `split(separator: 0, omittingEmptySubsequences:)` splits it.
    static func strings(_ s: UnsafeRawBufferPointer, omittingEmpty: Bool) -> [String] {
        var out: [String] = []
        var from = 0
        for i in 0..<s.count where s[i] == 0 {
            if !(omittingEmpty && i == from) { out.append(String(decoding: UnsafeRawBufferPointer(rebasing: s[from..<i]), as: UTF8.self)) }
            from = i + 1
        }
        if !(omittingEmpty && from == s.count) { out.append(String(decoding: UnsafeRawBufferPointer(rebasing: s[from...]), as: UTF8.self)) }
        return out
    }

    mutating func skip(_ n: Int, _ field: String) throws(ScapError) {
        try need(n, field)
        at += n
    }
}

/// `body` over the bytes of `array`, keeping its typed error (Array's `withUnsafeBytes` rethrows untyped).
@inline(__always)
func withScapBytes<R>(_ array: [UInt8], _ body: (UnsafeRawBufferPointer) throws(ScapError) -> R) throws(ScapError) -> R {
    var result: Result<R, ScapError>? = nil
    array.withUnsafeBytes { b in result = Result { () throws(ScapError) -> R in try body(b) } }
    return try result!.get()
}

/// `body` over the bytes of `array`, keeping its typed error.
@inline(__always)
func withScapMutableBytes<R>(_ array: inout [UInt8], _ body: (UnsafeMutableRawBufferPointer) throws(ScapError) -> R) throws(ScapError) -> R {
    var result: Result<R, ScapError>? = nil
    array.withUnsafeMutableBytes { b in result = Result { () throws(ScapError) -> R in try body(b) } }
    return try result!.get()
}
