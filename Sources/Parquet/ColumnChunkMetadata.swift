/// What the footer says of one written column chunk (parquet.thrift `ColumnMetaData`, less what the spec
/// gives): where its pages are, their sizes, encodings and statistics.
struct ColumnChunkMetadata {
    var spec: ParquetColumnSpec
    var encodings: [ParquetEncoding]
    var codec: ParquetCodec
    var numValues: Int64
    var uncompressedSize: Int64
    var compressedSize: Int64
    var dataPageOffset: Int64
    var dictionaryPageOffset: Int64?
    var nullCount: Int64
    /// PLAIN encodings of the smallest and largest value; nil when every row is null.
    var minValue: [UInt8]?
    var maxValue: [UInt8]?

    /// Where the chunk starts: its dictionary page, or its data page.
    var fileOffset: Int64 { dictionaryPageOffset ?? dataPageOffset }

    /// The struct's Thrift encoding.
    func write(to w: inout ThriftCompactWriter) {
        w.field(1, i32: spec.physical.rawValue)
        w.field(2, listOf: .i32, count: encodings.count)
        for e in encodings { w.writeZigzag32(e.rawValue) }
        let path = spec.path
        w.field(3, listOf: .binary, count: path.count)
        for p in path { w.writeBinary(Array(p.utf8)) }
        w.field(4, i32: codec.rawValue)
        w.field(5, i64: numValues)
        w.field(6, i64: uncompressedSize)
        w.field(7, i64: compressedSize)
        w.field(9, i64: dataPageOffset)
        if let d = dictionaryPageOffset { w.field(11, i64: d) }
        w.field(12, structure: { s in
            s.field(3, i64: nullCount)
            if let maxValue { s.field(5, binary: maxValue) }
            if let minValue { s.field(6, binary: minValue) }
        })
    }
}
