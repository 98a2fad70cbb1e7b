#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Writes one flat Parquet file: `PAR1`, row groups of column chunks, the Thrift footer, its length, `PAR1`.
///
/// Callers append a row by appending one value (or null) to every column in `columns` (sparse columns: setting
/// the value of `currentRow` in those that have one), then calling `endRow()`; a row group is written when it reaches `rowsPerGroup` rows, and `close()` writes the last one
/// and the footer. The writer knows nothing of what the table means: its schema is the caller's.
///
/// The file is written as `PATH.partial` and renamed to `PATH` by `close()`, so a reader never meets a file
/// without its footer, and a failed export leaves no file that looks finished.
public final class ParquetFileWriter {
    /// The columns of the row group being built, in schema order.
    public let columns: [ParquetColumn]
    /// Rows per row group: engines skip whole row groups by their min/max statistics, and each is one unit
    /// of their parallelism.
    public let rowsPerGroup: Int
    /// The file's path.
    public let path: String
    /// Rows written so far (closed row groups and the open one).
    @exclusivity(unchecked)
    public private(set) var rowCount: Int64 = 0
    /// Bytes written so far.
    public private(set) var bytesWritten: Int64 = 0

    private let fd: Int32
    private let compressor: ZstdCompressor?
    let metadata: [(key: String, value: String)]
    let createdBy: String
    @exclusivity(unchecked)
    private var rowsInGroup = 0
    private(set) var groups: [(rows: Int64, offset: Int64, chunks: [ColumnChunkMetadata])] = []
    private var buffer: [UInt8] = []
    private var pageBody: [UInt8] = []
    private var dictionaryBody: [UInt8] = []
    private var closed = false

    /// Creates (or truncates) `path`. `zstdLevel` nil writes uncompressed pages; `metadata` goes into the
    /// footer's key-value metadata (a schema version, the source), `createdBy` names the writing program.
    public init(path: String, columns: [ParquetColumnSpec], rowsPerGroup: Int = 1 << 17, zstdLevel: Int32? = 1,
                metadata: [(key: String, value: String)] = [], createdBy: String) throws(ParquetError) {
        let compressor = try zstdLevel.map { level throws(ParquetError) in try ZstdCompressor(level: level, path: path) }
        let fd = open(path + ".partial", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw .io(path: path, operation: "open", errno: errno) }
        self.fd = fd
        self.path = path
        self.columns = columns.map(ParquetColumn.init)
        self.rowsPerGroup = max(1, rowsPerGroup)
        self.compressor = compressor
        self.metadata = metadata
        self.createdBy = createdBy
        buffer = Array("PAR1".utf8)
    }

    deinit {
        if !closed {
            _ = Glibc.close(fd)
            unlink(path + ".partial")
        }
    }

    /// The row being built, counted from 0 in the open row group: the row a sparse column's `set` takes.
    @inline(__always)
    public var currentRow: Int { rowsInGroup }

    /// Ends a row: every column must have had one value or null appended since the last `endRow()`.
    @inline(__always)
    public func endRow() throws(ParquetError) {
        rowsInGroup += 1
        rowCount += 1
        if rowsInGroup >= rowsPerGroup { try flushRowGroup() }
    }

    /// Writes the open row group (if it has rows), the footer, and closes the file.
    public func close() throws(ParquetError) {
        guard !closed else { throw .closed(path: path) }
        if rowsInGroup > 0 { try flushRowGroup() }
        var footer = ThriftCompactWriter()
        writeFileMetadata(to: &footer)
        let n = UInt32(truncatingIfNeeded: footer.bytes.count)
        buffer.append(contentsOf: footer.bytes)
        ParquetColumn.appendLE32(n, to: &buffer)
        buffer.append(contentsOf: Array("PAR1".utf8))
        try drain()
        closed = true
        if Glibc.close(fd) != 0 { throw .io(path: path, operation: "close", errno: errno) }
        if rename(path + ".partial", path) != 0 { throw .io(path: path, operation: "rename", errno: errno) }
    }

    private func flushRowGroup() throws(ParquetError) {
        guard !closed else { throw .closed(path: path) }
        let groupOffset = bytesWritten + Int64(buffer.count)
        var chunks: [ColumnChunkMetadata] = []
        chunks.reserveCapacity(columns.count)
        for i in columns.indices {
            if columns[i].sparse { columns[i].fill(rows: rowsInGroup) }
            guard columns[i].rows == rowsInGroup else {
                throw .rowCountMismatch(column: columns[i].spec.name, rows: columns[i].rows, expected: rowsInGroup)
            }
            let base = bytesWritten + Int64(buffer.count)
            chunks.append(try columns[i].writePages(to: &buffer, base: base, body: &pageBody,
                                                    dictionaryBody: &dictionaryBody, compressor: compressor))
            columns[i].reset()
            try drain()
        }
        groups.append((Int64(rowsInGroup), groupOffset, chunks))
        rowsInGroup = 0
    }

    /// Writes the buffer to the file, retrying short writes and EINTR.
    private func drain() throws(ParquetError) {
        var done = 0
        while done < buffer.count {
            let n = buffer.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, operation: "write", errno: errno)
            }
            done += n
        }
        bytesWritten += Int64(done)
        buffer.removeAll(keepingCapacity: true)
    }
}
