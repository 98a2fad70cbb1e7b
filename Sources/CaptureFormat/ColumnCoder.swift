/// Column coding of an event chunk (format 1.3, block flag bit 1; docs/capture-format.md, "Column coding"):
/// a reversible rearrangement of the chunk's records, done before LZ4, that puts like bytes together so LZ4
/// finds them. On the mixed benchmark of tools/bench/mixed.sh LZ4 alone stores about 32 bytes per event;
/// most of them go to the fields that change a little from one record to the next (timestamps, thread ids,
/// latencies, results, argument registers), which LZ4, matching 4 bytes or more at byte granularity, cannot
/// shrink in place, and to paths scattered among incompressible data.
///
/// The coded payload: a 32-byte header (u32 coding version 1, then u32 N records, S syscall records, I items
/// split out, P path bytes, D other item bytes, V verbatim bytes, T record bytes), then these streams:
///
/// | stream | bytes | holds |
/// | --- | --- | --- |
/// | headers | 24 N | each record's 24-byte header with ts as the difference from the previous record's (wrapping) and tid, pid XORed with the previous record's; stored as 24 byte planes (byte j of every record, then byte j+1...) |
/// | latency | 8 S | the syscall records' latency, 8 byte planes |
/// | numbers | 8 S | nr, nitems, pad0, as they are |
/// | results | 8 S | ret XORed with the last ret of the same nr (mod 1024) in the chunk, 8 byte planes |
/// | arguments | 48 S | the six arguments XORed with those of the last record of the same (tid, nr) in the chunk (a direct-mapped table of 1024 entries; a miss XORs with zeros) |
/// | modes | S | 0: the record's items were split out; 1: its tail is verbatim |
/// | item headers | 4 I | the items' 4-byte headers, in order |
/// | paths | P | the data of PATH items |
/// | item data | D | the data of the other items |
/// | verbatim | V | the tail (after 96 bytes) of syscall records whose items do not parse exactly, and the body (after 24 bytes) of every other record |
///
/// A syscall record is one of type 1 at least 96 bytes long. Its items are split out when its `nitems` items
/// end within it and only zero padding of fewer than 8 bytes follows (how every recorder writes them); the
/// padding is then restored as zeros. Anything else (a foreign record, a damaged one) travels verbatim, so the
/// coding is lossless for any bytes that walk as records (each length at least 24 and within the chunk).
///
/// One coder per thread: it keeps its tables between calls to avoid allocating.
public final class ColumnCoder {
    /// Bytes of the coded payload's header.
    static let headerSize = 32
    /// The coding version in the header; a decoder refuses any other.
    static let version: UInt32 = 1
    /// Entries of the (tid, nr) table of arguments and of the nr table of results.
    static let slots = 1024
    /// Per argument slot: a key (tid << 16 | nr, with the chunk's generation in bits 48-63) and six arguments.
    private static let slotWords = 7
    /// Per result slot: the chunk's generation in the high 32 bits of a second word. Slots of another
    /// generation read as empty, so a new chunk starts with empty tables without clearing them (a million tiny
    /// chunks would otherwise clear 64 KiB each).
    private var generation: UInt64 = 0
    private let argSlots: UnsafeMutablePointer<UInt64>
    private let retSlots: UnsafeMutablePointer<UInt64>
    /// Rows of the byte-planed fields (headers; latency and result of syscalls), before planing or after
    /// unplaning: planes are transposed 8 records at a time with 64-bit operations, not a byte at a time.
    private let rows: ByteBuffer
    /// The coded form of the last chunk `encode(_:)` coded.
    private let coded = ByteBuffer(capacity: 1 << 16)

    public init() {
        argSlots = .allocate(capacity: ColumnCoder.slots * ColumnCoder.slotWords)
        argSlots.initialize(repeating: 0, count: ColumnCoder.slots * ColumnCoder.slotWords)
        retSlots = .allocate(capacity: 2 * ColumnCoder.slots)
        retSlots.initialize(repeating: 0, count: 2 * ColumnCoder.slots)
        rows = ByteBuffer(capacity: 1 << 18)
    }

    deinit {
        argSlots.deallocate()
        retSlots.deallocate()
    }

    /// Transposes the 8x8 byte matrix whose row r is `x[r]` (byte k of row r: bits 8k...): afterwards x[k]
    /// holds byte k of every former row. Its own inverse.
    @inline(__always)
    private static func transpose8(_ x: inout (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)) {
        @inline(__always) func swap(_ a: inout UInt64, _ b: inout UInt64, _ shift: UInt64, _ mask: UInt64) {
            let t = ((a >> shift) ^ b) & mask
            a ^= t << shift
            b ^= t
        }
        let m32: UInt64 = 0x0000_0000_FFFF_FFFF, m16: UInt64 = 0x0000_FFFF_0000_FFFF, m8: UInt64 = 0x00FF_00FF_00FF_00FF
        swap(&x.0, &x.4, 32, m32); swap(&x.1, &x.5, 32, m32); swap(&x.2, &x.6, 32, m32); swap(&x.3, &x.7, 32, m32)
        swap(&x.0, &x.2, 16, m16); swap(&x.1, &x.3, 16, m16); swap(&x.4, &x.6, 16, m16); swap(&x.5, &x.7, 16, m16)
        swap(&x.0, &x.1, 8, m8); swap(&x.2, &x.3, 8, m8); swap(&x.4, &x.5, 8, m8); swap(&x.6, &x.7, 8, m8)
    }

    /// Rows of `width` bytes (a multiple of 8) at `rows` -> `width` planes of `n` bytes at `planes` (plane j
    /// holds byte j of every row).
    private static func plane(_ rows: UnsafeRawPointer, width: Int, _ n: Int, into planes: UnsafeMutableRawPointer) {
        for g in stride(from: 0, to: width, by: 8) {
            var i = 0
            while n - i >= 8 {
                let r = rows + i * width + g
                var x = (u64(r, 0), u64(r, width), u64(r, 2 * width), u64(r, 3 * width),
                         u64(r, 4 * width), u64(r, 5 * width), u64(r, 6 * width), u64(r, 7 * width))
                transpose8(&x)
                let p = planes + g * n + i
                put64(p, 0, x.0); put64(p, n, x.1); put64(p, 2 * n, x.2); put64(p, 3 * n, x.3)
                put64(p, 4 * n, x.4); put64(p, 5 * n, x.5); put64(p, 6 * n, x.6); put64(p, 7 * n, x.7)
                i += 8
            }
            while i < n {
                for j in 0..<8 { planes.storeBytes(of: rows.load(fromByteOffset: i * width + g + j, as: UInt8.self), toByteOffset: (g + j) * n + i, as: UInt8.self) }
                i += 1
            }
        }
    }

    /// The inverse of `plane`.
    private static func unplane(_ planes: UnsafeRawPointer, width: Int, _ n: Int, into rows: UnsafeMutableRawPointer) {
        for g in stride(from: 0, to: width, by: 8) {
            var i = 0
            while n - i >= 8 {
                let p = planes + g * n + i
                var x = (u64(p, 0), u64(p, n), u64(p, 2 * n), u64(p, 3 * n), u64(p, 4 * n), u64(p, 5 * n), u64(p, 6 * n), u64(p, 7 * n))
                transpose8(&x)
                let r = rows + i * width + g
                put64(r, 0, x.0); put64(r, width, x.1); put64(r, 2 * width, x.2); put64(r, 3 * width, x.3)
                put64(r, 4 * width, x.4); put64(r, 5 * width, x.5); put64(r, 6 * width, x.6); put64(r, 7 * width, x.7)
                i += 8
            }
            while i < n {
                for j in 0..<8 { rows.storeBytes(of: planes.load(fromByteOffset: (g + j) * n + i, as: UInt8.self), toByteOffset: i * width + g + j, as: UInt8.self) }
                i += 1
            }
        }
    }

    /// The most bytes the coded form of `n` record bytes can take (a header and one mode byte per syscall
    /// record, which is at least 96 bytes, more than the records; padding taken out only makes it smaller).
    public static func bound(recordBytes n: Int) -> Int { n + headerSize + n / KcapABI.Syscall.size + 8 }

    /// Empties the tables for a new chunk: a new generation (they are cleared only when it wraps).
    private func resetTables() {
        generation = (generation + 1) & 0xffff
        if generation == 0 {
            argSlots.update(repeating: 0, count: ColumnCoder.slots * ColumnCoder.slotWords)
            retSlots.update(repeating: 0, count: 2 * ColumnCoder.slots)
            generation = 1
        }
    }

    /// The last result of `nr`'s slot in this chunk (0 when none), replaced by `ret`.
    @inline(__always)
    private func swapResult(_ rs: Int, _ ret: UInt64) -> UInt64 {
        let p = retSlots + 2 * rs
        let old = p[1] == generation ? p[0] : 0
        p[0] = ret
        p[1] = generation
        return old
    }

    @inline(__always)
    private static func slot(tid: UInt32, nr: UInt16) -> Int {
        Int(((tid &* 0x9E37_79B1) ^ (UInt32(nr) &* 0x85EB_CA77)) >> 22)
    }

    @inline(__always) private static func u16(_ p: UnsafeRawPointer, _ o: Int) -> UInt16 { UInt16(littleEndian: p.loadUnaligned(fromByteOffset: o, as: UInt16.self)) }
    @inline(__always) private static func u32(_ p: UnsafeRawPointer, _ o: Int) -> UInt32 { UInt32(littleEndian: p.loadUnaligned(fromByteOffset: o, as: UInt32.self)) }
    @inline(__always) private static func u64(_ p: UnsafeRawPointer, _ o: Int) -> UInt64 { UInt64(littleEndian: p.loadUnaligned(fromByteOffset: o, as: UInt64.self)) }
    @inline(__always) private static func put32(_ p: UnsafeMutableRawPointer, _ o: Int, _ v: UInt32) { p.storeBytes(of: v.littleEndian, toByteOffset: o, as: UInt32.self) }
    @inline(__always) private static func put64(_ p: UnsafeMutableRawPointer, _ o: Int, _ v: UInt64) { p.storeBytes(of: v.littleEndian, toByteOffset: o, as: UInt64.self) }

    /// Bytes `copySmall` moves at once when it may overrun.
    static let smallCopy = 32

    /// Copies `count` bytes; when `canOverrun` (the `smallCopy` bytes from either pointer are in bounds) and
    /// the count is at most `smallCopy`, with four 8-byte moves instead of a call to memcpy: item data is
    /// mostly a short path. Bytes past `count` at `to` are garbage the decoder rewrites (it writes every byte
    /// of every record, in order).
    @inline(__always)
    private static func copySmall(to: UnsafeMutableRawPointer, from: UnsafeRawPointer, count: Int, canOverrun: Bool) {
        if canOverrun && count <= smallCopy {
            let a = from.loadUnaligned(as: UInt64.self), b = from.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            let c = from.loadUnaligned(fromByteOffset: 16, as: UInt64.self), d = from.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
            to.storeBytes(of: a, as: UInt64.self); to.storeBytes(of: b, toByteOffset: 8, as: UInt64.self)
            to.storeBytes(of: c, toByteOffset: 16, as: UInt64.self); to.storeBytes(of: d, toByteOffset: 24, as: UInt64.self)
        } else {
            to.copyMemory(from: from, byteCount: count)
        }
    }

    /// The items of the syscall record at `r` (`len` bytes): (path bytes, other bytes, items) when its
    /// `nitems` items end within it followed by fewer than 8 zero bytes, else nil (the tail goes verbatim).
    @inline(__always)
    private static func splitItems(_ r: UnsafeRawPointer, _ len: Int) -> (paths: Int, other: Int, items: Int)? {
        let nitems = Int(u16(r, 34))
        var q = KcapABI.Syscall.size
        var paths = 0, other = 0
        for _ in 0..<nitems {
            guard len - q >= 4 else { return nil }
            let il = Int(u16(r, q + 2))
            guard il <= len - q - 4 else { return nil }
            if r.load(fromByteOffset: q, as: UInt8.self) == ItemKind.path.rawValue { paths += il } else { other += il }
            q += 4 + il
        }
        guard len - q < KcapABI.recordAlign else { return nil }
        while q < len {
            if r.load(fromByteOffset: q, as: UInt8.self) != 0 { return nil }
            q += 1
        }
        return (paths, other, nitems)
    }

    /// Codes the records in `records` into `out` (room for `bound(recordBytes: records.count)` bytes);
    /// returns the coded length, or nil when the bytes do not walk as records a reader accepts (a length that
    /// `RecordWalker.isPossible` refuses, or past the end): such a chunk is stored uncoded, and read as before.
    public func encode(_ records: UnsafeRawBufferPointer, into out: UnsafeMutableRawPointer) -> Int? {
        guard let base = records.baseAddress, records.count > 0, records.count <= UInt32.max else { return nil }
        let total = records.count
        let hs = KcapABI.Header.size, ss = KcapABI.Syscall.size
        // Pass 1: count, and check that the records walk.
        var n = 0, s = 0, items = 0, pathBytes = 0, otherBytes = 0, verbatim = 0
        var o = 0
        while o < total {
            guard total - o >= hs else { return nil }
            let r = base + o
            let len = Int(Self.u16(r, 18))
            guard RecordWalker.isPossible(length: len), len <= total - o else { return nil }
            if Self.u16(r, 16) == RecordType.syscall.rawValue && len >= ss {
                s += 1
                if let split = Self.splitItems(r, len) {
                    items += split.items; pathBytes += split.paths; otherBytes += split.other
                } else {
                    verbatim += len - ss
                }
            } else {
                verbatim += len - hs
            }
            n += 1
            o += len
        }
        // Stream offsets.
        let at = Streams(records: n, syscalls: s, items: items, pathBytes: pathBytes, otherBytes: otherBytes,
                         verbatimBytes: verbatim)
        let hdrAt = at.headers, latAt = at.latencies, nrAt = at.numbers, retAt = at.results, argAt = at.arguments
        let modeAt = at.modes, itemAt = at.items, pathAt = at.paths, otherAt = at.others, verbAt = at.verbatim
        let end = at.end
        Self.put32(out, 0, Self.version)
        Self.put32(out, 4, UInt32(n)); Self.put32(out, 8, UInt32(s)); Self.put32(out, 12, UInt32(items))
        Self.put32(out, 16, UInt32(pathBytes)); Self.put32(out, 20, UInt32(otherBytes)); Self.put32(out, 24, UInt32(verbatim))
        Self.put32(out, 28, UInt32(total))
        let bytes = out.assumingMemoryBound(to: UInt8.self)
        // Headers (24 N), then latencies and results (16 S), as rows; planed at the end.
        rows.reserve(hs * n + 16 * s)
        let hdrRows = rows.base, sysRows = rows.base + hs * n
        resetTables()
        // Pass 2: fill the streams.
        var i = 0, k = 0
        var itemCursor = itemAt, pathCursor = pathAt, otherCursor = otherAt, verbCursor = verbAt
        var prevTs: UInt64 = 0, prevIds: UInt64 = 0
        o = 0
        while o < total {
            let r = base + o
            let len = Int(Self.u16(r, 18))
            let ts = Self.u64(r, 0), ids = Self.u64(r, 8)
            let h = hdrRows + hs * i
            Self.put64(h, 0, ts &- prevTs)
            Self.put64(h, 8, ids ^ prevIds)
            Self.put64(h, 16, Self.u64(r, 16))
            prevTs = ts
            prevIds = ids
            if Self.u16(r, 16) == RecordType.syscall.rawValue && len >= ss {
                Self.put64(sysRows, 8 * k, Self.u64(r, 24))
                let nrWord = Self.u64(r, 32)
                Self.put64(out, nrAt + 8 * k, nrWord)
                let nr = UInt16(truncatingIfNeeded: nrWord)
                let ret = Self.u64(r, 40)
                let rs = Int(nr) & (Self.slots - 1)
                Self.put64(sysRows, 8 * (s + k), ret ^ swapResult(rs, ret))
                let tid = UInt32(truncatingIfNeeded: ids)
                let row = argSlots + Self.slot(tid: tid, nr: nr) * Self.slotWords
                let key = UInt64(tid) << 16 | UInt64(nr) | generation << 48
                let hit = row[0] == key
                row[0] = key
                for a in 0..<6 {
                    let v = Self.u64(r, 48 + 8 * a)
                    Self.put64(out, argAt + 48 * k + 8 * a, hit ? v ^ row[1 + a] : v)
                    row[1 + a] = v
                }
                if Self.splitItems(r, len) != nil {
                    bytes[modeAt + k] = 0
                    var q = ss
                    for _ in 0..<Int(Self.u16(r, 34)) {
                        let il = Int(Self.u16(r, q + 2))
                        (out + itemCursor).copyMemory(from: r + q, byteCount: 4)
                        itemCursor += 4
                        if r.load(fromByteOffset: q, as: UInt8.self) == ItemKind.path.rawValue {
                            (out + pathCursor).copyMemory(from: r + q + 4, byteCount: il)
                            pathCursor += il
                        } else {
                            (out + otherCursor).copyMemory(from: r + q + 4, byteCount: il)
                            otherCursor += il
                        }
                        q += 4 + il
                    }
                } else {
                    bytes[modeAt + k] = 1
                    (out + verbCursor).copyMemory(from: r + ss, byteCount: len - ss)
                    verbCursor += len - ss
                }
                k += 1
            } else {
                (out + verbCursor).copyMemory(from: r + hs, byteCount: len - hs)
                verbCursor += len - hs
            }
            i += 1
            o += len
        }
        Self.plane(hdrRows, width: hs, n, into: out + hdrAt)
        Self.plane(sysRows, width: 8, s, into: out + latAt)
        Self.plane(sysRows + 8 * s, width: 8, s, into: out + retAt)
        return end
    }

    /// Codes `records` into the coder's own buffer; nil when they do not walk (see `encode(_:into:)`). The
    /// bytes are valid until the next call.
    public func encode(_ records: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        coded.reserve(ColumnCoder.bound(recordBytes: records.count))
        guard let n = encode(records, into: coded.base) else { return nil }
        return UnsafeRawBufferPointer(start: coded.base, count: n)
    }

    /// The record bytes a coded payload says it holds (its header's T), nil when it has no header.
    public static func recordBytes(of coded: UnsafeRawBufferPointer) -> Int? {
        guard coded.count >= headerSize, let p = coded.baseAddress, u32(p, 0) == version else { return nil }
        return Int(u32(p, 28))
    }

    /// Decodes `coded` into `out` (room for `capacity` bytes, at least `recordBytes(of: coded)`); returns the
    /// record bytes written, or nil when the payload is not a valid coding (every count and length is checked
    /// before use: a damaged or hostile payload is refused, never read past). Every record it writes has a
    /// length `RecordWalker.isPossible` accepts, and they fill the bytes returned exactly: the records walk
    /// without a further check. `records` is set to their number.
    public func decode(_ coded: UnsafeRawBufferPointer, into out: UnsafeMutableRawPointer, capacity: Int) -> Int? {
        var n = 0
        return decode(coded, into: out, capacity: capacity, records: &n)
    }

    /// `decode(_:into:capacity:)`, also giving the number of records.
    public func decode(_ coded: UnsafeRawBufferPointer, into out: UnsafeMutableRawPointer, capacity: Int,
                       records: inout Int) -> Int? {
        guard let c = coded.baseAddress, coded.count >= Self.headerSize, Self.u32(c, 0) == Self.version else { return nil }
        let n = Int(Self.u32(c, 4)), s = Int(Self.u32(c, 8)), items = Int(Self.u32(c, 12))
        let pathBytes = Int(Self.u32(c, 16)), otherBytes = Int(Self.u32(c, 20)), verbatim = Int(Self.u32(c, 24))
        let total = Int(Self.u32(c, 28))
        let hs = KcapABI.Header.size, ss = KcapABI.Syscall.size
        let at = Streams(records: n, syscalls: s, items: items, pathBytes: pathBytes, otherBytes: otherBytes,
                         verbatimBytes: verbatim)
        let hdrAt = at.headers, latAt = at.latencies, nrAt = at.numbers, retAt = at.results, argAt = at.arguments
        let modeAt = at.modes, itemAt = at.items, pathAt = at.paths, otherAt = at.others, verbAt = at.verbatim
        guard at.end == coded.count, total <= capacity, s <= n, n <= total / hs else { return nil }
        let bytes = c.assumingMemoryBound(to: UInt8.self)
        rows.reserve(hs * n + 16 * s)
        let hdrRows = rows.base, sysRows = rows.base + hs * n
        Self.unplane(c + hdrAt, width: hs, n, into: hdrRows)
        Self.unplane(c + latAt, width: 8, s, into: sysRows)
        Self.unplane(c + retAt, width: 8, s, into: sysRows + 8 * s)
        resetTables()
        var k = 0, w = 0
        var itemCursor = itemAt, pathCursor = pathAt, otherCursor = otherAt, verbCursor = verbAt
        var prevTs: UInt64 = 0, prevIds: UInt64 = 0
        // Running pointers into the rows and streams (offsets bounded above: no arithmetic can overflow).
        var h = UnsafeRawPointer(hdrRows)
        var latRow = UnsafeRawPointer(sysRows), retRow = UnsafeRawPointer(sysRows + 8 * s)
        var nrPtr = c + nrAt, argPtr = c + argAt
        let gen = generation
        for _ in 0..<n {
            let ts = Self.u64(h, 0) &+ prevTs
            let ids = Self.u64(h, 8) ^ prevIds
            let rest = Self.u64(h, 16)
            h += hs
            prevTs = ts
            prevIds = ids
            let len = Int(UInt16(truncatingIfNeeded: rest >> 16))
            guard RecordWalker.isPossible(length: len), len <= total &- w else { return nil }
            let r = out + w
            Self.put64(r, 0, ts); Self.put64(r, 8, ids); Self.put64(r, 16, rest)
            if UInt16(truncatingIfNeeded: rest) == RecordType.syscall.rawValue && len >= ss {
                guard k < s else { return nil }
                Self.put64(r, 24, Self.u64(latRow, 0))
                let nrWord = Self.u64(nrPtr, 0)
                Self.put64(r, 32, nrWord)
                let nr = UInt16(truncatingIfNeeded: nrWord)
                let p = retSlots + 2 * (Int(nr) & (Self.slots - 1))
                let ret = Self.u64(retRow, 0) ^ (p[1] == gen ? p[0] : 0)
                p[0] = ret
                p[1] = gen
                Self.put64(r, 40, ret)
                latRow += 8; retRow += 8; nrPtr += 8
                let tid = UInt32(truncatingIfNeeded: ids)
                let row = argSlots + Self.slot(tid: tid, nr: nr) * Self.slotWords
                let key = UInt64(tid) << 16 | UInt64(nr) | gen << 48
                // All ones when the slot holds this (tid, nr) of this chunk: XOR with its arguments, else with 0.
                let mask = row[0] == key ? UInt64.max : 0
                row[0] = key
                for a in 0..<6 {
                    let v = Self.u64(argPtr, 8 &* a) ^ (row[1 &+ a] & mask)
                    row[1 &+ a] = v
                    Self.put64(r, 48 &+ 8 &* a, v)
                }
                argPtr += 48
                switch bytes[modeAt + k] {
                case 0:
                    var q = ss
                    for _ in 0..<Int(UInt16(truncatingIfNeeded: nrWord >> 16)) {
                        guard itemCursor + 4 <= pathAt, len - q >= 4 else { return nil }
                        let head = c.loadUnaligned(fromByteOffset: itemCursor, as: UInt32.self)
                        r.storeBytes(of: head, toByteOffset: q, as: UInt32.self)
                        itemCursor += 4
                        let il = Int(UInt16(littleEndian: UInt16(truncatingIfNeeded: head >> 16)))
                        guard il <= len - q - 4 else { return nil }
                        let from: Int
                        if UInt8(truncatingIfNeeded: head) == ItemKind.path.rawValue {
                            guard il <= otherAt - pathCursor else { return nil }
                            from = pathCursor
                            pathCursor += il
                        } else {
                            guard il <= verbAt - otherCursor else { return nil }
                            from = otherCursor
                            otherCursor += il
                        }
                        Self.copySmall(to: r + q + 4, from: c + from, count: il,
                                       canOverrun: from + Self.smallCopy <= coded.count && w + q + 4 + Self.smallCopy <= capacity)
                        q += 4 + il
                    }
                    guard len - q < KcapABI.recordAlign else { return nil }
                    // Zero padding: every byte of a record is written, so bytes past it are rewritten later.
                    if w + q + 8 <= capacity {
                        r.storeBytes(of: UInt64(0), toByteOffset: q, as: UInt64.self)
                    } else {
                        (r + q).initializeMemory(as: UInt8.self, repeating: 0, count: len - q)
                    }
                case 1:
                    guard len - ss <= coded.count - verbCursor else { return nil }
                    (r + ss).copyMemory(from: c + verbCursor, byteCount: len - ss)
                    verbCursor += len - ss
                default:
                    return nil
                }
                k += 1
            } else {
                guard len - hs <= coded.count - verbCursor else { return nil }
                (r + hs).copyMemory(from: c + verbCursor, byteCount: len - hs)
                verbCursor += len - hs
            }
            w += len
        }
        guard k == s, w == total, itemCursor == pathAt, pathCursor == otherAt, otherCursor == verbAt,
              verbCursor == coded.count else { return nil }
        records = n
        return w
    }
}
