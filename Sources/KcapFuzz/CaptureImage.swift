import CLZ4
import CKcapSupport

/// A capture file taken apart into editable blocks (payloads decompressed), and put back together with
/// every length, frame CRC, payload CRC32C, footer index and trailer recomputed. The mutator edits this
/// model, so a mutation reaches the decoders instead of being stopped by a checksum.
struct CaptureImage {
    /// One block: the frame fields that are not derived from the payload, and the raw (decompressed) payload.
    struct Block {
        var type: UInt16
        /// Block flags; bit 0 (LZ4) decides whether `raw` is compressed when written.
        var flags: UInt16
        var recordCount: UInt32
        var firstTimestampNs: UInt64
        var lastTimestampNs: UInt64
        var raw: [UInt8]
    }

    /// The 16-byte preamble (magic, version, flags), kept as bytes so it can be mutated too.
    var preamble: [UInt8]
    /// Every block before the footer, in file order.
    var blocks: [Block]
    /// Whether to write a footer and trailer (a finished file) or end after the last block (a killed one).
    var finished: Bool
    /// Bytes after the last block that did not parse as one; written back as they were.
    var tail: [UInt8]

    static let frameSize = 48
    static let sync: UInt32 = 0xB76B_424B

    /// Takes `bytes` apart; nil when they do not start with a preamble and a parseable header frame.
    /// Frames are parsed by their fields only (CRCs are not checked): the point is to repair them.
    init?(_ bytes: [UInt8]) {
        guard bytes.count >= 16 + CaptureImage.frameSize else { return nil }
        preamble = Array(bytes[0..<16])
        blocks = []
        finished = false
        tail = []
        var pos = 16
        while pos + CaptureImage.frameSize <= bytes.count {
            guard CaptureImage.u32(bytes, pos) == CaptureImage.sync else { break }
            let type = CaptureImage.u16(bytes, pos + 4), flags = CaptureImage.u16(bytes, pos + 6)
            let stored = Int(CaptureImage.u32(bytes, pos + 8)), rawLen = Int(CaptureImage.u32(bytes, pos + 12))
            let start = pos + CaptureImage.frameSize
            guard stored <= bytes.count - start, rawLen <= 64 << 20 else { break }
            if type == 5 { finished = true; pos = start + stored; break }
            var raw = Array(bytes[start..<(start + stored)])
            if flags & 1 != 0 {
                var out = [UInt8](repeating: 0, count: rawLen)
                let n = raw.withUnsafeBytes { src in
                    out.withUnsafeMutableBytes { dst in
                        LZ4_decompress_safe(src.baseAddress?.assumingMemoryBound(to: CChar.self),
                                            dst.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(stored), Int32(rawLen))
                    }
                }
                guard n == Int32(rawLen) else { break }
                raw = out
            }
            blocks.append(Block(type: type, flags: flags, recordCount: CaptureImage.u32(bytes, pos + 16),
                                firstTimestampNs: CaptureImage.u64(bytes, pos + 24),
                                lastTimestampNs: CaptureImage.u64(bytes, pos + 32), raw: raw))
            pos = start + stored
        }
        guard !blocks.isEmpty else { return nil }
        // A finished file's trailer is regenerated; anything else after the blocks is kept.
        if finished { pos = min(bytes.count, pos + 16) }
        if pos < bytes.count { tail = Array(bytes[pos...]) }
    }

    /// Serialises the image: payloads compressed where flagged (stored raw when LZ4 does not shrink them,
    /// as the writer does), every frame and payload CRC computed, and for a finished file a footer that
    /// indexes every block and a trailer pointing at it.
    func bytes() -> [UInt8] {
        var out = preamble
        var index: [(offset: UInt64, block: Block, stored: Int, flags: UInt16)] = []
        for b in blocks {
            var payload = b.raw
            var flags = b.flags
            if flags & 1 != 0 {
                let bound = Int(LZ4_compressBound(Int32(b.raw.count)))
                var c = [UInt8](repeating: 0, count: max(bound, 1))
                let n = b.raw.withUnsafeBytes { src in
                    c.withUnsafeMutableBytes { dst in
                        LZ4_compress_default(src.baseAddress?.assumingMemoryBound(to: CChar.self),
                                             dst.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(b.raw.count), Int32(bound))
                    }
                }
                if n > 0 && Int(n) < b.raw.count { payload = Array(c[..<Int(n)]) } else { flags &= ~1 }
            }
            index.append((UInt64(out.count), b, payload.count, flags))
            CaptureImage.appendFrame(&out, type: b.type, flags: flags, stored: payload.count, raw: b.raw.count,
                                     records: b.recordCount, payload: payload, first: b.firstTimestampNs, last: b.lastTimestampNs)
            out += payload
        }
        guard finished else { return out + tail }
        var footer: [UInt8] = []
        CaptureImage.put32(&footer, UInt32(index.count))
        for e in index {
            CaptureImage.put64(&footer, e.offset)
            CaptureImage.put16(&footer, e.block.type)
            CaptureImage.put16(&footer, e.flags)
            CaptureImage.put32(&footer, e.block.recordCount)
            CaptureImage.put64(&footer, e.block.firstTimestampNs)
            CaptureImage.put64(&footer, e.block.lastTimestampNs)
            CaptureImage.put32(&footer, UInt32(e.stored))
            CaptureImage.put32(&footer, UInt32(e.block.raw.count))
        }
        let footerAt = UInt64(out.count)
        CaptureImage.appendFrame(&out, type: 5, flags: 0, stored: footer.count, raw: footer.count,
                                 records: UInt32(index.count), payload: footer, first: 0, last: 0)
        out += footer
        CaptureImage.put64(&out, footerAt)
        out += [0x89, 0x4B, 0x43, 0x50, 0x45, 0x4E, 0x44, 0x0A]
        return out
    }

    /// Offsets of the records in an event payload, following each record's length while it is plausible.
    static func recordOffsets(_ raw: [UInt8]) -> [Int] {
        var offs: [Int] = []
        var off = 0
        while off + 24 <= raw.count {
            let len = Int(u16(raw, off + 18))
            guard len >= 24, len % 8 == 0, off + len <= raw.count else { break }
            offs.append(off)
            off += len
        }
        return offs
    }

    static func appendFrame(_ out: inout [UInt8], type: UInt16, flags: UInt16, stored: Int, raw: Int, records: UInt32,
                            payload: [UInt8], first: UInt64, last: UInt64) {
        var f: [UInt8] = []
        f.reserveCapacity(frameSize)
        put32(&f, sync)
        put16(&f, type)
        put16(&f, flags)
        put32(&f, UInt32(truncatingIfNeeded: stored))
        put32(&f, UInt32(truncatingIfNeeded: raw))
        put32(&f, records)
        put32(&f, payload.withUnsafeBytes { kcap_crc32c(0, $0.baseAddress, $0.count) })
        put64(&f, first)
        put64(&f, last)
        put32(&f, 0)
        put32(&f, f.withUnsafeBytes { kcap_crc32c(0, $0.baseAddress, 44) })
        out += f
    }

    static func u16(_ b: [UInt8], _ o: Int) -> UInt16 { UInt16(b[o]) | UInt16(b[o + 1]) << 8 }
    static func u32(_ b: [UInt8], _ o: Int) -> UInt32 { UInt32(u16(b, o)) | UInt32(u16(b, o + 2)) << 16 }
    static func u64(_ b: [UInt8], _ o: Int) -> UInt64 { UInt64(u32(b, o)) | UInt64(u32(b, o + 4)) << 32 }
    static func put16(_ b: inout [UInt8], _ v: UInt16) { b.append(UInt8(v & 0xFF)); b.append(UInt8(v >> 8)) }
    static func put32(_ b: inout [UInt8], _ v: UInt32) { put16(&b, UInt16(v & 0xFFFF)); put16(&b, UInt16(v >> 16)) }
    static func put64(_ b: inout [UInt8], _ v: UInt64) { put32(&b, UInt32(v & 0xFFFF_FFFF)); put32(&b, UInt32(v >> 32)) }
    static func set(_ b: inout [UInt8], _ o: Int, width: Int, _ v: UInt64) {
        for i in 0..<width where o + i < b.count { b[o + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) }
    }
}
