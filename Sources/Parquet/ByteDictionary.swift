/// Distinct byte strings in first-seen order, found by content through an open-addressing hash table: the
/// dictionary of one dictionary-encoded column chunk. Looking a value up allocates nothing once the arrays
/// have grown to the chunk's size.
public struct ByteDictionary {
    /// Every distinct value's bytes, back to back.
    public private(set) var arena: [UInt8] = []
    /// Where each entry starts in `arena`; entry i ends where i + 1 starts (the last one at `arena.count`).
    public private(set) var starts: [Int] = []
    private var hashes: [UInt64] = []
    // Entry index + 1 per slot, 0 for empty; the capacity is a power of two kept at least twice the entries.
    private var slots: [Int32] = Array(repeating: 0, count: 1024)

    /// An empty dictionary.
    public init() {}

    /// Number of distinct values.
    public var count: Int { starts.count }

    /// Bytes of every value (what its PLAIN page holds, less four bytes of length each).
    public var byteCount: Int { arena.count }

    /// The bytes of entry `i`.
    public func entry(_ i: Int) -> ArraySlice<UInt8> {
        let end = i + 1 < starts.count ? starts[i + 1] : arena.count
        return arena[starts[i]..<end]
    }

    /// The index of `value`, added when new.
    public mutating func index(of value: UnsafeRawBufferPointer) -> Int {
        let h = Self.hash(value)
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = Int(slots[s])
            if e == 0 { break }
            if hashes[e - 1] == h, equals(e - 1, value) { return e - 1 }
            s = (s + 1) & mask
        }
        let i = starts.count
        starts.append(arena.count)
        arena.append(contentsOf: value)
        hashes.append(h)
        slots[s] = Int32(truncatingIfNeeded: i + 1)
        if starts.count * 2 > slots.count { grow() }
        return i
    }

    /// Forgets every entry, keeping the storage.
    public mutating func removeAll() {
        arena.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
        for i in slots.indices { slots[i] = 0 }
    }

    /// True when entry `i` holds exactly `value`'s bytes.
    @inlinable
    public func entryEquals(_ i: Int, _ value: UnsafeRawBufferPointer) -> Bool {
        let start = starts[i]
        let end = i + 1 < starts.count ? starts[i + 1] : arena.count
        guard end - start == value.count else { return false }
        return value.count == 0 || arena.withUnsafeBytes { memcmpEqual($0.baseAddress! + start, value.baseAddress!, value.count) }
    }

    private func equals(_ i: Int, _ value: UnsafeRawBufferPointer) -> Bool {
        let start = starts[i]
        let end = i + 1 < starts.count ? starts[i + 1] : arena.count
        guard end - start == value.count else { return false }
        return arena.withUnsafeBytes { a in
            value.count == 0 || memcmpEqual(a.baseAddress! + start, value.baseAddress!, value.count)
        }
    }

    private mutating func grow() {
        var bigger = [Int32](repeating: 0, count: slots.count * 2)
        let mask = bigger.count - 1
        for (i, h) in hashes.enumerated() {
            var s = Int(truncatingIfNeeded: h) & mask
            while bigger[s] != 0 { s = (s + 1) & mask }
            bigger[s] = Int32(truncatingIfNeeded: i + 1)
        }
        slots = bigger
    }

    /// A fast 64-bit hash, eight bytes at a time (a multiply-xorshift mix; not for hostile input, which
    /// only makes lookups slower, never wrong).
    static func hash(_ p: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(p.count)
        var i = 0
        while i + 8 <= p.count {
            h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < p.count {
            tail |= UInt64(p[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 29)
    }
}

/// memcmp without importing Glibc into every file: byte-wise equality of two regions.
@inlinable @inline(__always)
func memcmpEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
    var i = 0
    while i + 8 <= n {
        if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
        i += 8
    }
    while i < n {
        if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        i += 1
    }
    return true
}
