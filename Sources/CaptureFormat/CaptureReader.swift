import CKcapSupport
import CLZ4
#if canImport(Glibc)
import Glibc
#endif

/// Reads a capture file block by block with bounded memory (two reusable buffers of about one chunk each).
///
/// Opening checks the preamble (magic, version) and reads the header block, then takes the block index from
/// the footer when the trailer is valid, or builds it by scanning frames forward when it is not (a file whose
/// writer was killed). Damage never stops the reader: each torn or corrupt block becomes a `CaptureProblem`
/// and the walk goes on with the next intact block.
public final class CaptureReader {
    /// The file being read.
    public let path: String
    /// Host facts and recorder configuration. Defaults (and a problem) when the header block is damaged.
    public private(set) var header: CaptureHeader
    /// Major format version of the file.
    public let majorVersion: UInt16
    /// Minor format version of the file.
    public let minorVersion: UInt16
    /// Size of the file when it was opened.
    public let fileSize: UInt64
    /// True when the file ends with a valid trailer and footer (the writer called finish()).
    public private(set) var isFinished = false
    /// Integrity problems found so far (block, offset, what). Opening finds frame-level damage; payload
    /// damage (checksums, records) is found as `forEachBlock` reads the blocks. The first
    /// `StateLimits.problemsListedPerKind` of each kind are listed; later ones are counted in `omittedProblems`.
    public private(set) var problems: [CaptureProblem] = []
    /// Problems found but not listed in `problems`, by kind, in the order the kinds first overflowed.
    public private(set) var omittedProblems: [(kind: CaptureProblem.Kind, count: Int)] = []
    /// One line per kind of omitted problems ("1000 more problems of kind badFrame (not listed)"), for the
    /// commands to print after the listed ones.
    public var omittedProblemLines: [String] {
        omittedProblems.map { "\($0.count) more problem\($0.count == 1 ? "" : "s") of kind \($0.kind.rawValue) (the first \(StateLimits.problemsListedPerKind) are listed)" }
    }
    /// Total problems found, listed or not.
    public var problemCount: Int { problems.count + omittedProblems.reduce(0) { $0 + $1.count } }
    /// Every block, in file order, from the footer or from a forward scan. Entry 0 is the header block; the
    /// footer block itself is not listed.
    public private(set) var index: [BlockIndexEntry] = []

    private let fd: Int32
    private let frameAndPayload: ByteBuffer
    private let rawBuffer: ByteBuffer
    /// Listed problems (a second walk over the blocks finds the same ones again; they are not listed twice).
    private var reported = Set<CaptureProblem>()
    private var listedPerKind: [CaptureProblem.Kind: Int] = [:]
    /// Per kind, the furthest (offset, block) of an omitted problem: walks go forward through the file, so a
    /// problem at or before it was already counted (by an earlier walk) and is not counted again.
    private var omittedUpTo: [CaptureProblem.Kind: (offset: UInt64, block: Int)] = [:]
    /// Limits already reported: each is said once per file, not once per snapshot.
    private var limitsReported = Set<StateLimits.Kind>()
    /// The window `findNextFrame` last read (kept so consecutive damaged spots do not read it again).
    private var scanBuffer: ByteBuffer? = nil
    private var scanWindowBase: UInt64 = 0
    private var scanWindowCount = 0
    /// Opens a capture. Throws `CaptureError` for a file that is not a kcap capture, was mangled by a
    /// text-mode transfer, comes from a newer major version, or ends inside its preamble or header block.
    public init(path: String) throws {
        self.path = path
        // O_NONBLOCK: opening a FIFO with no writer (or some devices) would otherwise block forever before
        // fstat could say it is no capture. Cleared again below for the regular file.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else {
            let e = errno
            if e == EACCES {
                // The usual case: a recorder running as root writes its captures 0600 (they hold paths,
                // arguments and data), and a user reads them later.
                throw CaptureError(.io(errno: e), path: path,
                                   "permission denied: kcap record writes captures readable by their owner only (mode 0600); read it with sudo, or give it to yourself first: sudo chown $USER \(path)")
            }
            throw CaptureError.io(e, path: path, "opening the file")
        }
        self.fd = fd

        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let e = errno
            close(fd)
            throw CaptureError.io(e, path: path, "fstat")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw CaptureError(.notACapture, path: path, "not a regular file (\(Self.fileKind(st.st_mode))); give the path of a capture (.kcap, or a sysdig .scap)")
        }
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
        fileSize = UInt64(st.st_size)
        // No block is larger than the file, so a small file gets small buffers (they grow on demand, and a
        // decompressed block can be larger than the file): opening costs no 3 MB of fresh pages when the file
        // is a few KB, which is most of what a fuzzer or a directory of small captures opens.
        let small = Int(clamping: max(fileSize, 4096))
        frameAndPayload = ByteBuffer(capacity: min(2 << 20, small))
        rawBuffer = ByteBuffer(capacity: min(CaptureFileFormat.defaultChunkCapacity + 4096, small))
        header = CaptureHeader()

        let version: (UInt16, UInt16)
        do { version = try CaptureReader.checkPreamble(fd: fd, size: fileSize, path: path) } catch {
            close(fd)
            throw error
        }
        majorVersion = version.0
        minorVersion = version.1
        // Fully initialised from here: a throw runs deinit, which closes fd.
        try readHeaderBlock()
        if !readFooter() { scan() }
    }

    deinit { close(fd) }

    /// Shrinks the reusable buffers back to their opening sizes when a block made them grow past four times that.
    private func releaseOversizedBuffers() {
        let raw = CaptureFileFormat.defaultChunkCapacity + 4096
        if rawBuffer.capacity > 4 * raw { rawBuffer.shrink(to: raw) }
        if frameAndPayload.capacity > 4 * (2 << 20) { frameAndPayload.shrink(to: 2 << 20) }
    }

    /// Bytes held by the reader's reusable buffers (tests check that it stays at a few chunks).
    var bufferBytes: Int { frameAndPayload.capacity + rawBuffer.capacity + (scanBuffer?.capacity ?? 0) }

    // MARK: - Walking

    /// Sequential walk over every block, oldest first; the closure gets each decoded block. Event blocks come
    /// as `.events(EventBlockView)` whose `forEachRecord` walks records with no allocation.
    ///
    /// With `startNs`, event chunks whose last timestamp is before it are skipped without being read, and the
    /// walk starts at the last snapshot before the first chunk that reaches `startNs` (so thread and fd state
    /// is known), or at the beginning when there is none. Records inside a delivered chunk are not filtered.
    /// Damaged blocks are added to `problems` and skipped. An error thrown by `body` ends the walk and is
    /// rethrown; a read error of the file itself throws `CaptureError`.
    public func forEachBlock(from startNs: UInt64? = nil, _ body: (CaptureBlock) throws -> Void) throws {
        var i = startBlock(for: startNs)
        while i < index.count {
            defer { i += 1 }
            if let startNs, index[i].type == .events, index[i].lastTimestampNs < startNs { continue }
            if let block = try block(at: i) { try body(block) }
        }
    }

    /// Where a walk from `startNs` begins: the last snapshot before the first event chunk that reaches
    /// `startNs`, or the first block when there is none (or no `startNs`). A walk from there skips the event
    /// chunks that end before `startNs` (`forEachBlock` does; a caller of `block(at:)` does it itself).
    public func startBlock(for startNs: UInt64?) -> Int {
        guard let startNs,
              let firstEvent = index.firstIndex(where: { $0.type == .events && $0.lastTimestampNs >= startNs }) else { return 0 }
        return index[..<firstEvent].lastIndex(where: { $0.type == .snapshot }) ?? 0
    }

    /// Where a replay that must know the exact state at `ns` begins: the last snapshot taken at or before `ns`
    /// (0, the first block, when there is none). Unlike a `forEachBlock(from:)` walk, a replay from there
    /// reads every chunk after the snapshot: the state changes between the snapshot and `ns` are in them.
    public func keyframeBlock(atOrBefore ns: UInt64) -> Int {
        index.lastIndex { $0.type == .snapshot && $0.firstTimestampNs <= ns } ?? 0
    }

    /// Reads and decodes block `i` of the index (the pull form of `forEachBlock`, for a caller that walks
    /// several files at once): nil for a block that is damaged (reported in `problems`) or not one a walk
    /// hands out (header, footer, types of later versions). An event view is valid until the next call.
    /// Throws `CaptureError` when the file cannot be read.
    public func block(at i: Int) throws -> CaptureBlock? {
        let entry = index[i]
        switch entry.type {
        case .events:
            // Every reader subtracts first from last (durations, time windows): an inverted range is
            // impossible for a real chunk, so the chunk is reported and skipped before anyone does.
            guard entry.recordCount == 0 || entry.firstTimestampNs <= entry.lastTimestampNs else {
                report(.badLength, i, entry.offset, "event chunk's first timestamp \(entry.firstTimestampNs) is after its last \(entry.lastTimestampNs); skipped")
                return nil
            }
            guard let raw = try loadPayload(i) else { return nil }
            let valid = validateRecords(raw, blockIndex: i, entry: entry)
            let view = EventBlockView(bytes: UnsafeRawBufferPointer(rebasing: raw[..<valid.bytes]),
                                      recordCount: valid.records, firstTimestampNs: entry.firstTimestampNs,
                                      lastTimestampNs: entry.lastTimestampNs, blockIndex: i, fileOffset: entry.offset)
            return .events(view)
        case .snapshot:
            guard let raw = try loadPayload(i) else { return nil }
            let snapshot: CaptureSnapshot
            var cuts = SnapshotCuts()
            do { snapshot = try CaptureSnapshot.decode(payload: raw, cuts: &cuts) } catch {
                report(.badPayload, i, entry.offset, "snapshot does not decode (\(describe(error))); skipped")
                return nil
            }
            // The payload is decoded: a snapshot larger than a few chunks gives its buffers back before
            // the caller builds its own state from it (peak memory is the decoded copy, not both).
            releaseOversizedBuffers()
            for (kind, message) in cuts.messages where limitsReported.insert(kind).inserted {
                report(.overLimit, i, entry.offset, message + " (said once per file)")
            }
            return .snapshot(snapshot)
        case .counters:
            guard let raw = try loadPayload(i) else { return nil }
            let counters: CaptureCounters
            do { counters = try CaptureCounters.decode(payload: raw) } catch {
                report(.badPayload, i, entry.offset, "counters do not decode (\(describe(error))); skipped")
                return nil
            }
            return .counters(counters)
        default:
            // Header (already read), footer, and types of later versions: skipped by length, unread.
            return nil
        }
    }

    /// Names the formats people most often hand to kcap by mistake, so the error says what the file is.
    static func foreignFormatName(_ head: [UInt8]) -> String? {
        func starts(_ bytes: [UInt8]) -> Bool { head.count >= bytes.count && Array(head.prefix(bytes.count)) == bytes }
        if starts([0x0A, 0x0D, 0x0D, 0x0A]) { return "a sysdig/falco scap or pcapng capture" }
        if starts([0x1F, 0x8B]) { return "a gzip-compressed file: decompress it first" }
        if starts([0x04, 0x22, 0x4D, 0x18]) { return "an LZ4 frame: decompress it first with lz4 -d" }
        if starts(Array("PERFILE2".utf8)) { return "a perf.data file: read it with perf script" }
        if starts([0x7F, 0x45, 0x4C, 0x46]) { return "an ELF binary" }
        return nil
    }

    // MARK: - Opening

    /// What a non-regular file is, for the one-line error.
    static func fileKind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "mode 0o\(String(mode & S_IFMT, radix: 8))"
        }
    }

    /// Checks magic and version; returns (major, minor).
    static func checkPreamble(fd: Int32, size: UInt64, path: String) throws -> (UInt16, UInt16) {
        guard size > 0 else {
            throw CaptureError(.notACapture, path: path, "the file is empty, not a kcap capture")
        }
        var pre = [UInt8](repeating: 0, count: CapturePreamble.Layout.size)
        let n = try pre.withUnsafeMutableBytes { try preadFully(fd, $0.baseAddress!, $0.count, 0, path) }
        let head = Array(pre[..<n])
        let magic = CaptureFileFormat.magic
        if !CapturePreamble.startsWithMagic(head) {
            if head.count < magic.count && head == Array(magic.prefix(head.count)) {
                throw CaptureError(.truncated, path: path, "the file is cut inside the kcap magic (\(size) bytes); nothing to read")
            }
            if looksTextMangled(head) {
                throw CaptureError(.textModeMangled, path: path,
                                   "kcap capture damaged by a text-mode transfer (newline or 8-bit translation); copy it again in binary mode")
            }
            throw CaptureError(.notACapture, path: path,
                               "not a kcap capture (\(foreignFormatName(head) ?? "starts with \(hexPrefix(head))")); expected a file written by kcap record -w")
        }
        let preamble: CapturePreamble
        do { preamble = try CapturePreamble.decode(head) } catch {
            throw CaptureError(.truncated, path: path, "the file is cut inside its \(CapturePreamble.Layout.size)-byte preamble; nothing to read")
        }
        let (major, minor) = (preamble.majorVersion, preamble.minorVersion)
        if major > CaptureFileFormat.majorVersion {
            throw CaptureError(.futureVersion(major: major, minor: minor), path: path,
                               "capture format \(major).\(minor) is newer than this kcap reads (\(CaptureFileFormat.majorVersion).x); upgrade kcap to read it")
        }
        if major == 0 {
            throw CaptureError(.corrupt, path: path, offset: UInt64(CapturePreamble.Layout.majorVersion), "invalid capture format version 0.\(minor); the preamble is damaged")
        }
        return (major, minor)
    }

    /// The magic's "KCP" is there but its binary bytes around it were rewritten: newline translation (CRLF
    /// to LF or LF to CRLF), a stripped 8th bit, or a re-encoding of 0x89 as UTF-8.
    static func looksTextMangled(_ head: [UInt8]) -> Bool {
        let kcp: [UInt8] = [0x4B, 0x43, 0x50]
        for start in 0...3 where start + 3 <= head.count {
            if Array(head[start..<(start + 3)]) == kcp { return true }
        }
        return false
    }

    static func hexPrefix(_ b: [UInt8]) -> String {
        b.prefix(8).map { h in
            let s = String(h, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined(separator: " ")
    }

    private func readHeaderBlock() throws {
        let at = UInt64(CaptureFileFormat.preambleSize)
        let fs = CaptureFileFormat.frameSize
        guard fileSize >= at + UInt64(fs) else {
            throw CaptureError(.truncated, path: path, offset: at, "the file ends inside the header block; nothing to read")
        }
        let frame: BlockFrame
        do { frame = try readFrame(at: at) } catch {
            report(.badFrame, 0, at, "header block frame is damaged; host facts unknown")
            return
        }
        if let problem = frame.lengthProblem {
            report(.badLength, 0, at, "header block: \(problem)")
            return
        }
        guard at + frame.indexEntry(offset: at).totalLength <= fileSize else {
            throw CaptureError(.truncated, path: path, offset: at, "the file ends inside the header block; nothing to read")
        }
        if frame.type != .header {
            report(.badPayload, 0, at, "the first block is \(frame.type), not the header; host facts unknown")
            return
        }
        index = [frame.indexEntry(offset: at)]
        guard frame.rawLength <= UInt32(CaptureFileFormat.maxHeaderLength) else {
            report(.badLength, 0, at, "header block of \(frame.rawLength) bytes exceeds the \(CaptureFileFormat.maxHeaderLength)-byte limit; host facts unknown")
            return
        }
        guard let raw = try loadPayload(0) else { return }
        do { header = try CaptureHeader.decode(payload: raw) } catch {
            report(.badPayload, 0, at, "header JSON does not decode (\(error)); host facts unknown")
        }
    }

    /// Takes the index from the footer; false (and maybe a problem) when there is no usable footer.
    private func readFooter() -> Bool {
        let fs = UInt64(BlockFrame.Layout.size)
        let ts = UInt64(CaptureTrailer.Layout.size)
        let first = UInt64(CapturePreamble.Layout.size)
        guard fileSize >= first + 2 * fs + ts else { return false }
        var trailerBytes = [UInt8](repeating: 0, count: Int(ts))
        let n = (try? trailerBytes.withUnsafeMutableBytes { try CaptureReader.preadFully(fd, $0.baseAddress!, Int(ts), fileSize - ts, path) }) ?? 0
        guard n == Int(ts), let trailer = try? CaptureTrailer.decode(trailerBytes) else { return false }
        let footerAt = trailer.footerOffset
        let trailerAt = fileSize - ts
        func bad(_ what: String) -> Bool {
            report(.badFooter, nil, footerAt <= fileSize ? footerAt : trailerAt, "footer index unusable (\(what)); scanned the file instead")
            return false
        }
        guard footerAt >= first + fs, footerAt <= trailerAt - fs else { return bad("trailer points to offset \(footerAt)") }
        guard let frame = try? readFrame(at: footerAt), frame.type == .footer, frame.flags == 0,
              frame.lengthProblem == nil, footerAt + fs + UInt64(frame.storedLength) == trailerAt else {
            return bad("no valid footer block at the offset the trailer gives")
        }
        let need = Int(fs) + Int(frame.storedLength)
        frameAndPayload.reserve(need)
        guard (try? CaptureReader.preadFully(fd, frameAndPayload.base, need, footerAt, path)) == need else {
            return bad("read failed")
        }
        let payload = UnsafeRawBufferPointer(start: frameAndPayload.base + Int(fs), count: Int(frame.storedLength))
        guard kcap_crc32c(0, payload.baseAddress, payload.count) == frame.payloadCRC else { return bad("checksum mismatch") }
        let footer: FooterIndex
        do { footer = try FooterIndex.decode(payload: payload, firstBlockAt: first, footerAt: footerAt) } catch {
            return bad(error.description)
        }
        index = footer.entries
        isFinished = true
        return true
    }

    /// Builds the index by walking frames from the start; on a damaged frame, searches forward for the next
    /// valid one. Every step advances, so a hostile file cannot make it loop.
    private func scan() {
        let fs = UInt64(CaptureFileFormat.frameSize)
        var pos = UInt64(CaptureFileFormat.preambleSize)
        var entries: [BlockIndexEntry] = []
        if let h = index.first {
            entries.append(h)
            pos = h.offset + h.totalLength
        }
        while pos < fileSize {
            let left = fileSize - pos
            if entries.count >= CaptureFileFormat.maxBlocks {
                report(.badLength, entries.count, pos, "more than \(CaptureFileFormat.maxBlocks) blocks; the last \(left) bytes are not read")
                break
            }
            if left < fs {
                if !isTrailer(at: pos) {
                    report(.truncatedBlock, entries.count, pos, "the file ends \(left) bytes into a block frame (cut while writing)")
                }
                break
            }
            let parsed = try? readFrame(at: pos)
            if let frame = parsed, frame.lengthProblem == nil {
                let total = fs + UInt64(frame.storedLength)
                if total > left {
                    report(.truncatedBlock, entries.count, pos,
                           "the file ends inside this \(frame.type) block (\(left) of \(total) bytes present; cut while writing)")
                    break
                }
                if frame.type != .footer { entries.append(frame.indexEntry(offset: pos)) }
                pos += total
                continue
            }
            var (kind, what) = (CaptureProblem.Kind.badFrame, "no valid block frame here")
            if let frame = parsed, let problem = frame.lengthProblem {
                (kind, what) = (.badLength, "\(frame.type) block frame: \(problem)")
            }
            if let next = findNextFrame(after: pos) {
                report(kind, entries.count, pos, "\(what); skipped \(next - pos) bytes to the next block at offset \(next)")
                pos = next
            } else {
                report(kind, entries.count, pos, "\(what); no block found in the remaining \(left) bytes")
                break
            }
        }
        index = entries
    }

    private func isTrailer(at pos: UInt64) -> Bool {
        let size = CaptureTrailer.Layout.size
        guard fileSize - pos == UInt64(size) else { return false }
        var t = [UInt8](repeating: 0, count: size)
        let n = (try? t.withUnsafeMutableBytes { try CaptureReader.preadFully(fd, $0.baseAddress!, size, pos, path) }) ?? 0
        return n == size && (try? CaptureTrailer.decode(t)) != nil
    }

    /// The offset of the next valid frame after `pos` that fits in the file, searching in 1 MiB windows.
    ///
    /// The scan only moves forward and every search starts past the previous damaged spot, so the last
    /// window read is kept: a file with damage every few bytes reads each byte about once in all (windows
    /// overlap by one frame), instead of one window per damaged spot.
    private func findNextFrame(after pos: UInt64) -> UInt64? {
        let fs = CaptureFileFormat.frameSize
        let window = min(1 << 20, Int(clamping: fileSize))  // never more than the file, so a small file scans cheaply
        let buffer: ByteBuffer
        if let b = scanBuffer { buffer = b } else {
            buffer = ByteBuffer(capacity: window + fs)
            scanBuffer = buffer
            scanWindowCount = 0
        }
        let syncFirst = Int32(CaptureFileFormat.syncMarker & 0xFF)
        var start = pos + 1  // the first offset a frame may start at
        while start + UInt64(fs) <= fileSize {
            // Reuse the kept window when `start` lies in it with a whole frame after it; read otherwise.
            if !(start >= scanWindowBase && start + UInt64(fs) <= scanWindowBase + UInt64(scanWindowCount)) {
                let want = Int(min(UInt64(window + fs), fileSize - start))
                scanWindowCount = 0
                guard let got = try? CaptureReader.preadFully(fd, buffer.base, want, start, path), got >= fs else { return nil }
                scanWindowBase = start
                scanWindowCount = got
            }
            let got = scanWindowCount
            var i = Int(start - scanWindowBase)
            while i + fs <= got {
                guard let hit = memchr(buffer.base + i, syncFirst, got - i) else { break }
                let at = UnsafeMutableRawPointer(hit) - buffer.base
                if at + fs > got { break }
                let b = UnsafeRawBufferPointer(start: buffer.base + at, count: fs)
                // BlockFrame.parse checks the whole sync marker, then the frame CRC.
                // A real frame (its CRC checks) whose block runs past the end is still the next block: the
                // scan then reports it as cut short.
                if let f = try? BlockFrame.parse(b), f.lengthProblem == nil { return scanWindowBase + UInt64(at) }
                i = at + 1
            }
            if scanWindowBase + UInt64(got) >= fileSize { return nil }
            // Windows overlap by one frame so a frame across the boundary is still seen.
            start = scanWindowBase + UInt64(got - fs + 1)
        }
        return nil
    }

    // MARK: - Block payloads

    private func readFrame(at offset: UInt64) throws -> BlockFrame {
        let fs = CaptureFileFormat.frameSize
        guard try CaptureReader.preadFully(fd, frameAndPayload.base, fs, offset, path) == fs else {
            throw BlockFrame.Invalid.short
        }
        return try BlockFrame.parse(UnsafeRawBufferPointer(start: frameAndPayload.base, count: fs))
    }

    /// Reads, checks and decompresses block `i`'s payload into a reused buffer; nil (and a problem) when the
    /// block is damaged. The result is valid until the next call.
    private func loadPayload(_ i: Int) throws -> UnsafeRawBufferPointer? {
        let entry = index[i]
        let fs = CaptureFileFormat.frameSize
        if entry.flags & ~CaptureFileFormat.knownBlockFlags != 0 {
            report(.unsupportedBlock, i, entry.offset, "\(entry.type) block uses flags 0x\(String(entry.flags, radix: 16)) this kcap does not know; skipped")
            return nil
        }
        guard entry.storedLength <= UInt32(CaptureFileFormat.maxPayloadLength),
              entry.rawLength <= UInt32(CaptureFileFormat.maxPayloadLength) else {
            report(.badLength, i, entry.offset, "block lengths exceed the format's limit; skipped")
            return nil
        }
        let total = fs + Int(entry.storedLength)
        frameAndPayload.reserve(total)
        let got = try CaptureReader.preadFully(fd, frameAndPayload.base, total, entry.offset, path)
        guard got == total else {
            report(.truncatedBlock, i, entry.offset, "the file ends inside this \(entry.type) block; skipped")
            return nil
        }
        guard let frame = try? BlockFrame.parse(UnsafeRawBufferPointer(start: frameAndPayload.base, count: fs)) else {
            report(.badFrame, i, entry.offset, "the index points to a damaged block frame; \(entry.type) block skipped")
            return nil
        }
        guard frame.indexEntry(offset: entry.offset) == entry else {
            report(.badFrame, i, entry.offset, "the block frame does not match the footer index; skipped")
            return nil
        }
        if let problem = frame.lengthProblem {
            report(.badLength, i, entry.offset, "\(problem); skipped")
            return nil
        }
        let payload = frameAndPayload.base + fs
        let stored = Int(frame.storedLength)
        guard kcap_crc32c(0, payload, stored) == frame.payloadCRC else {
            report(.badChecksum, i, entry.offset, "\(entry.type) block fails its CRC32C check (data damaged); skipped")
            return nil
        }
        if frame.flags & CaptureFileFormat.flagLZ4 == 0 {
            return UnsafeRawBufferPointer(start: payload, count: stored)
        }
        let rawLen = Int(frame.rawLength)
        rawBuffer.reserve(rawLen)
        let n = LZ4_decompress_safe(payload.assumingMemoryBound(to: CChar.self),
                                    rawBuffer.base.assumingMemoryBound(to: CChar.self), Int32(stored), Int32(rawLen))
        guard n == Int32(rawLen) else {
            report(.badCompression, i, entry.offset, "\(entry.type) block does not decompress to its \(rawLen) bytes; skipped")
            return nil
        }
        return UnsafeRawBufferPointer(start: rawBuffer.base, count: rawLen)
    }

    // MARK: - Counters

    /// Calls `body` with every counters block of the index that reads intact, oldest first.
    ///
    /// Only the counters blocks are read, through this reader's file and index, with the checks a walk makes
    /// (the frame matches the index entry and its lengths are possible, the payload's CRC32C checks) and
    /// decoded by `CaptureCounters`. Memory is one 64 KiB buffer whatever the file holds (adjacent counters
    /// blocks are read together into it; appended counters of later versions are checksummed in pieces), and
    /// the reader's walk buffers are not touched, so this may run inside a `forEachBlock` walk. A damaged
    /// counters block is skipped without being reported: `problems` stays what the walks find, in the order
    /// they find it (a walk reports the block). Counters blocks are written uncompressed; one with block
    /// flags set is skipped. Throws `CaptureError` when the file cannot be read, or what `body` throws.
    public func forEachCounters(_ body: (CaptureCounters) throws -> Void) throws {
        var window = CountersWindow()
        for i in index.indices where index[i].type == .counters {
            if let counters = try readCounters(i, &window, backward: false) { try body(counters) }
        }
    }

    /// The last counters block that reads intact (what `forEachCounters` would give last): the recording's
    /// totals. nil when there is none. Reads from the end of the index, usually one block.
    public func lastCounters() throws -> CaptureCounters? {
        var window = CountersWindow()
        for i in index.indices.reversed() where index[i].type == .counters {
            if let counters = try readCounters(i, &window, backward: true) { return counters }
        }
        return nil
    }

    /// Buffer of a counters read: a run of adjacent counters blocks, or one piece of a longer payload.
    static let countersBufferSize = 64 << 10

    /// The file bytes a counters read holds: `count` bytes from file offset `start`.
    private struct CountersWindow {
        let buffer = ByteBuffer(capacity: CaptureReader.countersBufferSize)
        var start: UInt64 = 0
        var count = 0

        /// The `length` bytes at file offset `offset` when the window holds them.
        func bytes(at offset: UInt64, length: Int) -> UnsafeRawBufferPointer? {
            guard offset >= start, offset - start <= UInt64(count), UInt64(length) <= UInt64(count) - (offset - start) else { return nil }
            return UnsafeRawBufferPointer(start: buffer.base + Int(offset - start), count: length)
        }
    }

    /// Counters block `i`, read through `window`; nil when it is damaged or not a counters payload this reads.
    /// When the window does not hold the block, it is refilled with the run of adjacent counters blocks that
    /// starts (`backward`: ends) with block `i`, as much as fits: one read for a file of counters blocks back
    /// to back, exactly the block's bytes for a counters block between event chunks.
    private func readCounters(_ i: Int, _ window: inout CountersWindow, backward: Bool) throws -> CaptureCounters? {
        let entry = index[i]
        let fs = BlockFrame.Layout.size
        let fixed = CaptureCounters.payloadSize
        let head = fs + fixed
        let capacity = UInt64(window.buffer.capacity)
        guard entry.flags == 0, entry.storedLength == entry.rawLength, entry.rawLength >= UInt32(fixed),
              entry.storedLength <= UInt32(CaptureFileFormat.maxPayloadLength), capacity >= UInt64(head) else { return nil }
        // Index entries lie inside the file (the footer's are bounded by it, the scan's were read from it);
        // ends are still computed with checked arithmetic before any read.
        func end(_ e: BlockIndexEntry) -> UInt64? {
            let (end, overflow) = e.offset.addingReportingOverflow(e.totalLength)
            return overflow || end > fileSize ? nil : end
        }
        guard let blockEnd = end(entry) else { return nil }
        if window.bytes(at: entry.offset, length: head) == nil {
            var lo = entry.offset
            var hi = blockEnd - lo <= capacity ? blockEnd : entry.offset + UInt64(head)
            var j = i
            while true {
                j += backward ? -1 : 1
                guard index.indices.contains(j), index[j].type == .counters, let e = end(index[j]) else { break }
                if backward {
                    guard e == lo, hi - index[j].offset <= capacity else { break }
                    lo = index[j].offset
                } else {
                    guard index[j].offset == hi, e - lo <= capacity else { break }
                    hi = e
                }
            }
            window.count = 0
            window.start = lo
            window.count = try CaptureReader.preadFully(fd, window.buffer.base, Int(hi - lo), lo, path)
        }
        guard let block = window.bytes(at: entry.offset, length: head),
              let frame = try? BlockFrame.parse(UnsafeRawBufferPointer(rebasing: block[..<fs])),
              frame.indexEntry(offset: entry.offset) == entry, frame.lengthProblem == nil else { return nil }
        let fixedPart = UnsafeRawBufferPointer(rebasing: block[fs...])
        guard let counters = try? CaptureCounters.decode(payload: fixedPart) else { return nil }
        var crc = kcap_crc32c(0, fixedPart.baseAddress, fixed)
        var at = entry.offset + UInt64(head)
        if at < blockEnd {
            if let rest = window.bytes(at: at, length: Int(blockEnd - at)) {
                crc = kcap_crc32c(crc, rest.baseAddress, rest.count)
            } else {
                // Appended counters longer than the window: checksummed in pieces, which replace the window.
                window.count = 0
                while at < blockEnd {
                    let n = Int(min(capacity, blockEnd - at))
                    guard try CaptureReader.preadFully(fd, window.buffer.base, n, at, path) == n else { return nil }
                    crc = kcap_crc32c(crc, window.buffer.base, n)
                    at += UInt64(n)
                }
            }
        }
        return crc == frame.payloadCRC ? counters : nil
    }

    /// Checks the record framing of a chunk; returns the valid prefix (bytes, records).
    private func validateRecords(_ raw: UnsafeRawBufferPointer, blockIndex: Int, entry: BlockIndexEntry) -> (bytes: Int, records: Int) {
        var walker = RecordWalker(raw)
        walker.skipAll()
        let n = walker.count, off = walker.offset
        switch walker.stop {
        case .none, .end:
            if n != Int(entry.recordCount) {
                report(.badRecord, blockIndex, entry.offset, "chunk holds \(n) records but its frame says \(entry.recordCount)")
            }
        case .partialHeader(let left):
            report(.badRecord, blockIndex, entry.offset,
                   "chunk ends with \(left) stray bytes after record \(n); they are skipped")
        case .badLength(let len, let left), .cut(let len, let left):
            report(.badRecord, blockIndex, entry.offset,
                   "record \(n) at chunk byte \(off) has impossible length \(len); the last \(left) bytes of the chunk are skipped")
        }
        return (off, n)
    }

    /// Lists a problem, or counts it once the kind has `StateLimits.problemsListedPerKind` listed, so a
    /// file of a million damaged blocks costs a counter, not a million messages.
    private func report(_ kind: CaptureProblem.Kind, _ block: Int?, _ offset: UInt64, _ message: @autoclosure () -> String) {
        if listedPerKind[kind, default: 0] < StateLimits.problemsListedPerKind {
            let p = CaptureProblem(kind, blockIndex: block, offset: offset, message())
            if reported.insert(p).inserted {
                problems.append(p)
                listedPerKind[kind, default: 0] += 1
            }
            return
        }
        let at = (offset: offset, block: block ?? -1)
        if let last = omittedUpTo[kind], (at.offset, at.block) <= (last.offset, last.block) { return }
        // A listed problem met again by a later walk is not new either.
        if reported.contains(CaptureProblem(kind, blockIndex: block, offset: offset, message())) { return }
        omittedUpTo[kind] = at
        if let i = omittedProblems.firstIndex(where: { $0.kind == kind }) {
            omittedProblems[i].count += 1
        } else {
            omittedProblems.append((kind, 1))
        }
    }

    private func describe(_ error: Error) -> String {
        if let o = error as? ByteCursor.Overrun { return "\(o.what) runs past the payload at byte \(o.position)" }
        return "\(error)"
    }

    /// pread until `count` bytes or end of file; returns the bytes read. Retries EINTR and short reads.
    static func preadFully(_ fd: Int32, _ dst: UnsafeMutableRawPointer, _ count: Int, _ offset: UInt64, _ path: String) throws -> Int {
        var done = 0
        while done < count {
            let n = pread(fd, dst + done, count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw CaptureError.io(errno, path: path, offset: offset + UInt64(done), "reading")
            }
            if n == 0 { break }
            done += n
        }
        return done
    }
}

