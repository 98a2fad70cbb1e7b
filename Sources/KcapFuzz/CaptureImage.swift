import CLZ4
import CKcapSupport
@_spi(CaptureCodec) import CaptureFormat

/// A capture file taken apart into editable blocks (payloads decompressed), and put back together with
/// every length, frame CRC, payload CRC32C, footer index and trailer recomputed. The mutator edits this
/// model, so a mutation reaches the decoders instead of being stopped by a checksum.
struct CaptureImage {
    /// One block: the frame fields that are not derived from the payload, and the raw (decompressed) payload.
    /// A column-coded event chunk (format 1.3) is kept decoded, so the mutators edit records, and coded again
    /// when written (uncoded, flag cleared, when the edited records no longer walk).
    struct Block {
        var type: UInt16
        /// Block flags; bit 0 (LZ4) decides whether `raw` is compressed when written, bit 1 (columns) whether
        /// an event chunk's records are column-coded first.
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

    /// Takes `bytes` apart; nil when they do not start with a preamble and a parseable header frame.
    /// Frames are parsed by their fields only (CRCs are not checked): the point is to repair them.
    init?(_ bytes: [UInt8]) {
        let preambleSize = CaptureFileFormat.preambleSize, frameSize = BlockFrame.Layout.size
        guard bytes.count >= preambleSize + frameSize else { return nil }
        preamble = Array(bytes[0..<preambleSize])
        blocks = []
        finished = false
        tail = []
        var pos = preambleSize
        while pos + frameSize <= bytes.count {
            guard let frame = bytes.withUnsafeBytes({ b in
                try? BlockFrame.parse(UnsafeRawBufferPointer(rebasing: b[pos..<(pos + frameSize)]), checkingCRC: false)
            }) else { break }
            let stored = Int(frame.storedLength), rawLen = Int(frame.rawLength)
            let start = pos + frameSize
            guard stored <= bytes.count - start, rawLen <= CaptureFileFormat.maxPayloadLength else { break }
            if frame.type == .footer { finished = true; pos = start + stored; break }
            var raw = Array(bytes[start..<(start + stored)])
            if frame.flags & CaptureFileFormat.flagLZ4 != 0 {
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
            if frame.type == .events, frame.flags & CaptureFileFormat.flagColumns != 0 {
                // Decoded for the record mutators; a coding that does not decode stays as it is, uncoded.
                if let decoded = CaptureImage.decodeColumns(raw) { raw = decoded }
            }
            blocks.append(Block(type: frame.type.rawValue, flags: frame.flags, recordCount: frame.recordCount,
                                firstTimestampNs: frame.firstTimestampNs, lastTimestampNs: frame.lastTimestampNs, raw: raw))
            pos = start + stored
        }
        guard !blocks.isEmpty else { return nil }
        // A finished file's trailer is regenerated; anything else after the blocks is kept.
        if finished { pos = min(bytes.count, pos + CaptureFileFormat.trailerSize) }
        if pos < bytes.count { tail = Array(bytes[pos...]) }
    }

    /// Serialises the image: payloads compressed where flagged (stored raw when LZ4 does not shrink them,
    /// as the writer does), every frame and payload CRC computed, and for a finished file a footer that
    /// indexes every block and a trailer pointing at it.
    func bytes() -> [UInt8] {
        var out = preamble
        var index: [BlockIndexEntry] = []
        // One coder for the whole image: `encode` returns a view of the coder's own buffer, so the coder must
        // outlive the copy taken from it (a temporary coder was freed before the copy; ASan found it).
        let coder = ColumnCoder()
        for b0 in blocks {
            var b = b0
            if b.type == BlockType.events.rawValue, b.flags & CaptureFileFormat.flagColumns != 0 {
                if let coded = b.raw.withUnsafeBytes({ raw in withExtendedLifetime(coder) { coder.encode(raw).map { Array($0) } } }) {
                    b.raw = coded
                } else {
                    b.flags &= ~CaptureFileFormat.flagColumns
                }
            }
            var payload = b.raw
            var flags = b.flags
            if flags & CaptureFileFormat.flagLZ4 != 0 {
                let bound = Int(LZ4_compressBound(Int32(b.raw.count)))
                var c = [UInt8](repeating: 0, count: max(bound, 1))
                let n = b.raw.withUnsafeBytes { src in
                    c.withUnsafeMutableBytes { dst in
                        LZ4_compress_default(src.baseAddress?.assumingMemoryBound(to: CChar.self),
                                             dst.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(b.raw.count), Int32(bound))
                    }
                }
                if n > 0 && Int(n) < b.raw.count { payload = Array(c[..<Int(n)]) } else { flags &= ~CaptureFileFormat.flagLZ4 }
            }
            index.append(BlockIndexEntry(offset: UInt64(out.count), type: BlockType(rawValue: b.type), flags: flags,
                                         recordCount: b.recordCount, firstTimestampNs: b.firstTimestampNs,
                                         lastTimestampNs: b.lastTimestampNs, storedLength: UInt32(truncatingIfNeeded: payload.count),
                                         rawLength: UInt32(truncatingIfNeeded: b.raw.count)))
            out += CaptureImage.frame(type: BlockType(rawValue: b.type), flags: flags, raw: b.raw.count,
                                      records: b.recordCount, payload: payload, first: b.firstTimestampNs, last: b.lastTimestampNs)
            out += payload
        }
        guard finished else { return out + tail }
        let footer = FooterIndex(entries: index).encodedPayload()
        let footerAt = UInt64(out.count)
        out += CaptureImage.frame(type: .footer, flags: 0, raw: footer.count, records: UInt32(index.count),
                                  payload: footer, first: 0, last: 0)
        out += footer
        out += CaptureTrailer(footerOffset: footerAt).encoded()
        return out
    }

    /// The records of a column-coded payload, nil when it does not decode.
    static func decodeColumns(_ coded: [UInt8]) -> [UInt8]? {
        coded.withUnsafeBytes { c -> [UInt8]? in
            guard let total = ColumnCoder.recordBytes(of: c), total > 0, total <= CaptureFileFormat.maxPayloadLength else { return nil }
            var out = [UInt8](repeating: 0, count: total)
            let n = out.withUnsafeMutableBytes { ColumnCoder().decode(c, into: $0.baseAddress!, capacity: total) }
            return n == total ? out : nil
        }
    }

    /// Offsets of the records in an event payload, as far as their framing holds (the reader's walker).
    static func recordOffsets(_ raw: [UInt8]) -> [Int] {
        raw.withUnsafeBytes { b in
            var offs: [Int] = []
            var walker = RecordWalker(b)
            var at = 0
            while let r = walker.next() {
                offs.append(at)
                at += r.bytes.count
            }
            return offs
        }
    }

    /// A valid frame for `payload` (its CRC and the frame's own computed by the format's codec).
    static func frame(type: BlockType, flags: UInt16, raw: Int, records: UInt32, payload: [UInt8],
                      first: UInt64, last: UInt64) -> [UInt8] {
        BlockFrame(type: type, flags: flags, storedLength: UInt32(truncatingIfNeeded: payload.count),
                   rawLength: UInt32(truncatingIfNeeded: raw), recordCount: records,
                   payloadCRC: payload.withUnsafeBytes { kcap_crc32c(0, $0.baseAddress, $0.count) },
                   firstTimestampNs: first, lastTimestampNs: last).encoded()
    }

    static func u16(_ b: [UInt8], _ o: Int) -> UInt16 { UInt16(b[o]) | UInt16(b[o + 1]) << 8 }
    static func u32(_ b: [UInt8], _ o: Int) -> UInt32 { UInt32(u16(b, o)) | UInt32(u16(b, o + 2)) << 16 }
    static func u64(_ b: [UInt8], _ o: Int) -> UInt64 { UInt64(u32(b, o)) | UInt64(u32(b, o + 4)) << 32 }
    static func set(_ b: inout [UInt8], _ o: Int, width: Int, _ v: UInt64) {
        for i in 0..<width where o + i < b.count { b[o + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) }
    }
}
