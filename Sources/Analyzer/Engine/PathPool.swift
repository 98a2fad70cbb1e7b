import CaptureFormat

/// Interned byte strings (paths, unix socket names): the fd and thread tables store a 32-bit id instead of
/// a `String`, so opening the same file a million times allocates nothing after the first.
///
/// Strings for filters and printers are made on first request and cached per id. The pool holds at most
/// `StateLimits.internedPaths` strings and `StateLimits.internedPathBytes` bytes; past that, new strings get
/// `none` (their fds show no name) and are counted in `refusedCount`.
public final class PathPool {
    /// Id of "no name" (an fd whose name was never known).
    public static let none: Int32 = -1

    /// The bytes of every string, back to back, in memory the pool owns (handed out without reference counting).
    @exclusivity(unchecked)
    private var storage: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked)
    private var storageCapacity: Int
    @exclusivity(unchecked)
    private var storageCount = 0
    @exclusivity(unchecked)
    private var starts: [Int32] = []
    @exclusivity(unchecked)
    private var lengths: [Int32] = []
    @exclusivity(unchecked)
    private var hashes: [UInt32] = []
    @exclusivity(unchecked)
    private var strings: [String?] = []
    /// Open addressing: slot -> id + 1 (0 = empty).
    @exclusivity(unchecked)
    private var slots: [Int32] = Array(repeating: 0, count: 1024)
    /// Scratch space for joining and normalising paths.
    @exclusivity(unchecked)
    private var scratch: [UInt8] = []

    /// Creates an empty pool.
    public init() {
        storageCapacity = 1 << 16
        storage = .allocate(capacity: storageCapacity)
        scratch.reserveCapacity(4096)
    }

    deinit { storage.deallocate() }

    private func appendStorage(_ bytes: UnsafeRawBufferPointer) {
        if storageCount + bytes.count > storageCapacity {
            var c = storageCapacity * 2
            while c < storageCount + bytes.count { c *= 2 }
            let p = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
            p.update(from: storage, count: storageCount)
            storage.deallocate()
            storage = p
            storageCapacity = c
        }
        if let b = bytes.baseAddress { (storage + storageCount).update(from: b.assumingMemoryBound(to: UInt8.self), count: bytes.count) }
        storageCount += bytes.count
    }

    @inline(__always)
    private func bytes(start: Int, count: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: storage + start, count: count)
    }

    /// Number of distinct strings.
    public var count: Int { starts.count }

    /// Bytes held by the pool.
    public var byteCount: Int { storageCount }

    /// New strings not kept because the pool was full (`StateLimits.internedPaths`, `internedPathBytes`).
    public private(set) var refusedCount = 0

    @inline(__always)
    private static func hash(_ p: UnsafeRawBufferPointer) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for b in p { h = (h ^ UInt32(b)) &* 16_777_619 }
        return h
    }

    /// The id of `bytes`, adding it when new.
    public func intern(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let h = Self.hash(bytes)
        let mask = slots.count - 1
        var i = Int(h) & mask
        while true {
            let s = slots[i]
            if s == 0 { break }
            let id = Int(s - 1)
            if hashes[id] == h, Int(lengths[id]) == bytes.count {
                let start = Int(starts[id])
                let equal = Self.equal(self.bytes(start: start, count: bytes.count), bytes)
                if equal { return Int32(id) }
            }
            i = (i + 1) & mask
        }
        // Full (`StateLimits`): the name is not kept, and shows as unknown.
        if starts.count >= StateLimits.internedPaths || bytes.count > StateLimits.internedPathBytes - storageCount {
            refusedCount += 1
            return Self.none
        }
        let id = Int32(starts.count)
        starts.append(Int32(storageCount))
        lengths.append(Int32(bytes.count))
        hashes.append(h)
        strings.append(nil)
        appendStorage(bytes)
        slots[i] = id + 1
        if starts.count * 2 > slots.count { rehash() }
        return id
    }

    /// Byte equality of two equally long buffers, eight bytes at a time (paths are short: a libc call costs
    /// more than the comparison).
    @inline(__always)
    static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        let n = a.count
        var i = 0
        while i + 8 <= n {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        while i < n {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }

    /// The id of `string`, adding it when new.
    public func intern(_ string: String) -> Int32 {
        var s = string
        return s.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    private func rehash() {
        var newSlots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = newSlots.count - 1
        for id in 0..<starts.count {
            var i = Int(hashes[id]) & mask
            while newSlots[i] != 0 { i = (i + 1) & mask }
            newSlots[i] = Int32(id + 1)
        }
        slots = newSlots
    }

    /// Calls `body` with the bytes of `id` (empty for `none`).
    @inline(__always)
    public func withBytes<R>(_ id: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        guard id >= 0, Int(id) < starts.count else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        let start = Int(starts[Int(id)]), len = Int(lengths[Int(id)])
        return try body(bytes(start: start, count: len))
    }

    /// The string of `id`, made once and cached ("" for `none`).
    public func string(_ id: Int32) -> String {
        guard id >= 0, Int(id) < starts.count else { return "" }
        if let s = strings[Int(id)] { return s }
        let s = withBytes(id) { String(decoding: $0, as: UTF8.self) }
        strings[Int(id)] = s
        return s
    }

    /// Interns `path` made absolute against `base` (an id, or `none` when the base is unknown) and normalised
    /// ("//", "/./" and "/../" collapsed), the way the kernel would have resolved it.
    ///
    /// A relative path is kept as the thread passed it when the base is unknown or is not a directory path
    /// (anything not absolute: `pipe:[N]`, a socket tuple, `memfd:...`, an anonymous inode). The kernel fails
    /// such a call with ENOTDIR, and kcap does not guess.
    public func resolve(_ path: UnsafeRawBufferPointer, base: Int32) -> Int32 {
        let absolute = path.first == UInt8(ascii: "/")
        if absolute, !Self.needsNormalising(path) { return intern(path) }
        if !absolute, !isDirectoryPath(base) { return intern(path) }
        scratch.removeAll(keepingCapacity: true)
        if !absolute {
            let start = Int(starts[Int(base)]), len = Int(lengths[Int(base)])
            scratch.append(contentsOf: bytes(start: start, count: len))
            scratch.append(UInt8(ascii: "/"))
        }
        scratch.append(contentsOf: path)
        Self.normalise(&scratch, stack: &componentStack)
        return scratch.withUnsafeBytes { intern($0) }
    }

    /// True when `id` names an absolute path, the only kind of base a relative path can be resolved against.
    @inline(__always)
    private func isDirectoryPath(_ id: Int32) -> Bool {
        guard id >= 0, Int(id) < starts.count, lengths[Int(id)] > 0 else { return false }
        return storage[Int(starts[Int(id)])] == UInt8(ascii: "/")
    }

    /// True when `p` holds "//", "/." components or a trailing "/".
    @inline(__always)
    static func needsNormalising(_ p: UnsafeRawBufferPointer) -> Bool {
        var prevSlash = false
        for (i, b) in p.enumerated() {
            if b == UInt8(ascii: "/") {
                if prevSlash { return true }
                prevSlash = true
                if i == p.count - 1, i > 0 { return true }
            } else {
                if prevSlash, b == UInt8(ascii: ".") { return true }
                prevSlash = false
            }
        }
        return false
    }

    /// Component starts while normalising (kept, so normalising allocates nothing after warm-up).
    @exclusivity(unchecked)
    private var componentStack: [Int] = []

    /// Normalises an absolute path in place: the write position never passes the read position (every
    /// component is preceded by at least one slash that is read), so one buffer serves both.
    ///
    /// Anything else (empty, or not starting with "/") is left as it is: writing a slash before its first
    /// component would put the write position ahead of the read position and past the end of the buffer.
    static func normalise(_ p: inout [UInt8], stack: inout [Int]) {
        stack.removeAll(keepingCapacity: true)
        guard p.first == UInt8(ascii: "/") else { return }
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        let n = p.count
        var w = 0
        var i = 0
        while i < n {
            while i < n, p[i] == slash { i += 1 }
            if i >= n { break }
            var j = i
            while j < n, p[j] != slash { j += 1 }
            let len = j - i
            if len == 1, p[i] == dot {
                // "." : nothing
            } else if len == 2, p[i] == dot, p[i + 1] == dot {
                if let s = stack.popLast() { w = s }
            } else {
                stack.append(w)
                p[w] = slash
                w += 1
                for k in 0..<len { p[w + k] = p[i + k] }
                w += len
            }
            i = j
        }
        if w == 0 {
            if p.isEmpty { p.append(slash) } else { p[0] = slash }
            w = 1
        }
        p.removeLast(p.count - w)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
