#if canImport(Glibc)
import Glibc
#endif

/// Reads the blocks of a scap capture from a stream (a file, gzip'd, zstd or LZ4 framed or not), one at a
/// time, into a buffer it reuses: memory is the buffer (1 MiB, grown to the largest block, at most
/// `ScapBlockWalker.maxBlockLength`) whatever the capture's size. The framing rules are `ScapBlockWalker`'s:
/// nothing is trusted, a file that ends inside a block yields every complete block and sets `truncatedAt`.
///
/// A block's `body` indexes `bytes`, which stays valid until the next call to `next()`; its `offset` is
/// where it lies in the uncompressed capture.
public final class ScapReader {
    public static let initialBufferSize = 1 << 20

    private let stream: ScapByteStream
    /// How the file is stored (nil: plain).
    public let compression: ScapCompression?
    // The per-block state is `@exclusivity(unchecked)`: one reader is walked by one loop, and the dynamic
    // checks of class properties cost more than the block framing itself.
    // `next()` is inlinable (the replay loop inlines it), so what it reads is `@usableFromInline`.
    @usableFromInline @exclusivity(unchecked) var buffer: UnsafeMutableRawPointer
    @usableFromInline @exclusivity(unchecked) var capacity: Int
    /// Valid bytes: buffer[start..<end].
    @usableFromInline @exclusivity(unchecked) var start = 0
    @usableFromInline @exclusivity(unchecked) var end = 0
    /// Offset in the uncompressed capture of buffer[0].
    @usableFromInline @exclusivity(unchecked) var base = 0
    @usableFromInline @exclusivity(unchecked) var ended = false
    /// Set when the capture ends inside a block: the offset of that incomplete block.
    @exclusivity(unchecked) public private(set) var truncatedAt: Int?
    /// Whether the current section was written big-endian (byte-order magic swapped).
    public var swapped: Bool { swappedSection }
    @usableFromInline @exclusivity(unchecked) var swappedSection = false

    /// A plain capture file read through a window mapped in memory (no copy), moved along the file: the file
    /// descriptor and size, and the window's length (the window is `buffer`).
    private var mapped: (fd: Int32, fileSize: Int)?
    /// Bytes of file a window maps (more when a block is larger): what is resident of the file at a time.
    static let mapWindow = 16 << 20

    /// Opens `raw` (told apart by its magic) and checks that the capture starts with a section header.
    public init(_ raw: ScapByteStream) throws(ScapError) {
        (stream, compression) = try ScapCompression.open(raw)
        capacity = Self.initialBufferSize
        buffer = .allocate(byteCount: capacity, alignment: 16)
        try checkSectionHeader()
    }

    /// A plain capture in a regular file, read through a mapped window (`mapped`).
    private init(mapping file: ScapFileStream, size: Int) throws(ScapError) {
        stream = file
        compression = nil
        mapped = (file.descriptor, size)
        capacity = 0
        buffer = UnsafeMutableRawPointer(bitPattern: 1)!  // no window yet: `fill` maps the first
        try checkSectionHeader()
    }

    private func checkSectionHeader() throws(ScapError) {
        guard try ensure(12), load32(start) == ScapBlock.sectionHeader else {
            if let why = stream.problem {
                throw ScapError(.inflate, offset: 0, "the \(compression?.rawValue ?? "compressed") capture does not inflate: \(why)")
            }
            throw ScapError(.notScap, offset: 0, "not a sysdig/falco capture: no section header block (0x0A0D0D0A)")
        }
    }

    /// Opens the file at `path`: a plain capture in a regular file is mapped a window at a time, anything
    /// else (compressed, a pipe) read into the buffer.
    public convenience init(path: String) throws(ScapError) {
        let file = try ScapFileStream(path: path)
        var st = stat()
        var magic: UInt32 = 0
        if fstat(file.descriptor, &st) == 0, st.st_mode & S_IFMT == S_IFREG, st.st_size >= 12,
           pread(file.descriptor, &magic, 4, 0) == 4, magic.littleEndian == ScapBlock.sectionHeader {
            try self.init(mapping: file, size: Int(st.st_size))
        } else {
            try self.init(file)
        }
    }

    deinit {
        if mapped != nil {
            if capacity > 0 { munmap(buffer, capacity) }
        } else {
            buffer.deallocate()
        }
    }

    /// The buffer the current block's `body` indexes.
    @inlinable
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: buffer, count: end) }

    /// Uncompressed bytes read so far (at the end: the inflated size of the capture).
    @inlinable
    public var position: Int { base + start }

    /// Why a compressed stream ended before its end (cut or damaged), nil otherwise.
    public var streamProblem: String? { stream.problem }

    @inlinable
    func load32(_ at: Int) -> UInt32 {
        buffer.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian
    }

    /// Makes `n` bytes available from `start`; false when the stream ends before.
    @inlinable
    func ensure(_ n: Int) throws(ScapError) -> Bool {
        if end - start >= n { return true }
        return try fill(n)
    }

    @usableFromInline @inline(never)
    func fill(_ n: Int) throws(ScapError) -> Bool {
        if let m = mapped { return try move(m, need: n) }
        if start > 0 {
            if end > start { memmove(buffer, buffer + start, end - start) }
            base += start
            end -= start
            start = 0
        }
        if n > capacity {
            var grown = capacity
            while grown < n { grown *= 2 }
            let b = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 16)
            b.copyMemory(from: buffer, byteCount: end)
            buffer.deallocate()
            buffer = b
            capacity = grown
        }
        while end < n && !ended {
            let k = try stream.read(into: UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
            if k == 0 { ended = true } else { end += k }
        }
        return end >= n
    }

    /// Maps the window that holds `need` bytes from the current position (or the rest of the file).
    private func move(_ m: (fd: Int32, fileSize: Int), need: Int) throws(ScapError) -> Bool {
        let at = base + start
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let from = at & ~(page - 1)
        let length = min(max(Self.mapWindow, at - from + need), m.fileSize - from)
        if capacity > 0 { munmap(buffer, capacity) }
        capacity = 0
        base = from
        start = at - from
        end = 0
        guard length > 0 else { ended = true; return false }
        let p = mmap(nil, length, PROT_READ, MAP_PRIVATE | MAP_POPULATE, m.fd, off_t(from))
        guard let p, p != MAP_FAILED else {
            throw ScapError(.notScap, offset: at, "cannot map the capture file at byte \(at): \(String(cString: strerror(errno)))")
        }
        _ = madvise(p, length, MADV_SEQUENTIAL)
        buffer = p
        capacity = length
        end = length
        ended = from + length >= m.fileSize
        return end - start >= need
    }

    /// The next complete block, nil at the end (or at a truncation, recorded in `truncatedAt`). The common
    /// case (a complete little-endian block already in the buffer) is inlined into the caller's loop; the
    /// rest (refills, section headers, byte swaps, damage) is `nextSlowly()`.
    @inlinable @inline(__always)
    public func next() throws(ScapError) -> ScapBlock? {
        let at = start
        if end - at >= 12 && !swappedSection {
            let type = load32(at)
            let length = Int(load32(at + 4))
            if type != ScapBlock.sectionHeader && length >= 12 && length & 3 == 0 && length <= end - at
                && Int(load32(at + length - 4)) == length {
                start = at + length
                return ScapBlock(type: type, offset: base + at, body: (at + 8)..<(at + length - 4))
            }
        }
        return try nextSlowly()
    }

    /// What to do with a generic event whose header starts at `h` (`ScapReader.next(passing:)`, value 5): 2 or
    /// 3 to pass it over, 0 to return it. Its parameters are the libs syscall code and (newer captures) the
    /// native number, 2 bytes each; blocks without a parameter count hold the most that fit its length.
    @inline(__always)
    static func genericAction(_ h: UnsafeMutableRawPointer, evtLength: Int, type: UInt32, ppm: Int,
                              _ generic: UnsafePointer<UInt8>) -> UInt8 {
        let hasCount = type == 0x216 || type == 0x217 || type == 0x221 || type == 0x222
        let headerSize = hasCount ? 26 : 22
        let lenSize = type == 0x221 || type == 0x222 ? 4 : 2
        guard evtLength >= headerSize + lenSize else { return 0 }
        @inline(__always) func len(_ i: Int) -> Int {
            lenSize == 2 ? Int(h.loadUnaligned(fromByteOffset: headerSize + 2 * i, as: UInt16.self).littleEndian)
                : Int(h.loadUnaligned(fromByteOffset: headerSize + 4 * i, as: UInt32.self).littleEndian)
        }
        var count = 0
        if hasCount {
            count = Int(h.loadUnaligned(fromByteOffset: 22, as: UInt32.self).littleEndian)
        } else if evtLength >= headerSize + 2 * lenSize && headerSize + 2 * lenSize + len(0) + len(1) == evtLength {
            count = 2
        } else if headerSize + lenSize + len(0) == evtLength {
            count = 1
        }
        guard count >= 1, len(0) == 2, headerSize + count * lenSize + 2 <= evtLength else { return 0 }
        let data = headerSize + count * lenSize
        let key: Int
        if count >= 2, len(1) == 2, data + 4 <= evtLength {
            let native = Int(h.loadUnaligned(fromByteOffset: data + 2, as: UInt16.self).littleEndian)
            guard native < 512 else { return 0 }
            key = native
        } else {
            key = 512 + min(Int(h.loadUnaligned(fromByteOffset: data, as: UInt16.self).littleEndian), 4096)
        }
        return generic[key] != 0 ? (ppm == 0 ? 2 : 3) : 0
    }

    @usableFromInline @inline(never)
    func nextSlowly() throws(ScapError) -> ScapBlock? {
        guard try ensure(12) else {
            if end > start { truncatedAt = position }
            start = end
            return nil
        }
        let at = start
        var type = load32(at)
        if type == ScapBlock.sectionHeader {
            // A new section may change byte order: the magic follows the 8-byte header.
            let magic = load32(at + 8)
            if magic == 0x1A2B3C4D { swappedSection = false }
            else if magic == 0x4D3C2B1A { swappedSection = true }
            else { throw ScapError(.badByteOrder, offset: position + 8, "section header byte-order magic 0x\(String(magic, radix: 16)) is not 0x1a2b3c4d") }
        }
        let length = Int(swappedSection ? load32(at + 4).byteSwapped : load32(at + 4))
        guard length >= 12, length % 4 == 0, length <= ScapBlockWalker.maxBlockLength else {
            throw ScapError(.badBlockLength, offset: position, "block 0x\(String(type, radix: 16)) claims length \(length): the file is damaged here")
        }
        guard try ensure(length) else {
            truncatedAt = position
            start = end
            return nil
        }
        let s = start  // `ensure` may have moved the bytes
        var trailer = load32(s + length - 4)
        if swappedSection { trailer = trailer.byteSwapped; type = type.byteSwapped }
        guard Int(trailer) == length else {
            throw ScapError(.corrupt, offset: position + length - 4, "block 0x\(String(type, radix: 16)) ends with length \(trailer), not \(length): the file is damaged here")
        }
        let block = ScapBlock(type: type, offset: position, body: (s + 8)..<(s + length - 4))
        start = s + length
        return block
    }
}

/// What `ScapReader.next(passing:)` passed over.
public struct ScapPassedEvents {
    /// Events passed over since the last call that returned a block (the caller numbers them).
    public var count: UInt64 = 0
    /// Every event passed over.
    public var total: UInt64 = 0
    /// Of `total`, those passed over for the caller (`pass` values 2 and more), the rest being hidden (1).
    public var forCaller: UInt64 = 0
    /// Earliest and latest non-zero timestamp among them.
    public var firstNs: UInt64 = .max
    public var lastNs: UInt64 = 0
    /// Event blocks passed over by block type: 0x204, 0x208, 0x216, 0x217, 0x221, 0x222.
    public var byBlockType: (Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0)

    public init() {}

    /// The block type counts as (type, count) pairs.
    public var blockCounts: [(UInt32, Int)] {
        let b = byBlockType
        return [(0x204, b.0), (0x208, b.1), (0x216, b.2), (0x217, b.3), (0x221, b.4), (0x222, b.5)]
    }
}

extension ScapReader {
    /// The next block, passing over the event blocks of the ppm types whose `pass[type]` is non-zero, counting
    /// them in `passed`: one tight loop in which such an event costs its framing and two loads. 1: an event
    /// no one sees (sysdig hides it); 2 and more: one the caller passes over, told its thread and the value
    /// (`passOver(tid, value)`, called only for values 2 and 3). An event whose header does not fit its block
    /// is returned, for the caller's checks to name.
    ///
    /// A value of 5 marks a generic event (its syscall in its parameters: a libs syscall code, and in newer
    /// captures the native number): it is passed over (as 2 for its entry, 3 for its exit) when
    /// `generic[native]` (native numbers below 512) or `generic[512 + code]` is non-zero.
    public func next(passing pass: UnsafePointer<UInt8>, types: Int, generic: UnsafePointer<UInt8>? = nil,
                     _ passed: inout ScapPassedEvents, passOver: (UInt64, UInt8) -> Void) throws(ScapError) -> ScapBlock? {
        // Counted in locals (registers) and stored once on the way out.
        var n: UInt64 = 0, forCaller: UInt64 = 0, first = passed.firstNs, last = passed.lastNs
        var counts = passed.byBlockType
        defer {
            passed.count += n
            passed.total += n
            passed.forCaller += forCaller
            passed.firstNs = first
            passed.lastNs = last
            passed.byBlockType = counts
        }
        let p = buffer
        var at = start
        let limit = end
        if swappedSection { return try nextSlowly() }
        while limit &- at >= 12 {
            let type = p.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian
            let length = Int(p.loadUnaligned(fromByteOffset: at &+ 4, as: UInt32.self).littleEndian)
            guard type != ScapBlock.sectionHeader && length >= 12 && length & 3 == 0 && length <= limit &- at
                    && Int(p.loadUnaligned(fromByteOffset: at &+ length &- 4, as: UInt32.self).littleEndian) == length else { break }
            // The event header starts after the CPU (2 bytes) and, in the EVF blocks, the flags (4).
            let header: Int
            switch type {
            case 0x204, 0x216, 0x221: header = 2
            case 0x208, 0x217, 0x222: header = 6
            default:
                start = at + length
                return ScapBlock(type: type, offset: base + at, body: (at + 8)..<(at + length - 4))
            }
            if length &- 12 >= header &+ 22 {
                let h = p + (at &+ 8 &+ header)
                let evtLength = Int(h.loadUnaligned(fromByteOffset: 16, as: UInt32.self).littleEndian)
                let ppm = Int(h.loadUnaligned(fromByteOffset: 20, as: UInt16.self).littleEndian)
                var action = ppm < types ? pass[ppm] : 0
                if action == 5 {
                    action = generic.map { Self.genericAction(h, evtLength: evtLength, type: type, ppm: ppm, $0) } ?? 0
                }
                if action != 0 && evtLength <= length &- 12 &- header {
                    if action >= 2 {
                        forCaller &+= 1
                        if action <= 3 { passOver(h.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian, action) }
                    }
                    let ts = h.loadUnaligned(as: UInt64.self).littleEndian
                    if ts != 0 {
                        if ts < first { first = ts }
                        if ts > last { last = ts }
                    }
                    n &+= 1
                    switch type {
                    case 0x204: counts.0 &+= 1
                    case 0x208: counts.1 &+= 1
                    case 0x216: counts.2 &+= 1
                    case 0x217: counts.3 &+= 1
                    case 0x221: counts.4 &+= 1
                    default: counts.5 &+= 1
                    }
                    at &+= length
                    continue
                }
            }
            start = at + length
            return ScapBlock(type: type, offset: base + at, body: (at + 8)..<(at + length - 4))
        }
        start = at
        return try nextSlowly()
    }
}
