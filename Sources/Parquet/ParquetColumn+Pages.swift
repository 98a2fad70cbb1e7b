/// A column's row group as pages: an optional dictionary page, then one data page (v1) holding the
/// repetition and definition levels (RLE, 4-byte length prefix) and the values (PLAIN, RLE_DICTIONARY
/// indices, or DELTA_BINARY_PACKED integers). Each page body is ZSTD-compressed on its own; the page header
/// before it stays plain Thrift. A chunk of a few bytes, or of a column whose last chunk ZSTD could not
/// shrink by a tenth (timestamps, latencies: DELTA_BINARY_PACKED leaves them little redundancy), is written
/// uncompressed: the codec is per chunk, and compressing what does not shrink costs time for nothing.
extension ParquetColumn {
    /// Appends the column chunk to `out`, whose first byte sits at file offset `base`; returns its metadata.
    /// `body` is scratch space for page bodies, reused across chunks (fresh megabytes per chunk cost a page
    /// fault every 4 KiB).
    func writePages(to out: inout [UInt8], base: Int64, body: inout [UInt8], dictionaryBody: inout [UInt8],
                    compressor: ZstdCompressor?) throws(ParquetError) -> ColumnChunkMetadata {
        let start = out.count
        let slots = slotCount
        var meta = ColumnChunkMetadata(spec: spec, encodings: [], codec: .uncompressed,
                                       numValues: Int64(slots), uncompressedSize: 0, compressedSize: 0,
                                       dataPageOffset: 0, dictionaryPageOffset: nil, nullCount: Int64(nullCount))
        var uncompressed = 0

        // A chunk of nulls only has no dictionary to write: its (empty) values go PLAIN.
        let dictionaryEncoded = spec.physical == .byteArray && usesDictionary && dictionary.count > 0
        dictionaryBody.removeAll(keepingCapacity: true)
        if dictionaryEncoded {
            dictionaryBody.reserveCapacity(dictionary.byteCount + 4 * dictionary.count)
            for i in 0..<dictionary.count {
                let e = dictionary.entry(i)
                Self.appendLE32(UInt32(truncatingIfNeeded: e.count), to: &dictionaryBody)
                dictionaryBody.append(contentsOf: e)
            }
        }
        body.removeAll(keepingCapacity: true)

        if spec.sparse {
            let (repetition, definition) = sparseLevels()
            if let repetition {
                Self.appendLE32(UInt32(truncatingIfNeeded: repetition.count), to: &body)
                body.append(contentsOf: repetition)
            }
            Self.appendLE32(UInt32(truncatingIfNeeded: definition.count), to: &body)
            body.append(contentsOf: definition)
        } else if spec.optional {
            let levels = RLEHybridEncoder.encode(definitions.values, bitWidth: 1)
            Self.appendLE32(UInt32(truncatingIfNeeded: levels.count), to: &body)
            body.append(contentsOf: levels)
        }
        let encoding: ParquetEncoding
        switch spec.physical {
        case .byteArray where dictionaryEncoded:
            encoding = .rleDictionary
            let width = max(1, RLEHybridEncoder.bitWidth(forMax: UInt64(max(dictionary.count, 1) - 1)))
            body.append(UInt8(width))
            body.append(contentsOf: RLEHybridEncoder.encode(indices.values, bitWidth: width))
        case .byteArray:
            encoding = .plain
            body.append(contentsOf: plain)
        case .boolean:
            encoding = .plain
            var byte: UInt8 = 0
            for (i, v) in ints.values.enumerated() {
                if v != 0 { byte |= 1 << UInt8(i & 7) }
                if i & 7 == 7 { body.append(byte); byte = 0 }
            }
            if ints.count & 7 != 0 { body.append(byte) }
        case .int32, .int64:
            encoding = .deltaBinaryPacked
            try checkRange()
            DeltaBinaryPacked.encode(ints.values, int32: spec.physical == .int32, to: &body)
        }
        let raw = dictionaryBody.count + body.count
        let compressing = compressor != nil && raw >= Self.compressionFloor && uncompressedChunksToCome == 0
        let codec = compressing ? compressor : nil
        meta.codec = compressing ? .zstd : .uncompressed
        if dictionaryEncoded {
            meta.dictionaryPageOffset = base + Int64(out.count - start)
            uncompressed += try writePage(.dictionaryPage, body: dictionaryBody, values: dictionary.count,
                                          encoding: .plain, to: &out, compressor: codec)
        }
        meta.dataPageOffset = base + Int64(out.count - start)
        uncompressed += try writePage(.dataPage, body: body, values: slots, encoding: encoding, to: &out,
                                      compressor: codec)
        if compressing {
            if (out.count - start) * 10 > uncompressed * 9 { uncompressedChunksToCome = Self.uncompressedChunksAfterMiss }
        } else if uncompressedChunksToCome > 0 {
            uncompressedChunksToCome -= 1
        }
        meta.encodings = encoding == .deltaBinaryPacked ? [.rle, .deltaBinaryPacked]
            : meta.dictionaryPageOffset == nil ? [.plain, .rle] : [.plain, .rle, .rleDictionary]
        meta.uncompressedSize = Int64(uncompressed)
        meta.compressedSize = Int64(out.count - start)
        (meta.minValue, meta.maxValue) = extremes()
        // Long strings (an I/O buffer in evt.args) would bloat the footer every reader loads first; Parquet
        // allows leaving min/max out, and a reader then just cannot skip this chunk by this column.
        if (meta.minValue?.count ?? 0) > Self.statisticsLimit || (meta.maxValue?.count ?? 0) > Self.statisticsLimit {
            (meta.minValue, meta.maxValue) = (nil, nil)
        }
        return meta
    }

    /// The repetition levels (lists only) and definition levels of a sparse column, RLE-encoded from its set
    /// rows: a run of nulls between them costs one run, whatever its length.
    func sparseLevels() -> (repetition: [UInt8]?, definition: [UInt8]) {
        var def = RLEHybridEncoder(bitWidth: RLEHybridEncoder.bitWidth(forMax: UInt64(spec.maxDefinition)))
        var rep = RLEHybridEncoder(bitWidth: 1)
        let list = spec.isList
        if !list, presentRows.count * 16 >= rowCount {
            // Set in more than one row in sixteen (a result, an fd): short runs everywhere, so the levels are
            // laid out as bytes and encoded eight at a time.
            var levels = [UInt8](repeating: 0, count: rowCount)
            for r in presentRows.values { levels[Int(r)] = 1 }
            levels.withUnsafeBufferPointer { def.append($0) }
            return (nil, def.finish())
        }
        var next = 0  // the first row not yet encoded
        var ones = 0  // consecutive set rows not yet encoded (plain values: definition 1 each)
        for k in 0..<presentRows.count {
            let r = Int(presentRows.base[k])
            if r > next {
                if ones > 0 { def.appendRun(1, count: ones); ones = 0 }
                def.appendRun(0, count: r - next)
                if list { rep.appendRun(0, count: r - next) }
            }
            next = r + 1
            guard list else { ones += 1; continue }
            let n = Int(listLengths.base[k])
            // An empty list is one slot at definition 1; elements are slots at 2, the first starting the row.
            def.appendRun(n == 0 ? 1 : 2, count: max(1, n))
            rep.appendRun(0, count: 1)
            if n > 1 { rep.appendRun(1, count: n - 1) }
        }
        if ones > 0 { def.appendRun(1, count: ones) }
        if rowCount > next {
            def.appendRun(0, count: rowCount - next)
            if list { rep.appendRun(0, count: rowCount - next) }
        }
        return (list ? rep.finish() : nil, def.finish())
    }

    /// Chunks with fewer bytes than this are not worth a ZSTD frame.
    static let compressionFloor = 128
    /// After a chunk ZSTD did not shrink by a tenth, this many of the column's next chunks are written
    /// uncompressed (then it tries again).
    static let uncompressedChunksAfterMiss = 8

    /// Longest min or max value written into the footer's statistics.
    static let statisticsLimit = 256

    /// Writes one page header and body; returns the page's uncompressed size (header included), as the
    /// footer's totals count it.
    private func writePage(_ type: ParquetPageType, body: [UInt8], values: Int, encoding: ParquetEncoding,
                           to out: inout [UInt8], compressor: ZstdCompressor?) throws(ParquetError) -> Int {
        let stored: ArraySlice<UInt8> = try compressor?.compress(body, column: spec.name) ?? body[...]
        guard let rawSize = Int32(exactly: body.count), let storedSize = Int32(exactly: stored.count),
              let count = Int32(exactly: values) else {
            throw .tooLarge(column: spec.name, bytes: body.count)
        }
        var h = ThriftCompactWriter()
        h.field(1, i32: type.rawValue)
        h.field(2, i32: rawSize)
        h.field(3, i32: storedSize)
        switch type {
        case .dictionaryPage:
            h.field(7, structure: { s in
                s.field(1, i32: count)
                s.field(2, i32: encoding.rawValue)
            })
        case .dataPage:
            h.field(5, structure: { s in
                s.field(1, i32: count)
                s.field(2, i32: encoding.rawValue)
                s.field(3, i32: ParquetEncoding.rle.rawValue)
                s.field(4, i32: ParquetEncoding.rle.rawValue)
            })
        }
        h.endStruct()
        out.append(contentsOf: h.bytes)
        out.append(contentsOf: stored)
        return h.bytes.count + body.count
    }

    /// Refuses values outside the column's declared width before they are truncated into a page.
    private func checkRange() throws(ParquetError) {
        guard ints.count > 0 else { return }
        let range = spec.integerRange
        if !range.contains(minInt) { throw .valueOutOfRange(column: spec.name, value: minInt) }
        if !range.contains(maxInt) { throw .valueOutOfRange(column: spec.name, value: maxInt) }
    }

    /// PLAIN encodings of the smallest and largest present value, nil when there is none.
    func extremes() -> ([UInt8]?, [UInt8]?) {
        switch spec.physical {
        case .boolean:
            guard ints.count > 0 else { return (nil, nil) }
            return ([UInt8(truncatingIfNeeded: minInt)], [UInt8(truncatingIfNeeded: maxInt)])
        case .int32:
            guard ints.count > 0 else { return (nil, nil) }
            var lo: [UInt8] = [], hi: [UInt8] = []
            Self.appendLE32(UInt32(truncatingIfNeeded: minInt), to: &lo)
            Self.appendLE32(UInt32(truncatingIfNeeded: maxInt), to: &hi)
            return (lo, hi)
        case .int64:
            guard ints.count > 0 else { return (nil, nil) }
            var lo: [UInt8] = [], hi: [UInt8] = []
            Self.appendLE64(UInt64(bitPattern: minInt), to: &lo)
            Self.appendLE64(UInt64(bitPattern: maxInt), to: &hi)
            return (lo, hi)
        case .byteArray:
            if !usesDictionary { return hasByteExtremes ? (minBytes, maxBytes) : (nil, nil) }
            guard dictionary.count > 0 else { return (nil, nil) }
            // Every dictionary entry is used by this row group, so its extremes are the column's.
            var lo = Array(dictionary.entry(0)), hi = lo
            for i in 1..<dictionary.count {
                dictionary.entry(i).withUnsafeBytes { b in
                    if Self.compare(b, lo) < 0 { lo = Array(b) } else if Self.compare(b, hi) > 0 { hi = Array(b) }
                }
            }
            return (lo, hi)
        }
    }

    static func appendLE32(_ v: UInt32, to out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: v))
        out.append(UInt8(truncatingIfNeeded: v >> 8))
        out.append(UInt8(truncatingIfNeeded: v >> 16))
        out.append(UInt8(truncatingIfNeeded: v >> 24))
    }

    static func appendLE64(_ v: UInt64, to out: inout [UInt8]) {
        appendLE32(UInt32(truncatingIfNeeded: v), to: &out)
        appendLE32(UInt32(truncatingIfNeeded: v >> 32), to: &out)
    }
}
