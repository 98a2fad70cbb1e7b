/// Where each parameter of one event lies in the capture's bytes. Decoded into a buffer the caller keeps
/// from event to event (`decode(_:header:in:)`), so a replay allocates nothing per event.
public struct ScapEventParams {
    /// Byte ranges of the parameters, in file order.
    public private(set) var ranges: [Range<Int>] = []

    public init() { ranges.reserveCapacity(40) }

    /// Offsets of the event inside its block: CPU (2), flags (4, EVF blocks), then ppm_evt_hdr.
    static func eventStart(_ block: ScapBlock) -> Int {
        block.body.lowerBound + 2 + (block.hasEventFlags ? 4 : 0)
    }

    /// Decodes the parameter lengths of the event in `block`. Blocks without a parameter count (0x204,
    /// 0x208) take the largest count, up to the table's, whose lengths add up to exactly the event's length
    /// (libscap's rule for old captures: the table only ever gains parameters at the end).
    public mutating func decode(_ block: ScapBlock, header: ScapEventHeader, in bytes: [UInt8]) throws(ScapError) {
        ranges.removeAll(keepingCapacity: true)
        let start = Self.eventStart(block)
        let headerSize = header.parameterCount == nil ? 22 : 26
        let end = start + Int(header.length)
        guard Int(header.length) >= headerSize, end <= block.body.upperBound else {
            throw ScapError(.corrupt, offset: block.offset, "event of type \(header.type) claims \(header.length) bytes, outside its block")
        }
        let info = ScapEventTable.info(header.type)
        let lenSize = (info?.largePayload ?? false) || header.parameterLengthSize == 4 ? 4 : 2
        let lens = start + headerSize
        func length(_ i: Int) -> Int {
            var v = 0
            for b in 0..<lenSize { v |= Int(bytes[lens + i * lenSize + b]) << (8 * b) }
            return v
        }
        var count: Int
        if let n = header.parameterCount {
            count = Int(n)
            guard count <= (end - lens) / lenSize else {
                throw ScapError(.corrupt, offset: block.offset, "event of type \(header.type) claims \(n) parameters, more than its \(header.length) bytes hold")
            }
        } else {
            var found: Int? = nil
            var n = info?.params.count ?? 0
            while n >= 0 {
                if lens + n * lenSize <= end {
                    var total = lens + n * lenSize
                    for i in 0..<n { total += length(i) }
                    if total == end { found = n; break }
                    if total < end { break }  // fewer parameters cannot reach further
                }
                n -= 1
            }
            guard let f = found else {
                throw ScapError(.corrupt, offset: block.offset, "event of type \(header.type): no parameter count fits its \(header.length) bytes")
            }
            count = f
        }
        var at = lens + count * lenSize
        for i in 0..<count {
            let n = length(i)
            guard n <= end - at else {
                throw ScapError(.corrupt, offset: block.offset, "event of type \(header.type): parameter \(i) of \(n) bytes runs past the event")
            }
            ranges.append(at..<(at + n))
            at += n
        }
    }

    /// Parameter `i` as a little-endian integer of its length (0 when absent or longer than 8 bytes).
    @inline(__always)
    public func integer(_ i: Int, in bytes: [UInt8]) -> UInt64? {
        guard i < ranges.count, ranges[i].count <= 8 else { return nil }
        var v: UInt64 = 0
        var shift: UInt64 = 0
        for b in ranges[i] { v |= UInt64(bytes[b]) << shift; shift += 8 }
        return v
    }

    /// Parameter `i` sign-extended from its length (an fd, errno or pid of 8, 4 or 2 bytes).
    @inline(__always)
    public func signed(_ i: Int, in bytes: [UInt8]) -> Int64? {
        guard let v = integer(i, in: bytes) else { return nil }
        let bits = UInt64(ranges[i].count * 8)
        guard bits > 0, bits < 64 else { return Int64(bitPattern: v) }
        let shift = 64 - bits
        return Int64(bitPattern: v << shift) >> Int64(shift)
    }
}
