/// Parquet's RLE / bit-packing hybrid, the encoding of definition levels and dictionary indices.
///
/// A run of at least eight equal values becomes an RLE run (header `count << 1`, then the value in
/// ceil(bitWidth / 8) little-endian bytes); everything else is bit-packed in groups of eight values (header
/// `groups << 1 | 1`, then `groups * bitWidth` bytes, least significant bit first). Only the last bit-packed
/// group may be padded: the page's value count tells the reader where to stop.
///
/// A row group's levels and indices are millions of values: the open group lives in a SIMD register and
/// whole groups are packed into a word, so a value costs a few instructions and a run one header.
public struct RLEHybridEncoder {
    /// Bits per value, 0...32.
    public let bitWidth: Int
    /// The encoded bytes so far.
    public private(set) var bytes: [UInt8] = []
    // Whole literal groups not yet written (their header needs their count), and the open group.
    private var literalBytes: [UInt8] = []
    private var literalGroups = 0
    private var pending = SIMD8<UInt32>()
    private var pendingCount = 0

    /// An encoder for values of `bitWidth` bits.
    public init(bitWidth: Int) {
        self.bitWidth = max(0, min(32, bitWidth))
    }

    /// The bits needed to hold `maxValue` (0 for 0).
    public static func bitWidth(forMax maxValue: UInt64) -> Int { 64 - maxValue.leadingZeroBitCount }

    /// Encodes `values` (each below 2^bitWidth) and returns the bytes, leaving the encoder empty.
    public static func encode<C: Collection>(_ values: C, bitWidth: Int) -> [UInt8] where C.Element: BinaryInteger {
        var e = RLEHybridEncoder(bitWidth: bitWidth)
        e.append(contentsOf: values)
        return e.finish()
    }

    /// Encodes a buffer of levels or indices (the column writer's storage).
    public static func encode<T: FixedWidthInteger & UnsignedInteger>(_ values: UnsafeBufferPointer<T>, bitWidth: Int) -> [UInt8] {
        var e = RLEHybridEncoder(bitWidth: bitWidth)
        e.append(values)
        return e.finish()
    }

    /// Appends values: runs are found here, so the caller need not know the encoding.
    public mutating func append<C: Collection>(contentsOf values: C) where C.Element: BinaryInteger {
        let copy = values.map { UInt32(truncatingIfNeeded: $0) }
        copy.withUnsafeBufferPointer { append($0) }
    }

    /// Appends a buffer of values, run by run.
    public mutating func append<T: FixedWidthInteger & UnsignedInteger>(_ values: UnsafeBufferPointer<T>) {
        if T.self == UInt8.self, bitWidth == 1 {
            return appendBits(UnsafeBufferPointer(start: UnsafeRawPointer(values.baseAddress)?.assumingMemoryBound(to: UInt8.self),
                                                  count: values.count))
        }
        guard let base = values.baseAddress else { return }
        let n = values.count
        var i = 0
        while i < n {
            let v = base[i]
            if pendingCount == 0, n - i >= 8 {
                // On a group boundary: eight values that are not all equal are one literal group, packed at once
                // (a run shorter than eight costs nothing to keep inside it).
                var k = 1
                while k < 8, base[i + k] == v { k += 1 }
                if k < 8 {
                    for m in 0..<8 { pending[m] = UInt32(truncatingIfNeeded: base[i + m]) }
                    pendingCount = 8
                    packPending()
                    i += 8
                    continue
                }
            }
            var j = i + 1
            while j < n, base[j] == v { j += 1 }
            appendRun(UInt32(truncatingIfNeeded: v), count: j - i)
            i = j
        }
    }

    /// Appends 0/1 values (definition levels) at width 1, eight at a time: eight equal ones start a run, any
    /// other eight are one literal byte.
    mutating func appendBits(_ values: UnsafeBufferPointer<UInt8>) {
        guard let base = values.baseAddress else { return }
        let raw = UnsafeRawPointer(base)
        let n = values.count
        let ones: UInt64 = 0x0101_0101_0101_0101
        var i = 0
        while i < n {
            if pendingCount != 0 || n - i < 8 {
                // Value by value until the open group is closed (or the tail).
                let v = base[i]
                var j = i + 1
                while j < n, base[j] == v { j += 1 }
                appendRun(UInt32(v), count: j - i)
                i = j
                continue
            }
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if word == 0 || word == ones {
                var j = i + 8
                while j + 8 <= n, raw.loadUnaligned(fromByteOffset: j, as: UInt64.self) == word { j += 8 }
                let v = base[i]
                while j < n, base[j] == v { j += 1 }
                appendRun(UInt32(v), count: j - i)
                i = j
            } else {
                // Byte k's low bit to bit k: the multiply gathers the eight bits into the top byte.
                literalBytes.append(UInt8(truncatingIfNeeded: ((word & ones) &* 0x0102_0408_1020_4080) >> 56))
                literalGroups += 1
                i += 8
            }
        }
    }

    /// Appends `count` copies of `v`: an RLE run when eight or more remain once the open literal group is
    /// full, literals otherwise.
    public mutating func appendRun(_ v: UInt32, count: Int) {
        var run = count
        // Complete the open literal group first: literal groups hold exactly eight values.
        while pendingCount != 0, run > 0 {
            pushLiteral(v)
            run -= 1
        }
        if run >= 8 {
            flushLiterals()
            appendRLE(v, count: run)
        } else {
            for _ in 0..<run { pushLiteral(v) }
        }
    }

    /// Ends the stream (padding the last literal group) and returns the bytes, leaving the encoder empty.
    public mutating func finish() -> [UInt8] {
        if pendingCount != 0 {
            for k in pendingCount..<8 { pending[k] = 0 }
            pendingCount = 8
            packPending()
        }
        flushLiterals()
        defer { bytes = [] }
        return bytes
    }

    @inline(__always)
    mutating func pushLiteral(_ v: UInt32) {
        pending[pendingCount] = v
        pendingCount += 1
        if pendingCount == 8 { packPending() }
    }

    /// Packs the eight open values into `bitWidth` bytes, least significant bit first: in up to four words,
    /// appended at once.
    mutating func packPending() {
        let w = UInt64(bitWidth)
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { raw in
            let word = raw.baseAddress!.assumingMemoryBound(to: UInt64.self)
            var bit: UInt64 = 0
            for k in 0..<8 {
                let v = UInt64(pending[k])
                let i = Int(bit >> 6), shift = bit & 63
                word[i] |= v << shift
                // The value's high bits that spill into the next word (none when it ends within this one).
                if shift + w > 64 { word[i + 1] |= v >> (64 - shift) }
                bit += w
            }
            literalBytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(raw)[0..<bitWidth]))
        }
        pendingCount = 0
        literalGroups += 1
    }

    mutating func flushLiterals() {
        guard literalGroups > 0 else { return }
        ULEB128.append(UInt64(literalGroups) << 1 | 1, to: &bytes)
        bytes.append(contentsOf: literalBytes)
        literalBytes.removeAll(keepingCapacity: true)
        literalGroups = 0
    }

    mutating func appendRLE(_ v: UInt32, count: Int) {
        ULEB128.append(UInt64(count) << 1, to: &bytes)
        var value = v
        for _ in 0..<(bitWidth + 7) / 8 {
            bytes.append(UInt8(truncatingIfNeeded: value))
            value >>= 8
        }
    }
}
