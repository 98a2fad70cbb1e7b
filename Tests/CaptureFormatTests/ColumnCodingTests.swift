import XCTest
@testable import CaptureFormat

/// Format 1.3's column coding of event chunks (`ColumnCoder`, block flag bit 1): lossless for any records a
/// reader accepts, refused (the chunk stays uncoded) for anything else, and safe on any bytes when decoding.
final class ColumnCodingTests: XCTestCase {
    /// A syscall record with `items` (kind, bytes) after the 96-byte fixed part, padded with zeros to 8.
    private func syscall(ts: UInt64, tid: UInt32, nr: UInt16, ret: Int64, args: [UInt64], items: [(UInt8, [UInt8])],
                         padding: UInt8 = 0, extraTail: [UInt8] = []) -> [UInt8] {
        var body = [UInt8](repeating: 0, count: 72)
        body.withUnsafeMutableBytes { p in
            p.storeBytes(of: UInt64(1000 + ts % 977).littleEndian, toByteOffset: 0, as: UInt64.self)
            p.storeBytes(of: nr.littleEndian, toByteOffset: 8, as: UInt16.self)
            p.storeBytes(of: UInt16(items.count).littleEndian, toByteOffset: 10, as: UInt16.self)
            p.storeBytes(of: ret.littleEndian, toByteOffset: 16, as: Int64.self)
            for (i, a) in args.prefix(6).enumerated() { p.storeBytes(of: a.littleEndian, toByteOffset: 24 + 8 * i, as: UInt64.self) }
        }
        for (kind, data) in items {
            body += [kind, 0, UInt8(data.count & 0xff), UInt8(data.count >> 8)] + data
        }
        body += extraTail
        var r = makeRecord(ts: ts, tid: tid, pid: tid &+ 1, type: 1, payload: body)
        if padding != 0, r.count > 24 + body.count { r[r.count - 1] = padding }
        return r
    }

    /// A chunk mixing everything the coder meets: syscalls with and without items (paths, data, sockaddrs),
    /// records whose items do not parse (wrong nitems, non-zero padding, a long tail), process records,
    /// records of other types, and short syscall records.
    private func mixedChunk(seed: UInt64, records: Int) -> [UInt8] {
        var rng = SeededRandom(seed: seed)
        var out: [UInt8] = []
        var ts: UInt64 = 5_000_000_000
        for i in 0..<records {
            ts += UInt64(rng.below(5000))
            let tid = UInt32(100 + rng.below(6))
            let nr = UInt16([0, 1, 3, 257, 262, 89, 4000][rng.below(7)])
            let args = (0..<6).map { _ in rng.below(3) == 0 ? rng.next() : UInt64(rng.below(100)) }
            let path = Array("/usr/lib/x86_64-linux-gnu/lib\(rng.below(30)).so".utf8)
            let data = (0..<rng.below(90)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            switch rng.below(10) {
            case 0: out += makeRecord(ts: ts, tid: tid, pid: tid, type: 2, payload: [1, 2, 3, 4, 5, 6, 7, 8, 9])
            case 1: out += makeRecord(ts: ts, tid: tid, pid: tid, type: 7, payload: data)
            case 2: out += syscall(ts: ts, tid: tid, nr: nr, ret: -2, args: args, items: [(1, path)], padding: 9)
            case 3: out += syscall(ts: ts, tid: tid, nr: nr, ret: 5, args: args, items: [(1, path), (3, data)], extraTail: [1, 2, 3, 4, 5, 6, 7, 8])
            case 4: out += makeRecord(ts: ts, tid: tid, pid: tid, type: 1, payload: [UInt8](repeating: 7, count: 40))
            default:
                var r = syscall(ts: ts, tid: tid, nr: nr, ret: Int64(i), args: args, items: rng.below(2) == 0 ? [(UInt8(1), path)] : [(UInt8(1), path), (UInt8(3), data)])
                if rng.below(20) == 0 { r[34] = 9 } // nitems past the items: the tail goes verbatim
                out += r
            }
        }
        return out
    }

    private func roundTrip(_ records: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let coder = ColumnCoder()
        var coded = [UInt8](repeating: 0, count: ColumnCoder.bound(recordBytes: records.count))
        let n = try XCTUnwrap(records.withUnsafeBytes { r in coded.withUnsafeMutableBytes { coder.encode(r, into: $0.baseAddress!) } },
                              file: file, line: line)
        XCTAssertLessThanOrEqual(n, coded.count, file: file, line: line)
        coded.removeLast(coded.count - n)
        var back = [UInt8](repeating: 0xEE, count: records.count)
        var count = 0
        let got = coded.withUnsafeBytes { c in back.withUnsafeMutableBytes { ColumnCoder().decode(c, into: $0.baseAddress!, capacity: records.count, records: &count) } }
        XCTAssertEqual(got, records.count, file: file, line: line)
        XCTAssertEqual(back, records, "decoded records differ", file: file, line: line)
        let expected = records.withUnsafeBytes { b -> Int in var w = RecordWalker(b); while w.next() != nil {}; return w.count }
        XCTAssertEqual(count, expected, file: file, line: line)
        return n
    }

    func testEveryKindOfRecordRoundTrips() throws {
        for seed in UInt64(1)...20 {
            _ = try roundTrip(mixedChunk(seed: seed, records: 1 + Int(seed) * 37))
        }
        // One record, and fewer than 8 (the planes' tail path only).
        _ = try roundTrip(mixedChunk(seed: 99, records: 1))
        _ = try roundTrip(mixedChunk(seed: 98, records: 7))
    }

    func testTheCoderKeepsItsTablesFromLeakingAcrossChunks() throws {
        let coder = ColumnCoder()
        let a = mixedChunk(seed: 3, records: 500), b = mixedChunk(seed: 4, records: 500)
        var ca = [UInt8](repeating: 0, count: ColumnCoder.bound(recordBytes: a.count))
        var cb = [UInt8](repeating: 0, count: ColumnCoder.bound(recordBytes: b.count))
        let na = try XCTUnwrap(a.withUnsafeBytes { r in ca.withUnsafeMutableBytes { coder.encode(r, into: $0.baseAddress!) } })
        let nb = try XCTUnwrap(b.withUnsafeBytes { r in cb.withUnsafeMutableBytes { coder.encode(r, into: $0.baseAddress!) } })
        // Decoded by a fresh coder, in the other order: each chunk stands alone.
        let decoder = ColumnCoder()
        for (coded, n, records) in [(cb, nb, b), (ca, na, a)] {
            var back = [UInt8](repeating: 0, count: records.count)
            let got = coded.withUnsafeBytes { c in back.withUnsafeMutableBytes {
                decoder.decode(UnsafeRawBufferPointer(rebasing: c[..<n]), into: $0.baseAddress!, capacity: records.count) } }
            XCTAssertEqual(got, records.count)
            XCTAssertEqual(back, records)
        }
    }

    func testRecordsAReaderRefusesAreNotCoded() {
        let coder = ColumnCoder()
        var out = [UInt8](repeating: 0, count: 4096)
        func code(_ r: [UInt8]) -> Int? { r.withUnsafeBytes { b in out.withUnsafeMutableBytes { coder.encode(b, into: $0.baseAddress!) } } }
        var odd = makeRecord(ts: 1, tid: 1, pid: 1, payload: [1, 2, 3])
        odd[18] = 27 // not a multiple of 8
        XCTAssertNil(code(odd + [UInt8](repeating: 0, count: 8)))
        var short = makeRecord(ts: 1, tid: 1, pid: 1)
        short[18] = 16
        XCTAssertNil(code(short))
        XCTAssertNil(code(makeRecord(ts: 1, tid: 1, pid: 1) + [1, 2, 3]), "stray bytes after the last record")
        XCTAssertNil(code([]))
    }

    func testStructuredRecordsCodeSmallerThanTheyAreAndCompressBetter() throws {
        var chunk: [UInt8] = []
        var ts: UInt64 = 1_000_000
        for i in 0..<5000 {
            ts += 700 + UInt64(i % 13) * 31
            chunk += syscall(ts: ts, tid: 4000 + UInt32(i % 3), nr: [257, 0, 3, 110][i % 4], ret: Int64(i % 4 == 1 ? 13 : 3),
                             args: [UInt64(bitPattern: -100), 0x55d4_c2a0_1004 + UInt64(i % 7) * 64, 0x80000, 0, 0, 0],
                             items: i % 4 == 0 ? [(UInt8(1), Array("/etc/hostname".utf8))] : [])
        }
        let coded = try roundTrip(chunk)
        XCTAssertLessThan(coded, chunk.count + 64, "the coding adds a header and a byte per syscall, and drops padding")
        func lz4(_ b: [UInt8]) -> Int {
            let scratch = UnsafeMutableRawPointer.allocate(byteCount: BlockEncoder.bound(rawCount: b.count, compress: true), alignment: 16)
            defer { scratch.deallocate() }
            return b.withUnsafeBytes { BlockEncoder.encode(.events, raw: $0, compress: true, recordCount: 0, firstTs: 0, lastTs: 0, into: scratch) }
        }
        var codedBytes = [UInt8](repeating: 0, count: ColumnCoder.bound(recordBytes: chunk.count))
        let n = chunk.withUnsafeBytes { r in codedBytes.withUnsafeMutableBytes { ColumnCoder().encode(r, into: $0.baseAddress!)! } }
        XCTAssertLessThan(lz4(Array(codedBytes[..<n])) * 2, lz4(chunk), "column-coded, LZ4 stores less than half")
    }

    func testAnyDamageToACodedPayloadIsRefusedOrStillWalks() throws {
        let records = mixedChunk(seed: 7, records: 300)
        var coded = [UInt8](repeating: 0, count: ColumnCoder.bound(recordBytes: records.count))
        let n = try XCTUnwrap(records.withUnsafeBytes { r in coded.withUnsafeMutableBytes { ColumnCoder().encode(r, into: $0.baseAddress!) } })
        coded.removeLast(coded.count - n)
        var rng = SeededRandom(seed: 11)
        let coder = ColumnCoder()
        var refused = 0
        for round in 0..<3000 {
            var bad = coded
            switch round % 4 {
            case 0: for _ in 0...rng.below(4) { bad[rng.below(bad.count)] ^= UInt8(1 + rng.below(255)) }
            case 1: bad.removeLast(1 + rng.below(bad.count - 1))
            case 2: bad[rng.below(32)] = UInt8(truncatingIfNeeded: rng.next()) // the header's counts
            default: bad.insert(UInt8(rng.below(256)), at: rng.below(bad.count))
            }
            let capacity = 1 << 20
            var out = [UInt8](repeating: 0, count: capacity)
            var count = 0
            let got = bad.withUnsafeBytes { c in out.withUnsafeMutableBytes { coder.decode(c, into: $0.baseAddress!, capacity: capacity, records: &count) } }
            guard let got else { refused += 1; continue }
            // Whatever decodes walks to its end as exactly `count` records.
            out.withUnsafeBytes { b in
                var w = RecordWalker(UnsafeRawBufferPointer(rebasing: b[..<got]))
                while w.next() != nil {}
                XCTAssertEqual(w.count, count)
                XCTAssertEqual(w.offset, got)
            }
        }
        XCTAssertGreaterThan(refused, 1500)
    }

    func testAWriterCodesChunksAndTheReaderGivesBackTheSameRecords() throws {
        let dir = ScratchDir()
        var chunks: [EventChunk] = []
        for seed in UInt64(1)...4 {
            var c = EventChunk(capacity: 1 << 20)
            let records = mixedChunk(seed: seed, records: 400)
            records.withUnsafeBytes { b in
                var w = RecordWalker(b)
                while let r = w.next() { XCTAssertTrue(c.append(r.bytes)) }
            }
            chunks.append(c)
        }
        var sizes: [Bool: UInt64] = [:]
        var recordsRead: [Bool: [[UInt8]]] = [:]
        for coding in [false, true] {
            let path = dir.file("c\(coding).kcap")
            let w = try CaptureWriter(path: path, header: CaptureHeader())
            w.columnCoding = coding
            for c in chunks { try w.write(c) }
            try w.finish()
            let r = try CaptureReader(path: path)
            XCTAssertEqual(r.majorVersion, 1)
            XCTAssertEqual(r.minorVersion, 4)
            for e in r.index where e.type == .events {
                XCTAssertEqual(e.flags & CaptureFileFormat.flagColumns != 0, coding, "bit 1 only on coded chunks")
            }
            var got: [[UInt8]] = []
            try r.forEachBlock { block in
                if case .events(let v) = block { got.append(Array(v.bytes)); XCTAssertEqual(v.recordCount, chunks[got.count - 1].recordCount) }
            }
            XCTAssertEqual(r.problems, [])
            recordsRead[coding] = got
            sizes[coding] = r.fileSize
        }
        XCTAssertEqual(recordsRead[true], recordsRead[false])
        XCTAssertEqual(recordsRead[false], chunks.map { c in c.withUnsafeBytes { Array($0) } })
    }

    func testACodedChunkThatDoesNotDecodeIsReportedAndSkippedAlone() throws {
        let dir = ScratchDir()
        let path = dir.file("bad.kcap")
        let w = try CaptureWriter(path: path, header: CaptureHeader())
        var good = EventChunk(capacity: 1 << 16)
        _ = makeSyscallRecord(ts: 10, tid: 1, nr: 39, ret: 1).withUnsafeBytes { good.append($0) }
        try w.write(good)
        // A frame that checks (CRCs) around a column coding whose counts lie.
        var lie = [UInt8](repeating: 0, count: 64)
        lie[0] = 1; lie[4] = 200 // version 1, 200 records in 32 bytes of streams
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 16)
        defer { scratch.deallocate() }
        let size = lie.withUnsafeBytes {
            BlockEncoder.encode(.events, raw: $0, compress: false, recordCount: 200, firstTs: 20, lastTs: 30, into: scratch,
                                extraFlags: CaptureFileFormat.flagColumns)
        }
        try w.append(encodedBlock: UnsafeRawBufferPointer(start: scratch, count: size))
        try w.write(good)
        try w.finish()
        let r = try CaptureReader(path: path)
        var chunksRead = 0
        try r.forEachBlock { if case .events = $0 { chunksRead += 1 } }
        XCTAssertEqual(chunksRead, 2)
        XCTAssertEqual(r.problems.map(\.kind), [.badPayload])
    }
}
