import CKcapSupport
import XCTest
@testable import CaptureFormat
#if canImport(Glibc)
import Glibc
#endif

enum CaptureFormatTestsCRC {
    static func crc(_ p: UnsafeRawPointer, _ n: Int) -> UInt32 { kcap_crc32c(0, p, n) }
}

final class WriterTests: XCTestCase {
    func testFilesAreCreatedMode0600EvenOverAnExistingFileAndWithUmaskZero() throws {
        let dir = ScratchDir()
        let path = dir.file("m.kcap")
        writeFile(path, Array("old".utf8))
        XCTAssertEqual(chmod(path, 0o644), 0)
        let old = umask(0)
        defer { umask(old) }
        let w = try CaptureWriter(path: path, header: sampleHeader)
        try w.finish()
        var st = stat()
        XCTAssertEqual(stat(path, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600)
        let fresh = dir.file("n.kcap")
        try CaptureWriter(path: fresh, header: sampleHeader).finish()
        XCTAssertEqual(stat(fresh, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600)
    }

    func testUnwritablePathGivesAnIOError() {
        XCTAssertThrowsError(try CaptureWriter(path: "/nonexistent-dir/x.kcap", header: sampleHeader)) { error in
            guard let e = error as? CaptureError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.kind, .io(errno: ENOENT))
            XCTAssertTrue(e.description.contains("/nonexistent-dir/x.kcap"))
        }
    }

    func testWritesAfterFinishThrow() throws {
        let dir = ScratchDir()
        let w = try CaptureWriter(path: dir.file("f.kcap"), header: sampleHeader)
        try w.finish()
        XCTAssertThrowsError(try w.write(CaptureCounters()))
    }

    func testEventChunkFillsSealsAndResets() {
        var chunk = EventChunk(capacity: 8192)
        let rec = makeSyscallRecord(ts: 5, tid: 1, nr: 0, ret: 0)
        var n = 0
        while rec.withUnsafeBytes({ chunk.append($0) }) { n += 1 }
        XCTAssertEqual(n, 8192 / 96)
        XCTAssertEqual(chunk.recordCount, n)
        XCTAssertEqual(chunk.byteCount, n * 96)
        XCTAssertEqual(chunk.firstTimestampNs, 5)
        let copy = chunk
        chunk.reset()
        XCTAssertTrue(chunk.isEmpty)
        XCTAssertEqual(chunk.byteCount, 0)
        XCTAssertEqual(copy.recordCount, n, "a copy keeps its records when the original is reset")
        XCTAssertTrue(rec.withUnsafeBytes { chunk.append($0) })
        XCTAssertEqual(copy.byteCount, n * 96)
        // A record too small to carry a timestamp is refused.
        XCTAssertFalse([UInt8](repeating: 0, count: 4).withUnsafeBytes { chunk.append($0) })
    }

    func testPaddedSampleIsCutToItsRecordLength() {
        var chunk = EventChunk()
        let rec = makeRecord(ts: 9, tid: 1, pid: 1, payload: [1, 2, 3, 4, 5, 6, 7, 8])
        XCTAssertEqual(rec.count, 32)
        let padded = rec + [UInt8](repeating: 0xEE, count: 16)
        XCTAssertTrue(padded.withUnsafeBytes { chunk.append($0) })
        XCTAssertEqual(chunk.byteCount, 32)
        chunk.withUnsafeBytes { XCTAssertEqual(Array($0), rec) }
    }

    func testChunkTimeRangeIsMinAndMaxNotFirstAndLast() {
        var chunk = EventChunk()
        for ts: UInt64 in [50, 20, 90, 70] {
            XCTAssertTrue(makeRecord(ts: ts, tid: 1, pid: 1).withUnsafeBytes { chunk.append($0) })
        }
        XCTAssertEqual(chunk.firstTimestampNs, 20)
        XCTAssertEqual(chunk.lastTimestampNs, 90)
    }

    func testIncompressibleChunkIsStoredRaw() throws {
        let dir = ScratchDir()
        let path = dir.file("raw.kcap")
        var rng = SeededRandom(seed: 3)
        var chunk = EventChunk()
        var recs: [[UInt8]] = []
        // One record of random bytes: nothing repeats, so LZ4 cannot shrink it.
        for i in 0..<1 {
            let r = makeRecord(ts: UInt64(i + 1), tid: 1, pid: 1, payload: (0..<8000).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
            XCTAssertTrue(r.withUnsafeBytes { chunk.append($0) })
            recs.append(r)
        }
        let w = try CaptureWriter(path: path, header: sampleHeader)
        try w.write(chunk)
        try w.finish()
        let r = try CaptureReader(path: path)
        let e = r.index.first { $0.type == .events }!
        XCTAssertEqual(e.flags & CaptureFileFormat.flagLZ4, 0)
        XCTAssertEqual(e.storedLength, e.rawLength)
        XCTAssertEqual(try readAllChunks(r), [recs])
    }
}

/// A disk that fills while recording: the file must end on a block boundary, not in a torn block.
final class WriterDiskFullTests: XCTestCase {
    /// RLIMIT_FSIZE makes write(2) fail with EFBIG (SIGXFSZ ignored) at a chosen size, the way a full disk
    /// makes it fail with ENOSPC, without root or a small filesystem.
    func testAFailedWriteLeavesTheFileCutAtItsLastCompleteBlock() throws {
        let dir = ScratchDir()
        let path = dir.file("full.kcap")
        let w = try CaptureWriter(path: path, header: sampleHeader)
        try w.flush()
        let headerEnd = w.bytesWritten
        var rng = SeededRandom(seed: 7)
        let payload = (0..<100_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }  // incompressible
        let oldHandler = signal(SIGXFSZ, SIG_IGN)
        var old = rlimit()
        getrlimit(RLIMIT_FSIZE_CONST, &old)
        var small = old
        small.rlim_cur = rlim_t(headerEnd + 250_000)
        XCTAssertEqual(setrlimit(RLIMIT_FSIZE_CONST, &small), 0)
        var failure: CaptureError?
        for _ in 0..<5 where failure == nil {
            do {
                try payload.withUnsafeBytes { try w.writeBlock(type: BlockType(rawValue: 0x7777), payload: $0) }
                try w.flush()
            } catch let e as CaptureError {
                failure = e
            }
        }
        setrlimit(RLIMIT_FSIZE_CONST, &old)
        signal(SIGXFSZ, oldHandler)
        XCTAssertEqual(failure?.kind, .io(errno: EFBIG))
        XCTAssertThrowsError(try w.finish(), "a failed writer must not append after the cut")
        let r = try CaptureReader(path: path)
        XCTAssertEqual(r.problems, [], "the torn block must be cut away")
        XCTAssertEqual(r.fileSize, headerEnd + 2 * UInt64(CaptureFileFormat.frameSize + payload.count))
    }
}

private let RLIMIT_FSIZE_CONST = __rlimit_resource_t(RLIMIT_FSIZE.rawValue)
