/// Parquet's DELTA_BINARY_PACKED encoding of INT32 and INT64 values (Encodings.md): a header (block size 128,
/// 4 miniblocks, the value count, the first value), then per block of 128 deltas their minimum and, per
/// miniblock of 32, the deltas less that minimum bit-packed at the miniblock's width. Event numbers,
/// timestamps and ids move by small steps, so a value takes a few bits where PLAIN takes four or eight, and
/// the compressor after it has a fraction of the bytes to look at.
enum DeltaBinaryPacked {
    static let blockSize = 128
    static let miniblocks = 4
    static let miniblockSize = 32

    /// Appends the encoding of `values` to `out`. `int32`: the values are an INT32 column's (deltas wrap at 32
    /// bits, as readers compute them); each value already fits its column's width.
    static func encode(_ values: UnsafeBufferPointer<Int64>, int32: Bool, to out: inout [UInt8]) {
        // At most: the header, and per block a minimum, four widths and 128 values of 64 bits.
        let capacity = 4 * 10 + (values.count / blockSize + 1) * (10 + miniblocks + blockSize * 8)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        defer { buffer.deallocate() }
        var o = 0
        func varint(_ v: UInt64) {
            var v = v
            while v >= 0x80 {
                buffer.storeBytes(of: UInt8(truncatingIfNeeded: v) | 0x80, toByteOffset: o, as: UInt8.self)
                o += 1
                v >>= 7
            }
            buffer.storeBytes(of: UInt8(v), toByteOffset: o, as: UInt8.self)
            o += 1
        }
        func zigzag(_ v: Int64) { varint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }
        varint(UInt64(blockSize))
        varint(UInt64(miniblocks))
        varint(UInt64(values.count))
        guard let v = values.baseAddress, values.count > 0 else {
            zigzag(0)
            return out.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: o))
        }
        zigzag(int32 ? Int64(Int32(truncatingIfNeeded: v[0])) : v[0])
        let u = UnsafeMutablePointer<UInt64>.allocate(capacity: blockSize)
        defer { u.deallocate() }
        var i = 1
        while i < values.count {
            let n = min(blockSize, values.count - i)
            // The block's deltas (wrapping at the column's width) and their minimum; then each less the
            // minimum, as an unsigned number of that width.
            var minDelta = Int64.max
            if int32 {
                for k in 0..<n {
                    let d = Int64(Int32(truncatingIfNeeded: v[i + k]) &- Int32(truncatingIfNeeded: v[i + k - 1]))
                    u[k] = UInt64(bitPattern: d)
                    minDelta = min(minDelta, d)
                }
                for k in 0..<n { u[k] = UInt64(UInt32(truncatingIfNeeded: Int64(bitPattern: u[k]) &- minDelta)) }
            } else {
                for k in 0..<n {
                    let d = v[i + k] &- v[i + k - 1]
                    u[k] = UInt64(bitPattern: d)
                    minDelta = min(minDelta, d)
                }
                for k in 0..<n { u[k] = UInt64(bitPattern: Int64(bitPattern: u[k]) &- minDelta) }
            }
            for k in n..<blockSize { u[k] = 0 }  // the last miniblock is padded with zeros
            zigzag(minDelta)
            var widths = (0, 0, 0, 0)
            withUnsafeMutableBytes(of: &widths) { raw in
                let w = raw.baseAddress!.assumingMemoryBound(to: Int.self)
                for m in 0..<miniblocks {
                    var bits: UInt64 = 0
                    for k in m * miniblockSize..<(m + 1) * miniblockSize { bits |= u[k] }
                    w[m] = 64 - bits.leadingZeroBitCount
                    buffer.storeBytes(of: UInt8(w[m]), toByteOffset: o, as: UInt8.self)
                    o += 1
                }
                // Miniblocks past the last delta are not written (their width is 0 and readers stop at the count).
                for m in 0..<miniblocks where m * miniblockSize < n {
                    o += pack(u + m * miniblockSize, width: w[m], to: buffer + o)
                }
            }
            i += n
        }
        out.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: o))
    }

    /// Bit-packs 32 values at `width` bits each, least significant bit first, at `dst`; returns the bytes
    /// written, `4 * width`.
    @inline(__always)
    static func pack(_ values: UnsafeMutablePointer<UInt64>, width: Int, to dst: UnsafeMutableRawPointer) -> Int {
        guard width > 0 else { return 0 }
        let size = 4 * width
        var acc: UInt64 = 0
        var bits = 0
        var o = 0
        for k in 0..<miniblockSize {
            let x = values[k]
            acc |= x << UInt64(bits)
            bits += width
            if bits >= 64 {
                dst.storeBytes(of: acc.littleEndian, toByteOffset: o, as: UInt64.self)
                o += 8
                bits -= 64
                // The bits of x that did not fit (none when it ended exactly on the word).
                acc = bits == 0 ? 0 : x >> UInt64(width - bits)
            }
        }
        // 32 * width bits are whole bytes: what is left of a word when width is odd.
        var k = 0
        while o < size {
            dst.storeBytes(of: UInt8(truncatingIfNeeded: acc >> UInt64(8 * k)), toByteOffset: o, as: UInt8.self)
            o += 1
            k += 1
        }
        return size
    }
}
