import CLZ4
import CZlib
import CZstd
#if canImport(Glibc)
import Glibc
#endif

/// Bytes of a capture as they come, in order: a file read in chunks, bytes in memory, or one of those inflated
/// on the fly (gzip, zstd, LZ4 frames). Nothing is held beyond the caller's buffer and the stream's own
/// fixed-size input buffer, so memory stays bounded whatever the file's size.
public protocol ScapByteStream: AnyObject {
    /// Reads up to `buffer.count` bytes into `buffer`; 0 at the end. A decompressor that meets damage or a cut
    /// stream ends there (returns 0) and says why in `problem`: what came before is intact.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ScapError) -> Int
    /// Why the stream ended before its natural end (a cut or damaged compressed stream), nil otherwise.
    var problem: String? { get }
}

/// A file, read with read(2) into the caller's buffer.
public final class ScapFileStream: ScapByteStream {
    private let fd: Int32
    /// The open file.
    public var descriptor: Int32 { fd }
    public let path: String
    public private(set) var problem: String? = nil

    public init(path: String) throws(ScapError) {
        self.path = path
        fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ScapError(.notScap, offset: 0, "cannot read \(path): \(String(cString: strerror(errno))): check that it exists and is readable")
        }
    }

    deinit { Glibc.close(fd) }

    /// The file's size in bytes (0 when it is not a regular file).
    public var size: Int {
        var st = stat()
        return fstat(fd, &st) == 0 ? Int(st.st_size) : 0
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(ScapError) -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw ScapError(.notScap, offset: 0, "cannot read \(path): \(String(cString: strerror(errno)))")
        }
    }
}

/// Bytes already in memory.
public final class ScapMemoryStream: ScapByteStream {
    private let bytes: [UInt8]
    private var at = 0
    public var problem: String? { nil }

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(ScapError) -> Int {
        let n = min(buffer.count, bytes.count - at)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { src in buffer.baseAddress!.copyMemory(from: src.baseAddress! + at, byteCount: n) }
        at += n
        return n
    }
}

/// `prefix` (bytes already read to tell the kind of file), then the rest of `inner`.
final class ScapPrefixedStream: ScapByteStream {
    private var prefix: [UInt8]
    private let inner: ScapByteStream
    var problem: String? { inner.problem }

    init(prefix: [UInt8], inner: ScapByteStream) {
        self.prefix = prefix
        self.inner = inner
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ScapError) -> Int {
        if prefix.isEmpty { return try inner.read(into: buffer) }
        let n = min(buffer.count, prefix.count)
        prefix.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: n) }
        prefix.removeFirst(n)
        return n
    }
}

/// What a decompressor shares: a fixed input buffer refilled from the compressed stream.
class ScapInflatingStream: ScapByteStream {
    static let inputSize = 256 << 10
    let inner: ScapByteStream
    let input: UnsafeMutableRawBufferPointer
    /// Unread compressed bytes: input[inputAt..<inputEnd].
    var inputAt = 0, inputEnd = 0
    var innerEnded = false
    /// Compressed bytes consumed before `input[0]`, for messages.
    var consumedBefore = 0
    var finished = false
    var problem: String? = nil

    init(inner: ScapByteStream) {
        self.inner = inner
        input = .allocate(byteCount: Self.inputSize, alignment: 16)
    }

    deinit { input.deallocate() }

    /// Compressed bytes consumed so far.
    var consumed: Int { consumedBefore + inputAt }

    /// Refills the input when it is empty; false when the compressed stream has ended.
    func refill() throws(ScapError) -> Bool {
        if inputAt < inputEnd { return true }
        if innerEnded { return false }
        consumedBefore += inputEnd
        inputAt = 0
        inputEnd = try inner.read(into: input)
        if inputEnd == 0 { innerEnded = true; return false }
        return true
    }

    /// Skips zero bytes (padding after the last member or frame); true when only zeros were left.
    func onlyZerosLeft() throws(ScapError) -> Bool {
        while try refill() {
            while inputAt < inputEnd {
                if input[inputAt] != 0 { return false }
                inputAt += 1
            }
        }
        return true
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ScapError) -> Int { 0 }

    func stop(_ why: String) -> Int {
        problem = why
        finished = true
        return 0
    }
}

/// gzip (one or more members, as `gzip` and sysdig write them), inflated with zlib as it is read.
final class ScapGzipStream: ScapInflatingStream {
    private var stream = z_stream()
    private var memberEnded = false

    override init(inner: ScapByteStream) {
        super.init(inner: inner)
        // 15 + 32: a zlib or gzip header, detected by zlib.
        if inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) != Z_OK {
            _ = stop("zlib could not start inflating (out of memory?)")
        }
    }

    deinit { inflateEnd(&stream) }

    override func read(into buffer: UnsafeMutableRawBufferPointer) throws(ScapError) -> Int {
        while !finished {
            if memberEnded {
                // Another gzip member may follow (concatenated .gz files); trailing zeros are padding.
                if try onlyZerosLeft() { finished = true; return 0 }
                guard inflateReset(&stream) == Z_OK else { return stop("the gzip stream could not restart at byte \(consumed)") }
                memberEnded = false
            }
            let hasInput = try refill()
            stream.next_in = (input.baseAddress! + inputAt).assumingMemoryBound(to: Bytef.self)
            stream.avail_in = UInt32(inputEnd - inputAt)
            stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = UInt32(buffer.count)
            let status = inflate(&stream, Z_NO_FLUSH)
            inputAt = inputEnd - Int(stream.avail_in)
            let produced = buffer.count - Int(stream.avail_out)
            switch status {
            case Z_STREAM_END:
                memberEnded = true
            case Z_OK:
                break
            case Z_BUF_ERROR where !hasInput:
                if produced == 0 { return stop("the gzip stream ends early (the file is truncated)") }
            case Z_BUF_ERROR:
                break
            default:
                let why = stream.msg.map { String(cString: $0) } ?? String(cString: zError(status))
                _ = stop("the gzip stream is damaged near compressed byte \(consumed) (\(why))")
            }
            if produced > 0 { return produced }
        }
        return 0
    }
}

/// zstd frames (one or more), decompressed as they are read.
final class ScapZstdStream: ScapInflatingStream {
    private let context: OpaquePointer?
    /// zstd's last return: 0 at the end of a frame.
    private var pending = 0

    override init(inner: ScapByteStream) {
        context = ZSTD_createDCtx()
        super.init(inner: inner)
        if context == nil { _ = stop("zstd could not start (out of memory?)") }
    }

    deinit { ZSTD_freeDCtx(context) }

    override func read(into buffer: UnsafeMutableRawBufferPointer) throws(ScapError) -> Int {
        while !finished {
            guard try refill() else {
                if pending != 0 { return stop("the zstd stream ends early (the file is truncated)") }
                finished = true
                return 0
            }
            var inb = ZSTD_inBuffer(src: input.baseAddress! + inputAt, size: inputEnd - inputAt, pos: 0)
            var outb = ZSTD_outBuffer(dst: buffer.baseAddress!, size: buffer.count, pos: 0)
            let r = ZSTD_decompressStream(context, &outb, &inb)
            inputAt += inb.pos
            if ZSTD_isError(r) != 0 {
                _ = stop("the zstd stream is damaged near compressed byte \(consumed) (\(String(cString: ZSTD_getErrorName(r))))")
            } else {
                pending = r
                // Zeros after the last frame are padding, not a frame.
                if r == 0, try onlyZerosLeft() { finished = true }
            }
            if outb.pos > 0 { return outb.pos }
        }
        return 0
    }
}

/// LZ4 frames (one or more), decompressed as they are read.
final class ScapLZ4Stream: ScapInflatingStream {
    private var context: OpaquePointer? = nil
    /// LZ4F's last hint: 0 at the end of a frame.
    private var pending = 0

    override init(inner: ScapByteStream) {
        super.init(inner: inner)
        if LZ4F_isError(LZ4F_createDecompressionContext(&context, 100 /* LZ4F_VERSION */)) != 0 {
            _ = stop("LZ4 could not start (out of memory?)")
        }
    }

    deinit { if context != nil { LZ4F_freeDecompressionContext(context) } }

    override func read(into buffer: UnsafeMutableRawBufferPointer) throws(ScapError) -> Int {
        while !finished {
            guard try refill() else {
                if pending != 0 { return stop("the LZ4 stream ends early (the file is truncated)") }
                finished = true
                return 0
            }
            var dst = buffer.count
            var src = inputEnd - inputAt
            let r = LZ4F_decompress(context, buffer.baseAddress, &dst, input.baseAddress! + inputAt, &src, nil)
            inputAt += src
            if LZ4F_isError(r) != 0 {
                _ = stop("the LZ4 stream is damaged near compressed byte \(consumed) (\(String(cString: LZ4F_getErrorName(r))))")
            } else {
                pending = r
                // Zeros after the last frame are padding, not a frame.
                if r == 0, try onlyZerosLeft() { finished = true }
            }
            if dst > 0 { return dst }
        }
        return 0
    }
}

/// How a capture's bytes are stored, told by their first bytes (never by the file's name).
public enum ScapCompression: String, Sendable {
    case gzip, zstd, lz4

    static let gzipMagic: [UInt8] = [0x1f, 0x8b]
    static let zstdMagic: [UInt8] = [0x28, 0xb5, 0x2f, 0xfd]
    static let lz4FrameMagic: [UInt8] = [0x04, 0x22, 0x4d, 0x18]

    /// The compression whose magic `prefix` starts with, nil for none.
    public init?(magic prefix: [UInt8]) {
        if prefix.starts(with: Self.gzipMagic) { self = .gzip }
        else if prefix.starts(with: Self.zstdMagic) { self = .zstd }
        else if prefix.starts(with: Self.lz4FrameMagic) { self = .lz4 }
        else { return nil }
    }

    /// `raw` inflated as it is read.
    func inflating(_ raw: ScapByteStream) -> ScapByteStream {
        switch self {
        case .gzip: return ScapGzipStream(inner: raw)
        case .zstd: return ScapZstdStream(inner: raw)
        case .lz4: return ScapLZ4Stream(inner: raw)
        }
    }

    /// Reads the first bytes of `raw` and returns the stream of the capture's uncompressed bytes, with how
    /// it was stored.
    public static func open(_ raw: ScapByteStream) throws(ScapError) -> (stream: ScapByteStream, compression: ScapCompression?) {
        var prefix = [UInt8](repeating: 0, count: 4)
        var have = 0
        while have < 4 {
            let n = try withScapMutableBytes(&prefix) { (b: UnsafeMutableRawBufferPointer) throws(ScapError) -> Int in
                try raw.read(into: UnsafeMutableRawBufferPointer(rebasing: b[have...]))
            }
            if n == 0 { break }
            have += n
        }
        prefix.removeLast(4 - have)
        let plain = ScapPrefixedStream(prefix: prefix, inner: raw)
        guard let kind = ScapCompression(magic: prefix) else { return (plain, nil) }
        return (kind.inflating(plain), kind)
    }
}
