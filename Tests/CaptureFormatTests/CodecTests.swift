import XCTest
@_spi(CaptureCodec) @testable import CaptureFormat
#if canImport(Glibc)
import Glibc
#endif

/// The fixed-layout codecs (preamble, block frame, index entry, footer index, trailer, counters) checked
/// against the bytes of real recordings (Tests/Fixtures/*/capture.kcap), not against themselves: each
/// fixture is also taken apart here by hand, at the offsets docs/capture-format.md gives, and every codec
/// must decode what that finds and encode it back to exactly the bytes in the file.
final class CodecTests: XCTestCase {
    /// Every fixture capture (recorded by kcap record on a real kernel, plus the synthetic one).
    static func fixtures() throws -> [(name: String, path: String, bytes: [UInt8])] {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        let found: [(name: String, path: String, bytes: [UInt8])] = names.compactMap { name in
            let path = dir.appendingPathComponent(name).appendingPathComponent("capture.kcap").path
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            return (name, path, readFile(path))
        }
        XCTAssertGreaterThanOrEqual(found.count, 5, "the fixtures are there")
        return found
    }

    // The spec's tables, read by hand (little-endian integers at fixed offsets).
    static func u16(_ b: [UInt8], _ at: Int) -> UInt16 { UInt16(b[at]) | UInt16(b[at + 1]) << 8 }
    static func u32(_ b: [UInt8], _ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(b[at + $1]) << (8 * $1) } }
    static func u64(_ b: [UInt8], _ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(b[at + $1]) << (8 * $1) } }

    /// A block as the spec's frame table describes it, found by walking frames from offset 16 by hand.
    struct HandBlock {
        var offset: Int
        var frame: [UInt8]
        var payload: [UInt8]
        var type: UInt16 { u16(frame, 4) }
        var entry: BlockIndexEntry {
            BlockIndexEntry(offset: UInt64(offset), type: BlockType(rawValue: type), flags: u16(frame, 6),
                            recordCount: u32(frame, 16), firstTimestampNs: u64(frame, 24), lastTimestampNs: u64(frame, 32),
                            storedLength: u32(frame, 8), rawLength: u32(frame, 12))
        }
    }

    /// The blocks of a finished file from offset 16 to the end of its footer, by the frame's stored length.
    static func handBlocks(_ b: [UInt8]) -> [HandBlock] {
        var out: [HandBlock] = []
        var pos = 16
        while pos + 48 <= b.count - 16 {
            let stored = Int(u32(b, pos + 8))
            out.append(HandBlock(offset: pos, frame: Array(b[pos..<(pos + 48)]), payload: Array(b[(pos + 48)..<(pos + 48 + stored)])))
            pos += 48 + stored
        }
        XCTAssertEqual(pos, b.count - 16, "the blocks end where the trailer starts")
        return out
    }

    func testPreambleCodecMatchesTheFixtures() throws {
        for f in try Self.fixtures() {
            let head = Array(f.bytes[..<16])
            let p = try CapturePreamble.decode(head)
            XCTAssertEqual(p, CapturePreamble(majorVersion: Self.u16(head, 8), minorVersion: Self.u16(head, 10), flags: Self.u32(head, 12)), f.name)
            XCTAssertEqual(p.encoded(), head, "\(f.name): re-encoded to the file's bytes")
            XCTAssertEqual(Array(head[..<8]), CaptureFileFormat.magic, f.name)
            if p.minorVersion == CaptureFileFormat.minorVersion {
                XCTAssertEqual(CapturePreamble.current.encoded(), head, "\(f.name): what the writer writes today")
            }
            // Every cut of the real bytes is refused with a typed error, never a trap.
            for n in 0..<16 {
                XCTAssertThrowsError(try CapturePreamble.decode(Array(head[..<n]))) {
                    XCTAssertEqual($0 as? CapturePreamble.Invalid, n < 8 ? .badMagic : .short, "\(f.name) cut at \(n)")
                }
            }
            var bad = head
            bad[3] ^= 0x20
            XCTAssertThrowsError(try CapturePreamble.decode(bad)) { XCTAssertEqual($0 as? CapturePreamble.Invalid, .badMagic) }
        }
    }

    func testTrailerCodecMatchesTheFixtures() throws {
        for f in try Self.fixtures() {
            let tail = Array(f.bytes[(f.bytes.count - 16)...])
            let t = try CaptureTrailer.decode(tail)
            XCTAssertEqual(t.footerOffset, Self.u64(tail, 0), f.name)
            XCTAssertEqual(Self.handBlocks(f.bytes).last.map { UInt64($0.offset) }, t.footerOffset, "\(f.name): points at the last block")
            XCTAssertEqual(Self.u16(f.bytes, Int(t.footerOffset) + 4), BlockType.footer.rawValue, "\(f.name): which is the footer")
            XCTAssertEqual(t.encoded(), tail, "\(f.name): re-encoded to the file's bytes")
            for n in 0..<16 {
                XCTAssertThrowsError(try CaptureTrailer.decode(Array(tail[..<n]))) { XCTAssertEqual($0 as? CaptureTrailer.Invalid, .wrongSize) }
            }
            XCTAssertThrowsError(try CaptureTrailer.decode(tail + [0])) { XCTAssertEqual($0 as? CaptureTrailer.Invalid, .wrongSize) }
            for i in 8..<16 {
                var bad = tail
                bad[i] ^= 1
                XCTAssertThrowsError(try CaptureTrailer.decode(bad)) { XCTAssertEqual($0 as? CaptureTrailer.Invalid, .noEndMagic) }
            }
        }
    }

    func testBlockFrameCodecMatchesTheFixtures() throws {
        for f in try Self.fixtures() {
            let blocks = Self.handBlocks(f.bytes)
            XCTAssertEqual(blocks.first?.type, BlockType.header.rawValue, f.name)
            for b in blocks {
                let frame = try b.frame.withUnsafeBytes { try BlockFrame.parse($0) }
                XCTAssertEqual(frame.indexEntry(offset: UInt64(b.offset)), b.entry, "\(f.name) block at \(b.offset)")
                XCTAssertEqual(frame.payloadCRC, Self.u32(b.frame, 20), f.name)
                XCTAssertEqual(frame.payloadCRC, b.payload.withUnsafeBytes { kcapCRC($0.baseAddress!, $0.count) }, f.name)
                XCTAssertEqual(frame.encoded(), b.frame, "\(f.name) block at \(b.offset): re-encoded with its CRC")
                XCTAssertNil(frame.lengthProblem, f.name)
                for n in [0, 1, 24, 44, 47] {
                    XCTAssertThrowsError(try Array(b.frame[..<n]).withUnsafeBytes { try BlockFrame.parse($0) }) {
                        XCTAssertEqual($0 as? BlockFrame.Invalid, .short)
                    }
                }
                var noSync = b.frame
                noSync[0] ^= 1
                XCTAssertThrowsError(try noSync.withUnsafeBytes { try BlockFrame.parse($0) }) { XCTAssertEqual($0 as? BlockFrame.Invalid, .noSync) }
                for i in [4, 8, 16, 24, 40, 44] {
                    var damaged = b.frame
                    damaged[i] ^= 0x10
                    XCTAssertThrowsError(try damaged.withUnsafeBytes { try BlockFrame.parse($0) }) { XCTAssertEqual($0 as? BlockFrame.Invalid, .badCRC) }
                }
            }
        }
    }

    func testFooterIndexCodecMatchesTheFixtures() throws {
        for f in try Self.fixtures() {
            let blocks = Self.handBlocks(f.bytes)
            guard let footer = blocks.last, footer.type == BlockType.footer.rawValue else { return XCTFail(f.name) }
            let listed = blocks.dropLast()
            // Each 40-byte entry, one by one.
            XCTAssertEqual(Int(Self.u32(footer.payload, 0)), listed.count, f.name)
            XCTAssertEqual(footer.payload.count, 4 + 40 * listed.count, f.name)
            for (i, b) in listed.enumerated() {
                let bytes = Array(footer.payload[(4 + 40 * i)..<(4 + 40 * (i + 1))])
                let entry = try bytes.withUnsafeBytes { try BlockIndexEntry(decoding: $0) }
                XCTAssertEqual(entry, b.entry, "\(f.name) entry \(i) lists block \(b.offset)")
                var again = [UInt8](repeating: 0, count: BlockIndexEntry.Layout.size)
                again.withUnsafeMutableBytes { entry.store(into: $0) }
                XCTAssertEqual(again, bytes, "\(f.name) entry \(i) re-encoded")
                XCTAssertThrowsError(try Array(bytes.dropLast()).withUnsafeBytes { try BlockIndexEntry(decoding: $0) }) {
                    XCTAssertEqual($0 as? BlockIndexEntry.Invalid, .short)
                }
            }
            // The whole payload.
            let decoded = try footer.payload.withUnsafeBytes {
                try FooterIndex.decode(payload: $0, firstBlockAt: 16, footerAt: UInt64(footer.offset))
            }
            XCTAssertEqual(decoded.entries, listed.map(\.entry), f.name)
            XCTAssertEqual(decoded.encodedPayload(), footer.payload, "\(f.name): the footer re-encoded to the file's bytes")
            XCTAssertEqual(try CaptureReader(path: f.path).index, listed.map(\.entry), "\(f.name): the reader's index")
            // Every cut of the real payload is refused (the count no longer matches), none traps.
            for n in 0..<footer.payload.count {
                XCTAssertThrowsError(try Array(footer.payload[..<n]).withUnsafeBytes {
                    try FooterIndex.decode(payload: $0, firstBlockAt: 16, footerAt: UInt64(footer.offset))
                }) { XCTAssertEqual($0 as? FooterIndex.Invalid, .countMismatch, "\(f.name) cut at \(n)") }
            }
            // A footer that claims to start elsewhere, or to end before its last block, is refused.
            XCTAssertThrowsError(try footer.payload.withUnsafeBytes {
                try FooterIndex.decode(payload: $0, firstBlockAt: 8, footerAt: UInt64(footer.offset))
            }) { XCTAssertEqual($0 as? FooterIndex.Invalid, .firstNotHeader) }
            let lastListed = listed.count - 1
            XCTAssertThrowsError(try footer.payload.withUnsafeBytes {
                try FooterIndex.decode(payload: $0, firstBlockAt: 16, footerAt: UInt64(footer.offset - 1))
            }) { XCTAssertEqual($0 as? FooterIndex.Invalid, .outOfBounds(index: lastListed, offset: UInt64(listed[lastListed].offset))) }
        }
    }

    /// Entries whose offsets or lengths would wrap, point backwards or past the footer, or a count past the
    /// limit, in otherwise real footer bytes: refused with the entry named, never a trap.
    func testFooterIndexRefusesHostileEntries() throws {
        let f = try XCTUnwrap(Self.fixtures().first)
        let blocks = Self.handBlocks(f.bytes)
        let footer = try XCTUnwrap(blocks.last)
        let footerAt = UInt64(footer.offset)
        func decode(_ payload: [UInt8]) -> FooterIndex.Invalid? {
            do {
                _ = try payload.withUnsafeBytes { try FooterIndex.decode(payload: $0, firstBlockAt: 16, footerAt: footerAt) }
                return nil
            } catch { return error as? FooterIndex.Invalid }
        }
        func patch64(_ p: [UInt8], _ at: Int, _ v: UInt64) -> [UInt8] {
            var p = p
            for i in 0..<8 { p[at + i] = UInt8(truncatingIfNeeded: v >> (8 * i)) }
            return p
        }
        let second = 4 + 40  // entry 1
        for hostile in [UInt64.max, UInt64.max - 47, UInt64(Int64.max), footerAt, 0] {
            XCTAssertEqual(decode(patch64(footer.payload, second, hostile)), .outOfBounds(index: 1, offset: hostile), "offset \(hostile)")
        }
        var stored = footer.payload
        for i in 0..<4 { stored[second + 32 + i] = 0xFF }
        XCTAssertEqual(decode(stored), .outOfBounds(index: 1, offset: UInt64(blocks[1].offset)))
        var count = footer.payload
        for i in 0..<4 { count[i] = 0xFF }
        XCTAssertEqual(decode(count), .countMismatch)
        XCTAssertEqual(decode([]), .countMismatch)
        XCTAssertEqual(decode([0, 0, 0, 0]), .firstNotHeader, "an empty index lists no header")
        XCTAssertEqual(FooterIndex.Invalid.outOfBounds(index: 1, offset: 7).description, "entry 1 at offset 7 is out of order or out of bounds")
    }

    func testCountersCodecAndReaderMatchTheFixtures() throws {
        for f in try Self.fixtures() {
            let byHand = Self.handBlocks(f.bytes).filter { $0.type == BlockType.counters.rawValue }
            XCTAssertFalse(byHand.isEmpty, "\(f.name) has counters")
            var expected: [CaptureCounters] = []
            for b in byHand {
                XCTAssertEqual(b.payload.count, 56, f.name)
                let v = (0..<7).map { Self.u64(b.payload, 8 * $0) }
                let hand = CaptureCounters(timestampNs: v[0], eventsSeen: v[1], eventsWritten: v[2], dropRingFull: v[3],
                                           dropTooLarge: v[4], dropReadFail: v[5], dropUserQueue: v[6])
                XCTAssertEqual(try b.payload.withUnsafeBytes { try CaptureCounters.decode(payload: $0) }, hand, f.name)
                XCTAssertEqual(hand.encodedPayload(), b.payload, "\(f.name): re-encoded to the file's bytes")
                expected.append(hand)
            }
            let reader = try CaptureReader(path: f.path)
            var streamed: [CaptureCounters] = []
            try reader.forEachCounters { streamed.append($0) }
            XCTAssertEqual(streamed, expected, f.name)
            XCTAssertEqual(try reader.lastCounters(), expected.last, f.name)
            var walked: [CaptureCounters] = []
            try reader.forEachBlock { if case .counters(let c) = $0 { walked.append(c) } }
            XCTAssertEqual(walked, expected, "\(f.name): the same as a walk decodes")
            XCTAssertEqual(reader.problems, [], f.name)
            // The recorder's own summary in the fixture's README ("captured N events, dropped D").
            let readme = (try? String(contentsOfFile: (f.path as NSString).deletingLastPathComponent + "/README.md", encoding: .utf8)) ?? ""
            if let line = readme.split(separator: "\n").first(where: { $0.contains("| result | captured ") }) {
                let words = line.split(separator: " ")
                let captured = words.firstIndex(of: "captured").flatMap { UInt64(words[$0 + 1]) }
                let dropped = words.firstIndex(of: "dropped").flatMap { UInt64(words[$0 + 1].trimmingCharacters(in: .punctuationCharacters)) }
                XCTAssertEqual(expected.last?.eventsWritten, captured, "\(f.name): \(line)")
                XCTAssertEqual(expected.last?.eventsDropped, dropped, "\(f.name): \(line)")
            }
        }
    }

    /// Counters read through the reader skip a damaged counters block (frame or payload) without reporting
    /// it: the walk reports it, once, where it meets it.
    func testCountersReadSkipsDamageQuietly() throws {
        let fixtures = try Self.fixtures()
        let f = try XCTUnwrap(fixtures.first { $0.name == "synthetic-families" } ?? fixtures.first)
        let counters = Self.handBlocks(f.bytes).filter { $0.type == BlockType.counters.rawValue }
        XCTAssertGreaterThanOrEqual(counters.count, 2, "the fixture needs several counters blocks")
        let victim = try XCTUnwrap(counters.last)
        let intact = try CaptureReader(path: f.path)
        var all: [CaptureCounters] = []
        try intact.forEachCounters { all.append($0) }
        let dir = ScratchDir()
        for (what, at) in [("payload", victim.offset + 48 + 20), ("frame", victim.offset + 12)] {
            var bytes = f.bytes
            bytes[at] ^= 0x40
            let path = dir.file("\(what).kcap")
            writeFile(path, bytes)
            let r = try CaptureReader(path: path)
            var got: [CaptureCounters] = []
            try r.forEachCounters { got.append($0) }
            XCTAssertEqual(got, Array(all.dropLast()), "\(what): the damaged block is skipped")
            XCTAssertEqual(try r.lastCounters(), all[all.count - 2], "\(what): the last intact one is the totals")
            XCTAssertEqual(r.problems.filter { $0.offset == UInt64(victim.offset) }, [], "\(what): not reported by the counters read")
            try r.forEachBlock { _ in }
            XCTAssertEqual(r.problems.filter { $0.offset == UInt64(victim.offset) }.count, 1, "\(what): reported by the walk: \(r.problems)")
        }
    }

    /// A counters block with appended counters (a later minor version) is read through its fixed part, its
    /// whole payload checksummed in pieces, also when it is larger than the read buffer; damage in the
    /// appended bytes is still caught.
    func testCountersWithAppendedFieldsOfAnyLength() throws {
        let dir = ScratchDir()
        let c = CaptureCounters(timestampNs: 7, eventsSeen: 9, eventsWritten: 8, dropRingFull: 1)
        for extra in [8, CaptureReader.countersBufferSize, 3 * CaptureReader.countersBufferSize + 13] {
            let path = dir.file("extra\(extra).kcap")
            let w = try CaptureWriter(path: path, header: sampleHeader)
            let payload = c.encodedPayload() + (0..<extra).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try payload.withUnsafeBytes { try w.writeBlock(type: .counters, payload: $0, recordCount: 1) }
            try w.finish()
            let r = try CaptureReader(path: path)
            XCTAssertEqual(try r.lastCounters(), c, "extra \(extra)")
            var bytes = readFile(path)
            let block = try XCTUnwrap(r.index.last)
            bytes[Int(block.offset) + 48 + payload.count - 1] ^= 1
            writeFile(path, bytes)
            XCTAssertNil(try CaptureReader(path: path).lastCounters(), "extra \(extra): the damaged last byte is seen")
        }
    }

    /// Thousands of counters blocks back to back (read a window at a time, forward and backward), some
    /// damaged, some with appended counters, some separated by event chunks: exactly the intact ones, in order.
    func testManyAdjacentCountersBlocks() throws {
        let dir = ScratchDir()
        let path = dir.file("many.kcap")
        let w = try CaptureWriter(path: path, header: sampleHeader)
        var written: [CaptureCounters] = []
        var chunk = EventChunk(capacity: 4096)
        for i in 0..<3000 {
            let c = CaptureCounters(timestampNs: UInt64(i), eventsSeen: UInt64(i) * 3, eventsWritten: UInt64(i), dropRingFull: UInt64(i % 5))
            written.append(c)
            if i % 401 == 0 {
                let payload = c.encodedPayload() + [UInt8](repeating: 0xC3, count: i % 802 == 0 ? 70_000 : 24)
                try payload.withUnsafeBytes { try w.writeBlock(type: .counters, payload: $0, recordCount: 1) }
            } else {
                try w.write(c)
            }
            if i % 997 == 0 {
                XCTAssertTrue(makeRecord(ts: UInt64(i), tid: 1, pid: 1).withUnsafeBytes { chunk.append($0) })
                try w.write(chunk)
                chunk.reset()
            }
        }
        try w.finish()
        var bytes = readFile(path)
        let blocks = try CaptureReader(path: path).index.filter { $0.type == .counters }
        XCTAssertEqual(blocks.count, written.count)
        // Damage: every 7th payload, and the last three blocks' frames or payloads.
        var intact = written
        for i in stride(from: blocks.count - 1, through: 0, by: -1) where i % 7 == 3 || i >= blocks.count - 3 {
            let b = blocks[i]
            let at = i == blocks.count - 2 ? Int(b.offset) + 8 : Int(b.offset) + 48 + Int(b.storedLength) - 1
            bytes[at] ^= 0x08
            intact.remove(at: i)
        }
        for finished in [true, false] {
            let damaged = dir.file("damaged-\(finished).kcap")
            // Unfinished: no footer and trailer, so the reader builds the index by scanning.
            writeFile(damaged, finished ? bytes : Array(bytes[..<Int(blocks[blocks.count - 1].offset + blocks[blocks.count - 1].totalLength)]))
            let r = try CaptureReader(path: damaged)
            XCTAssertEqual(r.isFinished, finished)
            var got: [CaptureCounters] = []
            try r.forEachCounters { got.append($0) }
            XCTAssertEqual(got.count, intact.count, "finished \(finished)")
            XCTAssertEqual(got, intact, "finished \(finished)")
            XCTAssertEqual(try r.lastCounters(), intact.last, "finished \(finished)")
        }
    }

    /// Counters read inside a walk leave the walk's chunk bytes alone (they use their own buffer).
    func testCountersReadInsideAWalk() throws {
        let dir = ScratchDir()
        let path = dir.file("w.kcap")
        let written = try writeSmallCapture(path: path)
        let r = try CaptureReader(path: path)
        var chunks: [[[UInt8]]] = []
        var seen: [CaptureCounters?] = []
        try r.forEachBlock { block in
            guard case .events(let v) = block else { return }
            seen.append(try r.lastCounters())
            var recs: [[UInt8]] = []
            v.forEachRecord { recs.append(Array($0.bytes)) }
            chunks.append(recs)
        }
        XCTAssertEqual(chunks, written)
        XCTAssertEqual(seen.count, written.count)
        XCTAssertTrue(seen.allSatisfy { $0?.dropRingFull == 2 })
    }

    /// The layouts tile their structures exactly, as the spec's tables do.
    func testLayoutsTileTheirStructures() {
        typealias F = BlockFrame.Layout
        let frame = [(F.syncMarker, 4), (F.type, 2), (F.flags, 2), (F.storedLength, 4), (F.rawLength, 4), (F.recordCount, 4),
                     (F.payloadCRC, 4), (F.firstTimestamp, 8), (F.lastTimestamp, 8), (F.reserved, 4), (F.frameCRC, 4)]
        typealias E = BlockIndexEntry.Layout
        let entry = [(E.offset, 8), (E.type, 2), (E.flags, 2), (E.recordCount, 4), (E.firstTimestamp, 8), (E.lastTimestamp, 8),
                     (E.storedLength, 4), (E.rawLength, 4)]
        typealias P = CapturePreamble.Layout
        let preamble = [(P.magic, P.magicSize), (P.majorVersion, 2), (P.minorVersion, 2), (P.flags, 4)]
        typealias T = CaptureTrailer.Layout
        let trailer = [(T.footerOffset, 8), (T.endMagic, CaptureFileFormat.endMagic.count)]
        for (name, fields, size) in [("frame", frame, F.size), ("entry", entry, E.size), ("preamble", preamble, P.size), ("trailer", trailer, T.size)] {
            var at = 0
            for (offset, width) in fields {
                XCTAssertEqual(offset, at, "\(name): fields follow each other")
                at += width
            }
            XCTAssertEqual(at, size, "\(name): fields fill it")
        }
        XCTAssertEqual(F.size, 48)
        XCTAssertEqual(E.size, 40)
        XCTAssertEqual(CaptureCounters.payloadSize, 56)
        XCTAssertEqual(FooterIndex.Layout.entries, FooterIndex.Layout.entryCount + 4)
    }
}
