#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Why a Parquet file could not be written. Each case names the file or column involved and says what to do.
public enum ParquetError: Error, Equatable, CustomStringConvertible {
    /// open(2), write(2) or close(2) failed on the output file.
    case io(path: String, operation: String, errno: Int32)
    /// A value given to an INT32 column does not fit its declared width (the caller's schema is wrong).
    case valueOutOfRange(column: String, value: Int64)
    /// The columns of a row group hold different numbers of rows (a row was not appended to every column).
    case rowCountMismatch(column: String, rows: Int, expected: Int)
    /// A page or a count exceeds what Parquet's 32-bit header fields hold; lower the rows per row group.
    case tooLarge(column: String, bytes: Int)
    /// ZSTD refused to compress (its error name).
    case compression(column: String, reason: String)
    /// The writer was used after `close()`.
    case closed(path: String)

    /// One line for the user.
    public var description: String {
        switch self {
        case .io(let path, let op, let e):
            return "\(path): \(op) failed: \(String(cString: strerror(e))); check the directory exists and is writable"
        case .valueOutOfRange(let c, let v):
            return "column \(c): value \(v) does not fit the column's integer width; the table's schema must widen it"
        case .rowCountMismatch(let c, let rows, let expected):
            return "column \(c) holds \(rows) rows where the row group has \(expected); every row must set every column"
        case .tooLarge(let c, let bytes):
            return "column \(c): a page of \(bytes) bytes is past Parquet's 2 GiB limit; write fewer rows per row group"
        case .compression(let c, let reason):
            return "column \(c): zstd failed: \(reason)"
        case .closed(let path):
            return "\(path): written to after it was closed"
        }
    }
}
