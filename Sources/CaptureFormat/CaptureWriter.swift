#if canImport(Glibc)
import Glibc
#endif

/// Writes a capture file, append-only: preamble and header block at creation, then one block per call, then
/// the footer index and trailer at `finish()`. Writes are buffered (a few MiB) and handed to the kernel when
/// the buffer fills or on `flush()`; a process killed between flushes loses only the unflushed blocks, and the
/// reader recovers everything before them by scanning. Use from one thread at a time.
public final class CaptureWriter {
    /// The file being written.
    public let path: String
    private var fd: Int32
    private let buffer: ByteBuffer
    private var buffered = 0
    /// Logical end of the file: bytes already written plus bytes buffered.
    private var offset: UInt64 = 0
    private var entries: [BlockIndexEntry] = []
    private var finished = false
    /// The write error that cut the file short; every later write throws it.
    private var failure: CaptureError?
    /// File offsets where the blocks still in the buffer end, oldest first.
    private var bufferedBlockEnds: [UInt64] = []

    /// Whether event chunks are column-coded before LZ4 (format 1.4; `ColumnCoder`). Off by default: it makes
    /// captures about 40% smaller on a mixed workload, but decoding it costs the reader 3-11% more instructions,
    /// and the recorder's files must not read slower than before. `KCAP_COLUMN_CODING=1` in the environment
    /// turns it on for every writer of the process (cold storage, shipping); off, any 1.x kcap reads the file.
    public var columnCoding: Bool = CaptureWriter.columnCodingDefault
    /// `KCAP_COLUMN_CODING=1` in the environment: on.
    public static let columnCodingDefault: Bool = {
        guard let v = getenv("KCAP_COLUMN_CODING") else { return false }
        return String(cString: v) == "1"
    }()
    private lazy var coder = ColumnCoder()

    /// Bytes in the file once everything buffered is flushed.
    public var bytesWritten: UInt64 { offset }
    /// Blocks written so far, header included.
    public var blockCount: Int { entries.count }

    /// Size of the write buffer; a 1 MiB chunk compresses straight into it, so it holds a few chunks.
    static let bufferSize = 4 << 20

    /// After a write the kernel refused: the length the file was cut back to (the end of its last complete
    /// block, 0 when nothing reached the disk); nil while every write succeeded.
    public private(set) var keptBytes: UInt64?

    /// Creates (truncates) the file with mode 0600 and writes the magic and the header block. Follows a
    /// symbolic link and takes no lock: a recorder opens its file with more care and uses `init(fd:...)`.
    public convenience init(path: String, header: CaptureHeader) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CaptureError.io(errno, path: path, "creating the capture file") }
        try self.init(fd: fd, path: path, header: header)
    }

    /// Writes the capture into `fd`, an empty file opened for writing (its checks and lock done by the
    /// caller), which the writer now owns and closes, also when this throws. `path` names it in errors.
    public init(fd file: Int32, path: String, header: CaptureHeader) throws {
        self.path = path
        fd = file
        buffer = ByteBuffer(capacity: CaptureWriter.bufferSize)
        // O_CREAT's mode only applies to a new file and is masked by umask; captures hold paths, arguments
        // and I/O data, so force 0600 on whatever file we now own, through the fd (never by path, which
        // could name something else by now).
        if fchmod(fd, 0o600) != 0 {
            let e = errno
            close(fd)
            fd = -1  // fully initialised here: deinit runs after the throw and must not close it again
            throw CaptureError.io(e, path: path, "setting mode 0600 on the capture file")
        }
        CapturePreamble.current.store(into: UnsafeMutableRawBufferPointer(start: buffer.base, count: CapturePreamble.Layout.size))
        buffered = CapturePreamble.Layout.size
        offset = UInt64(CapturePreamble.Layout.size)
        let json: [UInt8]
        do { json = try header.encodedPayload() } catch {
            close(fd)
            fd = -1
            throw CaptureError(.invalidArgument, path: path, "the capture header does not encode as JSON: \(error)")
        }
        guard json.count <= CaptureFileFormat.maxHeaderLength else {
            close(fd)
            fd = -1
            throw CaptureError(.invalidArgument, path: path,
                               "the capture header is \(json.count) bytes of JSON; readers accept at most \(CaptureFileFormat.maxHeaderLength)")
        }
        try json.withUnsafeBytes {
            try appendBlock(.header, raw: $0, compress: false, recordCount: 0, firstTs: 0, lastTs: 0)
        }
    }

    deinit {
        // Not finished (an error path): keep what was written readable by the scanning reader.
        if fd >= 0 {
            if buffered > 0 { try? flush() }
            close(fd)
        }
    }

    /// LZ4-compresses and appends one event block. An empty chunk writes nothing.
    public func write(_ chunk: EventChunk) throws {
        guard !chunk.isEmpty else { return }
        try chunk.withUnsafeBytes {
            if columnCoding, let coded = coder.encode($0) {
                try appendBlock(.events, raw: coded, compress: true, recordCount: UInt32(chunk.recordCount),
                                firstTs: chunk.firstTimestampNs, lastTs: chunk.lastTimestampNs,
                                extraFlags: CaptureFileFormat.flagColumns)
            } else {
                try appendBlock(.events, raw: $0, compress: true, recordCount: UInt32(chunk.recordCount),
                                firstTs: chunk.firstTimestampNs, lastTs: chunk.lastTimestampNs)
            }
        }
    }

    /// Appends a snapshot block (binary tables, LZ4-compressed).
    public func write(_ snapshot: CaptureSnapshot) throws {
        let payload = snapshot.encodedPayload()
        guard payload.count <= CaptureFileFormat.maxPayloadLength else {
            throw CaptureError(.invalidArgument, path: path, offset: offset,
                               "snapshot of \(payload.count) bytes exceeds the block limit")
        }
        let n = UInt32(clamping: snapshot.threads.count + snapshot.fds.count)
        try payload.withUnsafeBytes {
            try appendBlock(.snapshot, raw: $0, compress: true, recordCount: n,
                            firstTs: snapshot.timestampNs, lastTs: snapshot.timestampNs)
        }
    }

    /// Appends a counters block.
    public func write(_ counters: CaptureCounters) throws {
        try counters.encodedPayload().withUnsafeBytes {
            try appendBlock(.counters, raw: $0, compress: false, recordCount: 1,
                            firstTs: counters.timestampNs, lastTs: counters.timestampNs)
        }
    }

    /// Appends a block of a type this version does not define (tests, and writers of later minor versions).
    /// Readers that do not know the type skip it by length.
    public func writeBlock(type: BlockType, payload: UnsafeRawBufferPointer, recordCount: UInt32 = 0,
                           compress: Bool = false) throws {
        try appendBlock(type, raw: payload, compress: compress, recordCount: recordCount, firstTs: 0, lastTs: 0)
    }

    /// Hands buffered bytes to the kernel. When the kernel refuses them (a full disk, a file size limit), the
    /// file is cut back to the end of its last complete block, so it reads cleanly up to there, and every
    /// later call throws the same error instead of appending after the cut.
    public func flush() throws {
        if let failure { throw failure }
        guard fd >= 0 else { return }
        var done = 0
        while done < buffered {
            let n = Glibc.write(fd, buffer.base + done, buffered - done)
            if n < 0 {
                if errno == EINTR { continue }
                let e = errno
                let at = offset - UInt64(buffered - done)
                let error = CaptureError.io(e, path: path, offset: at, "writing the capture file")
                cutToLastCompleteBlock(before: at)
                failure = error
                throw error
            }
            done += n
        }
        buffered = 0
        bufferedBlockEnds.removeAll(keepingCapacity: true)
    }

    /// Truncates the file to the end of the last block that reached it whole (`end` is how far the bytes got)
    /// and closes it.
    private func cutToLastCompleteBlock(before end: UInt64) {
        let flushedEnd = offset - UInt64(buffered)  // where the previous flush stopped: a block boundary
        let keep = bufferedBlockEnds.last { $0 <= end } ?? flushedEnd
        // A file system that refuses even the truncation keeps bytes past `keep`, which the scanning
        // reader skips as a torn block; the length reported is still where the complete blocks end.
        _ = ftruncate(fd, off_t(keep))
        keptBytes = keep
        close(fd)
        fd = -1
        buffered = 0
        bufferedBlockEnds = []
    }

    /// Writes the footer index and the trailer, flushes and closes. Later writes throw.
    public func finish() throws {
        guard !finished else { return }
        try checkOpen()
        let footerOffset = offset
        try FooterIndex(entries: entries).encodedPayload().withUnsafeBytes {
            try appendBlock(.footer, raw: $0, compress: false, recordCount: UInt32(entries.count),
                            firstTs: 0, lastTs: 0, indexed: false)
        }
        try CaptureTrailer(footerOffset: footerOffset).encoded().withUnsafeBytes { try appendRaw($0) }
        try flush()
        finished = true
        let rc = close(fd)
        fd = -1
        if rc != 0 { throw CaptureError.io(errno, path: path, "closing the capture file") }
    }

    // MARK: - Internals

    private func checkOpen() throws {
        if let failure { throw failure }
        guard fd >= 0, !finished else {
            throw CaptureError(.invalidArgument, path: path, "the capture writer is already finished")
        }
    }

    private func ensureRoom(_ n: Int) throws {
        if buffered + n > buffer.capacity {
            try flush()
            buffer.reserve(n)
        }
    }

    private func appendRaw(_ bytes: UnsafeRawBufferPointer) throws {
        try ensureRoom(bytes.count)
        if let src = bytes.baseAddress { (buffer.base + buffered).copyMemory(from: src, byteCount: bytes.count) }
        buffered += bytes.count
        offset += UInt64(bytes.count)
    }

    /// Frames `raw` as one block, compressing it straight into the write buffer when asked and when that
    /// makes it smaller (incompressible payloads are stored as they are, flag bit 0 clear).
    private func appendBlock(_ type: BlockType, raw: UnsafeRawBufferPointer, compress: Bool, recordCount: UInt32,
                             firstTs: UInt64, lastTs: UInt64, indexed: Bool = true, extraFlags: UInt16 = 0) throws {
        try checkOpen()
        let rawCount = raw.count
        guard rawCount <= CaptureFileFormat.maxPayloadLength else {
            throw CaptureError(.invalidArgument, path: path, offset: offset,
                               "\(type) block of \(rawCount) bytes exceeds the \(CaptureFileFormat.maxPayloadLength)-byte limit")
        }
        try ensureRoom(BlockEncoder.bound(rawCount: rawCount, compress: compress))
        let frameAt = buffer.base + buffered
        let size = BlockEncoder.encode(type, raw: raw, compress: compress, recordCount: recordCount,
                                       firstTs: firstTs, lastTs: lastTs, into: frameAt, extraFlags: extraFlags)
        try appendEncoded(at: frameAt, size: size, indexed: indexed)
    }

    /// Appends a block `BlockEncoder` encoded earlier (the flight recorder's ring), copied as it is. Throws
    /// `invalidArgument` when the bytes are not one whole block.
    public func append(encodedBlock bytes: UnsafeRawBufferPointer) throws {
        try checkOpen()
        guard BlockEncoder.summary(of: bytes) != nil, let src = bytes.baseAddress else {
            throw CaptureError(.invalidArgument, path: path, offset: offset, "not an encoded block (\(bytes.count) bytes)")
        }
        try ensureRoom(bytes.count)
        let at = buffer.base + buffered
        at.copyMemory(from: src, byteCount: bytes.count)
        try appendEncoded(at: at, size: bytes.count, indexed: true)
    }

    /// Takes the block encoded at the end of the buffer into the file: index entry, offsets.
    private func appendEncoded(at frameAt: UnsafeMutableRawPointer, size: Int, indexed: Bool) throws {
        let frame = try BlockFrame.parse(UnsafeRawBufferPointer(start: frameAt, count: BlockFrame.Layout.size))
        if indexed { entries.append(frame.indexEntry(offset: offset)) }
        buffered += size
        offset += UInt64(size)
        bufferedBlockEnds.append(offset)
    }
}
