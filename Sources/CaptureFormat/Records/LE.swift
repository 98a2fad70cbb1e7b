/// Little-endian unaligned loads that never trap: a load past the end returns 0. Every decoder of record
/// and item bytes (here and in EventSchema) reads through these; they are the buffer's own bounded loads
/// (LittleEndianAccess.swift) with "absent" read as zero.
///
/// Callers check lengths once up front (and throw); these loads are bounded again so that a logic slip can at worst
/// produce a wrong value, never a crash on a hostile capture.
public enum LE {
    @inlinable @inline(__always)
    public static func u8(_ b: UnsafeRawBufferPointer, _ o: Int) -> UInt8 {
        guard o >= 0, o < b.count else { return 0 }
        return b[o]
    }
    @inlinable @inline(__always)
    public static func u16(_ b: UnsafeRawBufferPointer, _ o: Int) -> UInt16 { b.u16(at: o) ?? 0 }
    @inlinable @inline(__always)
    public static func u16be(_ b: UnsafeRawBufferPointer, _ o: Int) -> UInt16 {
        guard o >= 0, o + 2 <= b.count else { return 0 }
        return UInt16(bigEndian: b.loadUnaligned(fromByteOffset: o, as: UInt16.self))
    }
    @inlinable @inline(__always)
    public static func u32(_ b: UnsafeRawBufferPointer, _ o: Int) -> UInt32 { b.u32(at: o) ?? 0 }
    @inlinable @inline(__always)
    public static func u64(_ b: UnsafeRawBufferPointer, _ o: Int) -> UInt64 { b.u64(at: o) ?? 0 }
    /// The bytes from `offset` to the end (a record's items after its fixed part); empty when `offset` is
    /// past the end or negative. No slice: it is on the per-record path.
    @inlinable @inline(__always)
    public static func tail(_ b: UnsafeRawBufferPointer, from offset: Int) -> UnsafeRawBufferPointer {
        guard offset >= 0, offset < b.count, let base = b.baseAddress else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base + offset, count: b.count - offset)
    }
    /// A fixed-size C char array up to its first NUL, as UTF-8 (invalid bytes repaired).
    public static func cString(_ b: UnsafeRawBufferPointer, _ o: Int, maxLength: Int) -> String {
        guard o >= 0, o < b.count else { return "" }
        let end = min(b.count, o + maxLength)
        var stop = o
        while stop < end && b[stop] != 0 { stop += 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: b[o..<stop]), as: UTF8.self)
    }
    /// A fixed-size C char array up to its first NUL, as the bytes themselves (no copy).
    public static func cStringBytes(_ b: UnsafeRawBufferPointer, _ o: Int, maxLength: Int) -> UnsafeRawBufferPointer {
        guard o >= 0, o < b.count else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let end = min(b.count, o + maxLength)
        var stop = o
        while stop < end && b[stop] != 0 { stop += 1 }
        return UnsafeRawBufferPointer(rebasing: b[o..<stop])
    }
}
