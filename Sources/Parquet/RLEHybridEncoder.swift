/// Parquet's RLE / bit-packing hybrid, the encoding of definition levels and dictionary indices.
///
/// A run of at least eight equal values becomes an RLE run (header `count << 1`, then the value in
/// ceil(bitWidth / 8) little-endian bytes); everything else is bit-packed in groups of eight values (header
/// `groups << 1 | 1`, then `groups * bitWidth` bytes, least significant bit first). Only the last bit-packed
/// group may be padded: the page's value count tells the reader where to stop.
public struct RLEHybridEncoder {
    /// Bits per value, 0...32.
    public let bitWidth: Int
    /// The encoded bytes so far.
    public private(set) var bytes: [UInt8] = []
    // Values waiting to be bit-packed; always fewer than eight after a group is packed, except while a
    // literal run is being built up (whole groups live in `literalBytes`).
    private var literalBytes: [UInt8] = []
    private var literalGroups = 0
    private var pending: [UInt32] = []

    /// An encoder for values of `bitWidth` bits.
    public init(bitWidth: Int) {
        self.bitWidth = max(0, min(32, bitWidth))
        pending.reserveCapacity(8)
    }

    /// The bits needed to hold `maxValue` (0 for 0).
    public static func bitWidth(forMax maxValue: UInt64) -> Int { 64 - maxValue.leadingZeroBitCount }

    /// Encodes `values` (each below 2^bitWidth) and returns the bytes, leaving the encoder empty.
    public static func encode<C: Collection>(_ values: C, bitWidth: Int) -> [UInt8] where C.Element: BinaryInteger {
        var e = RLEHybridEncoder(bitWidth: bitWidth)
        e.append(contentsOf: values)
        return e.finish()
    }

    /// Appends values: runs are found here, so the caller need not know the encoding.
    public mutating func append<C: Collection>(contentsOf values: C) where C.Element: BinaryInteger {
        var i = values.startIndex
        while i != values.endIndex {
            let v = UInt32(truncatingIfNeeded: values[i])
            // The run of `v` starting at i.
            var j = values.index(after: i)
            var run = 1
            while j != values.endIndex, UInt32(truncatingIfNeeded: values[j]) == v {
                run += 1
                j = values.index(after: j)
            }
            // Complete the partial literal group first: literal groups hold exactly eight values.
            while !pending.isEmpty, run > 0 {
                pushLiteral(v)
                run -= 1
            }
            if run >= 8 {
                flushLiterals()
                appendRun(v, count: run)
            } else {
                for _ in 0..<run { pushLiteral(v) }
            }
            i = j
        }
    }

    /// Ends the stream (padding the last literal group) and returns the bytes, leaving the encoder empty.
    public mutating func finish() -> [UInt8] {
        if !pending.isEmpty {
            while pending.count < 8 { pending.append(0) }
            packPending()
        }
        flushLiterals()
        defer { bytes = [] }
        return bytes
    }

    private mutating func pushLiteral(_ v: UInt32) {
        pending.append(v)
        if pending.count == 8 { packPending() }
    }

    private mutating func packPending() {
        var acc: UInt64 = 0
        var bits = 0
        for v in pending {
            acc |= UInt64(v) << UInt64(bits)
            bits += bitWidth
            while bits >= 8 {
                literalBytes.append(UInt8(truncatingIfNeeded: acc))
                acc >>= 8
                bits -= 8
            }
        }
        // 8 values of any width fill whole bytes, so nothing is left in `acc`.
        pending.removeAll(keepingCapacity: true)
        literalGroups += 1
    }

    private mutating func flushLiterals() {
        guard literalGroups > 0 else { return }
        appendVarint(UInt64(literalGroups) << 1 | 1)
        bytes.append(contentsOf: literalBytes)
        literalBytes.removeAll(keepingCapacity: true)
        literalGroups = 0
    }

    private mutating func appendRun(_ v: UInt32, count: Int) {
        appendVarint(UInt64(count) << 1)
        var value = v
        for _ in 0..<(bitWidth + 7) / 8 {
            bytes.append(UInt8(truncatingIfNeeded: value))
            value >>= 8
        }
    }

    private mutating func appendVarint(_ value: UInt64) {
        ULEB128.append(value, to: &bytes)
    }
}
