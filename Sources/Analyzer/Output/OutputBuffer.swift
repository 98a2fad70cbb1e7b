#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why output stopped.
public enum OutputError: Error, Equatable, CustomStringConvertible {
    /// The reader went away (EPIPE: `kcap read ... | head`). Not a failure: the command exits 0, silently.
    case closed
    /// write(2) failed with this errno.
    case io(errno: Int32)
    /// An export file could not be written (its writer's message, which names the file or column).
    case export(String)

    /// One line for the user.
    public var description: String {
        switch self {
        case .closed: return "output closed by the reader"
        case .io(let e): return "writing the output failed: \(String(cString: strerror(e)))"
        case .export(let message): return message
        }
    }
}

/// A byte buffer that sinks format into without making strings, handed to the kernel in large writes
/// (or kept in memory, for tests and for fields rendered as text).
public final class OutputBuffer {
    /// Destination fd, or -1 to keep everything in memory.
    public let fd: Int32
    @exclusivity(unchecked)
    private var storage: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked)
    private var capacity: Int
    /// Bytes buffered.
    @exclusivity(unchecked)
    public private(set) var count = 0
    /// Flush when this many bytes are buffered.
    private let flushThreshold: Int

    /// A buffer writing to `fd` in chunks of about `chunkSize` bytes; `fd` -1 keeps the bytes in memory.
    public init(fd: Int32 = -1, chunkSize: Int = 1 << 16) {
        self.fd = fd
        capacity = chunkSize + 8192
        flushThreshold = chunkSize
        storage = .allocate(capacity: capacity)
    }

    deinit { storage.deallocate() }

    /// The buffered bytes (valid until the next append).
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage, count: count) }

    /// The buffered bytes as a String.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Forgets the buffered bytes.
    @inline(__always) public func reset() { count = 0 }

    /// Forgets the bytes past the first `n` (what was appended since `count` was `n`).
    @inline(__always) public func truncate(to n: Int) { count = min(count, max(0, n)) }

    @inline(__always)
    private func reserve(_ n: Int) {
        if count + n > capacity { grow(count + n) }
    }

    private func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        p.update(from: storage, count: count)
        storage.deallocate()
        storage = p
        capacity = newCapacity
    }

    /// Appends one byte.
    @inline(__always) public func append(_ b: UInt8) {
        reserve(1)
        storage[count] = b
        count += 1
    }

    /// Appends two ASCII bytes.
    @inline(__always) public func append(_ a: UInt8, _ b: UInt8) {
        reserve(2)
        storage[count] = a
        storage[count + 1] = b
        count += 2
    }

    /// Appends raw bytes.
    @inline(__always) public func append(_ p: UnsafeRawBufferPointer) {
        guard p.count > 0 else { return }
        reserve(p.count)
        (storage + count).update(from: p.baseAddress!.assumingMemoryBound(to: UInt8.self), count: p.count)
        count += p.count
    }

    /// Appends a static ASCII string.
    @inline(__always) public func append(_ s: StaticString) {
        append(UnsafeRawBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// Appends a string's UTF-8.
    @inline(__always) public func append(_ s: String) {
        var s = s
        s.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Appends bytes, replacing control characters (newlines, tabs, escape sequences) with `.` so one event
    /// stays one line and cannot drive the terminal.
    @inline(__always) public func appendPrintable(_ p: UnsafeRawBufferPointer) {
        guard let src = p.baseAddress else { return }
        let n = p.count
        reserve(n)
        let dst = UnsafeMutableRawPointer(storage + count)
        var i = 0
        // Eight bytes at a time while none is a control character (below 0x20, or 0x7f): the usual path, name
        // or buffer of text is copied a word at a time.
        let low: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        while i + 8 <= n {
            let w = src.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let below20 = (w &- low &* 0x20) & ~w & high
            let del = w ^ (low &* 0x7f)
            if below20 | ((del &- low) & ~del & high) != 0 { break }
            dst.storeBytes(of: w, toByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < n {
            let b = src.load(fromByteOffset: i, as: UInt8.self)
            dst.storeBytes(of: b < 0x20 || b == 0x7f ? UInt8(ascii: ".") : b, toByteOffset: i, as: UInt8.self)
            i += 1
        }
        count += n
    }

    /// Appends bytes as sysdig prints data buffers: printable ASCII (0x20-0x7e) as is, every other byte as
    /// `.` (bytes of 0x80 and above too: data is not text, and half a UTF-8 sequence would print as U+FFFD).
    @inline(__always) public func appendASCII(_ p: UnsafeRawBufferPointer) {
        reserve(p.count)
        for b in p { storage[count] = b >= 0x20 && b < 0x7f ? b : UInt8(ascii: "."); count += 1 }
    }

    /// "00" to "99", for writing two digits per division.
    private static let digitPairs: [UInt8] = {
        var t: [UInt8] = []
        for i in 0..<100 { t.append(UInt8(48 + i / 10)); t.append(UInt8(48 + i % 10)) }
        return t
    }()

    /// Number of decimal digits of `v`.
    @inline(__always) static func digitCount(_ v: UInt64) -> Int {
        var n = 1
        var x = v
        while x >= 10_000 { x /= 10_000; n += 4 }
        if x >= 100 { n += x >= 1000 ? 3 : 2 } else if x >= 10 { n += 1 }
        return n
    }

    /// Writes the `width` low decimal digits of `v` ending just before `end`, two at a time.
    @inline(__always) func writeDigits(_ v: UInt64, width: Int, end: Int) {
        var x = v
        var i = end
        var left = width
        Self.digitPairs.withUnsafeBufferPointer { pairs in
            while left >= 2 {
                let r = Int(x % 100)
                x /= 100
                storage[i - 1] = pairs[2 * r + 1]
                storage[i - 2] = pairs[2 * r]
                i -= 2
                left -= 2
            }
            if left == 1 { storage[i - 1] = UInt8(truncatingIfNeeded: x % 10) &+ 48 }
        }
    }

    /// Appends `v` in decimal.
    @inline(__always) public func appendDecimal(_ v: UInt64) {
        reserve(20)
        if v < 10 { storage[count] = UInt8(truncatingIfNeeded: v) &+ 48; count += 1; return }
        let digits = Self.digitCount(v)
        writeDigits(v, width: digits, end: count + digits)
        count += digits
    }

    /// Appends `v` in decimal with a sign when negative.
    @inline(__always) public func appendSigned(_ v: Int64) {
        if v < 0 { append(UInt8(ascii: "-")); appendDecimal(v == .min ? UInt64(1) << 63 : UInt64(-v)) } else { appendDecimal(UInt64(v)) }
    }

    /// Appends `v` zero-padded to `width` digits (never truncated: a wider number prints whole).
    @inline(__always) public func appendPadded(_ v: UInt64, width: Int) {
        let digits = max(width, Self.digitCount(v))
        reserve(digits)
        writeDigits(v, width: digits, end: count + digits)
        count += digits
    }

    /// Appends `v` in lower-case hex with a 0x prefix.
    public func appendHex(_ v: UInt64) {
        append(UInt8(ascii: "0"), UInt8(ascii: "x"))
        reserve(16)
        if v == 0 { storage[count] = 48; count += 1; return }
        var digits = 0
        var x = v
        while x > 0 { digits += 1; x >>= 4 }
        x = v
        var i = count + digits - 1
        while x > 0 {
            let d = UInt8(truncatingIfNeeded: x & 0xf)
            storage[i] = d < 10 ? d &+ 48 : d &+ 87
            x >>= 4
            i -= 1
        }
        count += digits
    }

    /// Appends `p` as the inside of a JSON string (quotes not included).
    public func appendJSONEscaped(_ p: UnsafeRawBufferPointer) {
        // Runs of bytes that need no escape (almost all of them) are copied at once.
        var runStart = 0
        var i = 0
        let n = p.count
        while i < n {
            let b = p[i]
            if b >= 0x20, b != 0x7f, b != UInt8(ascii: "\""), b != UInt8(ascii: "\\") { i += 1; continue }
            if i > runStart { append(UnsafeRawBufferPointer(rebasing: p[runStart..<i])) }
            appendJSONEscapedSlow(UnsafeRawBufferPointer(rebasing: p[i..<(i + 1)]))
            i += 1
            runStart = i
        }
        if n > runStart { append(UnsafeRawBufferPointer(rebasing: p[runStart..<n])) }
    }

    private func appendJSONEscapedSlow(_ p: UnsafeRawBufferPointer) {
        reserve(p.count)
        for b in p {
            switch b {
            case UInt8(ascii: "\""): append(UInt8(ascii: "\\"), UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): append(UInt8(ascii: "\\"), UInt8(ascii: "\\"))
            case 0x0a: append(UInt8(ascii: "\\"), UInt8(ascii: "n"))
            case 0x0d: append(UInt8(ascii: "\\"), UInt8(ascii: "r"))
            case 0x09: append(UInt8(ascii: "\\"), UInt8(ascii: "t"))
            case 0..<0x20, 0x7f:
                append("\\u00")
                let hex: StaticString = "0123456789abcdef"
                append(hex.utf8Start[Int(b >> 4)], hex.utf8Start[Int(b & 0xf)])
            default:
                reserve(1); storage[count] = b; count += 1
            }
        }
    }

    /// Appends a JSON string (quoted, escaped). Invalid UTF-8 is replaced so the line stays valid JSON.
    public func appendJSONString(_ p: UnsafeRawBufferPointer) {
        append(UInt8(ascii: "\""))
        if Self.isValidUTF8(p) {
            appendJSONEscaped(p)
        } else {
            var s = String(decoding: p, as: UTF8.self)
            s.withUTF8 { appendJSONEscaped(UnsafeRawBufferPointer($0)) }
        }
        append(UInt8(ascii: "\""))
    }

    /// Appends a JSON string from a String.
    public func appendJSONString(_ s: String) {
        var s = s
        s.withUTF8 { appendJSONString(UnsafeRawBufferPointer($0)) }
    }

    @inline(__always)
    static func isValidUTF8(_ p: UnsafeRawBufferPointer) -> Bool {
        for b in p where b >= 0x80 {
            return String(validating: p, as: UTF8.self) != nil
        }
        return true
    }

    /// Writes the buffer out when it is past its threshold.
    @inline(__always) public func flushIfNeeded() throws(OutputError) {
        if count >= flushThreshold, fd >= 0 { try flush() }
    }

    /// Hands every buffered byte to the kernel. EPIPE becomes `OutputError.closed`.
    public func flush() throws(OutputError) {
        guard fd >= 0 else { return }
        var off = 0
        while off < count {
            let n = write(fd, storage + off, count - off)
            if n < 0 {
                let e = errno
                if e == EINTR { continue }
                count = 0
                throw e == EPIPE ? .closed : .io(errno: e)
            }
            off += n
        }
        count = 0
    }
}
