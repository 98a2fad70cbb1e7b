import XCTest
@_spi(CaptureCodec) @testable import CaptureFormat

/// Files that are not captures, or captures built to make a reader misbehave.
final class HostileInputTests: XCTestCase {
    private func openError(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> CaptureError? {
        let dir = ScratchDir()
        let path = dir.file("x.kcap")
        writeFile(path, bytes)
        do {
            _ = try CaptureReader(path: path)
            XCTFail("opened without error", file: file, line: line)
            return nil
        } catch let e as CaptureError {
            XCTAssertFalse(e.description.contains("\n"), "not one line: \(e)", file: file, line: line)
            XCTAssertTrue(e.description.hasPrefix(path), file: file, line: line)
            return e
        } catch {
            XCTFail("untyped error \(error)", file: file, line: line)
            return nil
        }
    }

    func testEmptyTextAndRandomFilesGiveOneLineErrors() {
        XCTAssertEqual(openError([])?.kind, .notACapture)
        XCTAssertEqual(openError(Array("hello, this is a text file\nwith two lines\n".utf8))?.kind, .notACapture)
        var rng = SeededRandom(seed: 99)
        for size in [1, 7, 16, 100, 4096, 100_000] {
            let bytes = (0..<size).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            XCTAssertEqual(openError(bytes)?.kind, .notACapture, "size \(size)")
        }
        XCTAssertEqual(openError(Array(CaptureFileFormat.magic.prefix(5)))?.kind, .truncated)
    }

    func testForeignCaptureFormatsAreNamed() throws {
        // A real sysdig capture, when the conformance corpus is beside the repository; a pcapng-style header otherwise.
        let scap = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../shared/conformance/scap/captures/libs_sample.scap").standardized
        let scapHead = (try? Data(contentsOf: scap)).map { Array($0.prefix(64)) } ?? [0x0A, 0x0D, 0x0D, 0x0A, 0x1C, 0, 0, 0] + Array(repeating: 0, count: 24)
        XCTAssertTrue(openError(scapHead)?.description.contains("sysdig/falco scap") ?? false)
        XCTAssertTrue(openError([0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 3] + Array(repeating: 0, count: 16))?.description.contains("gzip") ?? false)
        XCTAssertTrue(openError(Array("PERFILE2".utf8) + Array(repeating: 0, count: 32))?.description.contains("perf.data") ?? false)
        // Random bytes name no format and show the first bytes instead.
        XCTAssertTrue(openError([0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99])?.description.contains("starts with 11 22") ?? false)
    }

    func testDirectoryAndMissingFile() {
        let dir = ScratchDir()
        XCTAssertThrowsError(try CaptureReader(path: dir.path)) { XCTAssertEqual(($0 as? CaptureError)?.kind, .notACapture) }
        XCTAssertThrowsError(try CaptureReader(path: dir.file("missing"))) {
            XCTAssertEqual(($0 as? CaptureError)?.kind, .io(errno: ENOENT))
        }
    }

    func testFutureMajorVersionFailsWithTheDocumentedError() throws {
        let dir = ScratchDir()
        let path = dir.file("v.kcap")
        try writeSmallCapture(path: path)
        var bytes = readFile(path)
        bytes[8] = 2; bytes[9] = 0; bytes[10] = 3
        let e = openError(bytes)
        XCTAssertEqual(e?.kind, .futureVersion(major: 2, minor: 3))
        XCTAssertTrue(e?.message.contains("capture format 2.3 is newer than this kcap reads (1.x); upgrade kcap") ?? false, "\(String(describing: e))")
        // A newer minor version of the same major reads fine.
        bytes[8] = 1
        writeFile(path, bytes)
        XCTAssertEqual(try CaptureReader(path: path).minorVersion, 3)
    }

    func testTextModeManglingIsRecognised() throws {
        let dir = ScratchDir()
        let path = dir.file("t.kcap")
        try writeSmallCapture(path: path)
        let bytes = readFile(path)
        // CRLF -> LF (a Windows-to-Unix text copy), LF -> CRLF (Unix-to-Windows), 8th bit stripped, UTF-8 re-encoding.
        var crlfToLf: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1; continue }
            crlfToLf.append(bytes[i]); i += 1
        }
        let lfToCrlf = bytes.flatMap { $0 == 0x0A ? [0x0D, 0x0A] : [$0] }
        let stripped = bytes.map { $0 & 0x7F }
        let utf8 = [0xC2, 0x89] + bytes.dropFirst()
        for (name, mangled) in [("crlf->lf", crlfToLf), ("lf->crlf", lfToCrlf), ("7bit", stripped), ("utf8", utf8)] {
            let e = openError(mangled)
            XCTAssertEqual(e?.kind, .textModeMangled, name)
            XCTAssertTrue(e?.message.contains("binary mode") ?? false, name)
        }
    }

    /// A frame with a valid CRC but a 4 GiB stored length, then a frame announcing 60 MiB in a tiny file:
    /// neither allocates nor loops; both are reported.
    func testHostileLengthsAreBoundedBeforeUse() throws {
        let dir = ScratchDir()
        let path = dir.file("h.kcap")
        try CaptureWriter(path: path, header: sampleHeader).flush()
        var bytes = readFile(path)
        func frame(stored: UInt32, raw: UInt32, flags: UInt16) -> [UInt8] {
            var f = [UInt8](repeating: 0, count: 48)
            f.withUnsafeMutableBytes {
                BlockFrame(type: .events, flags: flags, storedLength: stored, rawLength: raw, recordCount: 1,
                           payloadCRC: 0, firstTimestampNs: 1, lastTimestampNs: 2).store(to: $0.baseAddress!)
            }
            return f
        }
        let intactEnd = bytes.count
        bytes += frame(stored: 0xFFFF_FFF0, raw: 0xFFFF_FFF0, flags: 1)
        bytes += frame(stored: 60 << 20, raw: 60 << 20, flags: 0)
        bytes += [UInt8](repeating: 0, count: 100)
        writeFile(path, bytes)
        let r = try CaptureReader(path: path)
        XCTAssertEqual(try readAllChunks(r), [])
        XCTAssertEqual(r.problems.count, 2, "\(r.problems)")
        guard r.problems.count == 2 else { return }
        XCTAssertEqual(r.problems[0].kind, .badLength)
        XCTAssertEqual(r.problems[0].offset, UInt64(intactEnd))
        XCTAssertEqual(r.problems[1].offset, UInt64(intactEnd + 48))
        XCTAssertEqual(r.problems[1].kind, .truncatedBlock)
        // LZ4 raw length impossible for the stored size.
        XCTAssertNotNil(BlockFrame(type: .events, flags: 1, storedLength: 10, rawLength: 1 << 20, recordCount: 0,
                                   payloadCRC: 0, firstTimestampNs: 0, lastTimestampNs: 0).lengthProblem)
    }

    /// Records whose hdr.len is 0, odd, too large or past the chunk: the chunk's valid prefix is kept, the
    /// rest reported, and the walk terminates.
    func testBadRecordLengthsInsideAChunk() throws {
        let dir = ScratchDir()
        for badLen: UInt16 in [0, 8, 25, 8200, 4096] {
            let path = dir.file("rec\(badLen).kcap")
            let w = try CaptureWriter(path: path, header: sampleHeader)
            var chunk = EventChunk()
            let good = makeSyscallRecord(ts: 1, tid: 1, nr: 1, ret: 0)
            var bad = makeSyscallRecord(ts: 2, tid: 1, nr: 2, ret: 0)
            bad[18] = UInt8(badLen & 0xFF); bad[19] = UInt8(badLen >> 8)
            for r in [good, good, bad, good] { XCTAssertTrue(r.withUnsafeBytes { chunk.append($0) }) }
            try w.write(chunk)
            try w.finish()
            let r = try CaptureReader(path: path)
            XCTAssertEqual(try readAllChunks(r), [[good, good]], "len \(badLen)")
            XCTAssertEqual(r.problems.map(\.kind), [.badRecord], "len \(badLen)")
        }
    }

    func testHostileSnapshotAndCountersPayloads() throws {
        let dir = ScratchDir()
        let path = dir.file("s.kcap")
        let w = try CaptureWriter(path: path, header: sampleHeader)
        // A snapshot claiming 4 billion threads in 16 bytes; one whose string length runs past the entry;
        // counters cut short.
        var huge = ByteSink()
        huge.write(UInt64(1)); huge.write(UInt32.max); huge.write(UInt32.max)
        try huge.bytes.withUnsafeBytes { try w.writeBlock(type: .snapshot, payload: $0, compress: true) }
        var snap = sampleSnapshot.encodedPayload()
        snap[16 + 4 + 28] = 0xFF // the comm length of the first thread entry
        try snap.withUnsafeBytes { try w.writeBlock(type: .snapshot, payload: $0) }
        try [UInt8](repeating: 1, count: 20).withUnsafeBytes { try w.writeBlock(type: .counters, payload: $0) }
        try w.write(sampleSnapshot)
        try w.finish()
        let r = try CaptureReader(path: path)
        var snapshots: [CaptureSnapshot] = []
        try r.forEachBlock { if case .snapshot(let s) = $0 { snapshots.append(s) } }
        XCTAssertEqual(snapshots, [sampleSnapshot])
        XCTAssertEqual(r.problems.map(\.kind), [.badPayload, .badPayload, .badPayload])
    }

    func testHostileFooterIsRejected() throws {
        let dir = ScratchDir()
        let path = dir.file("hf.kcap")
        let written = try writeSmallCapture(path: path, finish: false)
        // Hand-made footer whose single entry points past the footer itself, with correct checksums.
        let w = try CaptureWriter(path: dir.file("scratch.kcap"), header: sampleHeader)
        _ = w
        var bytes = readFile(path)
        let footerAt = UInt64(bytes.count)
        var payload = ByteSink()
        payload.write(UInt32(1))
        payload.write(UInt64(1 << 40)); payload.write(UInt16(2)); payload.write(UInt16(0)); payload.write(UInt32(1))
        payload.write(UInt64(0)); payload.write(UInt64(0)); payload.write(UInt32(10)); payload.write(UInt32(10))
        var f = [UInt8](repeating: 0, count: 48)
        let crc = payload.bytes.withUnsafeBytes { kcapCRC($0.baseAddress!, $0.count) }
        f.withUnsafeMutableBytes {
            BlockFrame(type: .footer, flags: 0, storedLength: UInt32(payload.bytes.count), rawLength: UInt32(payload.bytes.count),
                       recordCount: 1, payloadCRC: crc, firstTimestampNs: 0, lastTimestampNs: 0).store(to: $0.baseAddress!)
        }
        bytes += f + payload.bytes
        var t = ByteSink()
        t.write(footerAt); t.write(CaptureFileFormat.endMagic)
        bytes += t.bytes
        writeFile(path, bytes)
        let r = try CaptureReader(path: path)
        XCTAssertEqual(r.problems.map(\.kind), [.badFooter])
        XCTAssertEqual(try readAllChunks(r), written)
    }

    /// Issue 8, item 2: a footer (valid CRCs) whose entries sit near 2^64: `offset + totalLength` overflowed
    /// and trapped. The footer is refused and the file scanned, keeping every chunk.
    func testFooterOffsetsNearTwoToTheSixtyFourAreRefused() throws {
        let dir = ScratchDir()
        for hostile in [UInt64.max, UInt64.max - 47, UInt64.max - 100, UInt64(Int64.max)] {
            let path = dir.file("wrap\(hostile).kcap")
            let written = try writeSmallCapture(path: path, finish: false)
            var bytes = readFile(path)
            let footerAt = UInt64(bytes.count)
            var payload = ByteSink()
            payload.write(UInt32(2))
            // The header entry, correct, then one whose offset + length wraps past zero.
            let header = try CaptureReader(path: path).index[0]
            for (offset, type, stored) in [(header.offset, UInt16(1), header.storedLength), (hostile, UInt16(2), UInt32(200))] {
                payload.write(offset); payload.write(type); payload.write(UInt16(type == 1 ? header.flags : 0)); payload.write(UInt32(1))
                payload.write(UInt64(0)); payload.write(UInt64(0)); payload.write(stored); payload.write(type == 1 ? header.rawLength : stored)
            }
            var f = [UInt8](repeating: 0, count: 48)
            let crc = payload.bytes.withUnsafeBytes { kcapCRC($0.baseAddress!, $0.count) }
            f.withUnsafeMutableBytes {
                BlockFrame(type: .footer, flags: 0, storedLength: UInt32(payload.bytes.count), rawLength: UInt32(payload.bytes.count),
                           recordCount: 2, payloadCRC: crc, firstTimestampNs: 0, lastTimestampNs: 0).store(to: $0.baseAddress!)
            }
            bytes += f + payload.bytes
            var t = ByteSink()
            t.write(footerAt); t.write(CaptureFileFormat.endMagic)
            bytes += t.bytes
            writeFile(path, bytes)
            let r = try CaptureReader(path: path)
            XCTAssertEqual(r.problems.map(\.kind), [.badFooter], "offset \(hostile): \(r.problems)")
            XCTAssertTrue(r.problems.first?.description.contains("out of order or out of bounds") ?? false, "\(r.problems)")
            XCTAssertEqual(try readAllChunks(r), written, "offset \(hostile): every chunk is still read by scanning")
        }
    }
}
