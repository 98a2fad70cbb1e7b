/// Where each parameter of one event lies in the capture's bytes. Decoded into storage the caller keeps from
/// event to event (`decode(_:header:in:)`), so a replay allocates nothing per event.
public final class ScapEventParams {
    /// Most parameters an event may have: ppm events have at most 32 (PPM_MAX_EVENT_PARAMS); an event that
    /// claims more is damaged.
    public static let maxCount = 64

    /// storage[0]: parameters decoded; parameter i lies at storage[2 + 2i]..<storage[3 + 2i] of the bytes it
    /// was decoded from. Behind a `let` pointer: reading it costs no exclusivity check, from any module.
    @usableFromInline let storage: UnsafeMutablePointer<Int>
    @usableFromInline var bounds: UnsafeMutablePointer<Int> { storage + 2 }

    /// Parameters decoded.
    @inlinable public var count: Int { storage[0] }

    /// `ScapEventTable.decodeFacts` and its size.
    private let decodeFacts: UnsafeMutablePointer<UInt16>
    private let ids: Int
    /// Per event id, the parameter count that last fitted an event without a count (0xffff: none yet): a
    /// capture writes every event of an id with the same parameters, so it is tried first.
    private let lastCount: UnsafeMutablePointer<UInt16>

    public init() {
        storage = .allocate(capacity: 2 + 2 * Self.maxCount)
        storage[0] = 0
        decodeFacts = ScapEventTable.decodeFacts
        ids = ScapEventTable.rows.count
        lastCount = .allocate(capacity: ids)
        lastCount.initialize(repeating: 0xffff, count: ids)
    }

    deinit {
        storage.deallocate()
        lastCount.deallocate()
    }

    /// Byte ranges of the parameters, in file order.
    public var ranges: [Range<Int>] { (0..<count).map { range($0) } }

    /// Parameter `i`'s bytes (i < count).
    @inlinable
    public func range(_ i: Int) -> Range<Int> { bounds[2 * i]..<bounds[2 * i + 1] }

    /// Bytes of parameter `i` (i < count) in `bytes`.
    @inlinable
    public func bytes(_ i: Int, in bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: bytes.baseAddress! + bounds[2 * i], count: bounds[2 * i + 1] - bounds[2 * i])
    }

    /// Length of parameter `i` (i < count).
    @inlinable
    public func length(_ i: Int) -> Int { bounds[2 * i + 1] - bounds[2 * i] }

    /// Offsets of the event inside its block: CPU (2), flags (4, EVF blocks), then ppm_evt_hdr.
    @inline(__always)
    static func eventStart(_ block: ScapBlock) -> Int {
        block.body.lowerBound + 2 + (block.hasEventFlags ? 4 : 0)
    }

    /// Decodes the parameter lengths of the event in `block`. Blocks without a parameter count (0x204,
    /// 0x208) take the largest count, up to the table's, whose lengths add up to exactly the event's length
    /// (libscap's rule for old captures: the table only ever gains parameters at the end).
    public func decode(_ block: ScapBlock, header: ScapEventHeader, in bytes: UnsafeRawBufferPointer) throws(ScapError) {
        storage[0] = 0
        let start = Self.eventStart(block)
        let headerSize = header.parameterCount == nil ? 22 : 26
        let end = start + Int(header.length)
        guard Int(header.length) >= headerSize, end <= block.body.upperBound, end <= bytes.count else {
            throw ScapError(.corrupt, offset: block.offset, "event of type \(header.type) claims \(header.length) bytes, outside its block")
        }
        let facts = Int(header.type) < ids ? decodeFacts[Int(header.type)] : 0
        let lenSize = facts & 0x8000 != 0 || header.parameterLengthSize == 4 ? 4 : 2
        let base = bytes.baseAddress!
        let lens = start + headerSize
        @inline(__always) func length(_ i: Int) -> Int {
            lenSize == 2 ? Int(base.loadUnaligned(fromByteOffset: lens + 2 * i, as: UInt16.self).littleEndian)
                : Int(base.loadUnaligned(fromByteOffset: lens + 4 * i, as: UInt32.self).littleEndian)
        }
        var n: Int
        if let c = header.parameterCount {
            n = Int(c)
            guard n <= (end - lens) / lenSize else {
                throw ScapError(.corrupt, offset: block.offset, "event of type \(header.type) claims \(c) parameters, more than its \(header.length) bytes hold")
            }
        } else {
            var found: Int? = nil
            let type = Int(header.type)
            if type < ids, lastCount[type] != 0xffff {
                // The count that fitted the last event of this id, checked first (one pass over the lengths).
                let c = Int(lastCount[type])
                if lens + c * lenSize <= end {
                    var total = lens + c * lenSize
                    for i in 0..<c { total += length(i) }
                    if total == end { found = c }
                }
            }
            var k = found == nil ? Int(facts & 0x7fff) : -1
            while k >= 0 {
                if lens + k * lenSize <= end {
                    var total = lens + k * lenSize
                    for i in 0..<k { total += length(i) }
                    if total == end { found = k; break }
                    if total < end { break }  // fewer parameters cannot reach further
                }
                k -= 1
            }
            guard let f = found else {
                throw ScapError(.corrupt, offset: block.offset, "event of type \(header.type): no parameter count fits its \(header.length) bytes")
            }
            if type < ids { lastCount[type] = UInt16(f) }
            n = f
        }
        guard n <= Self.maxCount else {
            throw ScapError(.corrupt, offset: block.offset, "event of type \(header.type) claims \(n) parameters, more than the \(Self.maxCount) any event has")
        }
        let bounds = self.bounds
        var at = lens + n * lenSize
        for i in 0..<n {
            let len = length(i)
            guard len <= end - at else {
                throw ScapError(.corrupt, offset: block.offset, "event of type \(header.type): parameter \(i) of \(len) bytes runs past the event")
            }
            bounds[2 * i] = at
            at += len
            bounds[2 * i + 1] = at
        }
        storage[0] = n
    }

    /// `decode` for a capture held in memory.
    public func decode(_ block: ScapBlock, header: ScapEventHeader, in bytes: [UInt8]) throws(ScapError) {
        try withScapBytes(bytes) { (b: UnsafeRawBufferPointer) throws(ScapError) in try decode(block, header: header, in: b) }
    }

    /// Parameter `i` as a little-endian integer of its length (nil when absent or longer than 8 bytes).
    @inlinable
    public func integer(_ i: Int, in bytes: UnsafeRawBufferPointer) -> UInt64? {
        guard i < count else { return nil }
        let from = bounds[2 * i], n = bounds[2 * i + 1] - from
        let p = bytes.baseAddress! + from
        switch n {
        case 8: return p.loadUnaligned(as: UInt64.self).littleEndian
        case 4: return UInt64(p.loadUnaligned(as: UInt32.self).littleEndian)
        case 2: return UInt64(p.loadUnaligned(as: UInt16.self).littleEndian)
        case 1: return UInt64(p.load(as: UInt8.self))
        case 0: return 0
        default:
            guard n < 8 else { return nil }
            var v: UInt64 = 0
            for b in 0..<n { v |= UInt64(p.load(fromByteOffset: b, as: UInt8.self)) << (8 * UInt64(b)) }
            return v
        }
    }

    /// Parameter `i` sign-extended from its length (an fd, errno or pid of 8, 4 or 2 bytes).
    @inlinable
    public func signed(_ i: Int, in bytes: UnsafeRawBufferPointer) -> Int64? {
        guard let v = integer(i, in: bytes) else { return nil }
        let bits = UInt64(length(i) * 8)
        guard bits > 0, bits < 64 else { return Int64(bitPattern: v) }
        let shift = 64 - bits
        return Int64(bitPattern: v << shift) >> Int64(shift)
    }
}
