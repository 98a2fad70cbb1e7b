/// A bounds-checked little-endian cursor over part of a capture's bytes: every read checks the bytes left
/// first and throws `ScapError.corrupt` naming the field, so a hostile length never reads past its block.
struct ScapBytes {
    let bytes: [UInt8]
    var at: Int
    let end: Int
    /// The block the cursor reads, for error offsets and messages.
    let what: String

    init(_ bytes: [UInt8], _ range: Range<Int>, what: String) {
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
    mutating func take(_ n: Int, _ field: String) throws(ScapError) -> ArraySlice<UInt8> {
        try need(n, field)
        defer { at += n }
        return bytes[at..<(at + n)]
    }

    /// A string with a 16-bit length before it (not NUL-terminated on file; a trailing NUL is dropped).
    mutating func string16(_ field: String) throws(ScapError) -> String {
        let n = Int(try u16(field + " length"))
        return Self.text(try take(n, field))
    }

    /// Bytes as text, without a trailing NUL.
    static func text(_ s: ArraySlice<UInt8>) -> String {
        var s = s
        while s.last == 0 { s = s.dropLast() }
        return String(decoding: s, as: UTF8.self)
    }

    mutating func skip(_ n: Int, _ field: String) throws(ScapError) {
        try need(n, field)
        at += n
    }
}
