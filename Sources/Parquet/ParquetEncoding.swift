/// Parquet's encoding and codec codes (parquet.thrift `Encoding`, `CompressionCodec`, `PageType`).
enum ParquetEncoding: Int32 {
    case plain = 0
    case rle = 3
    case deltaBinaryPacked = 5
    case rleDictionary = 8
}

/// Page kinds written.
enum ParquetPageType: Int32 {
    case dataPage = 0
    case dictionaryPage = 2
}

/// Compression codecs written.
enum ParquetCodec: Int32 {
    case uncompressed = 0
    case zstd = 6
}
