import XCTest
@testable import CaptureFormat

/// Truncated and corrupted files: the reader keeps every intact block and reports the rest.
final class DamageTests: XCTestCase {
    /// Cuts a small finished capture at every byte offset: each cut reads back exactly the chunks that are
    /// complete before the cut, with no crash and a one-line error only when not even the header survives.
    func testTruncatedAtEveryOffsetKeepsEveryCompleteChunk() throws {
        let dir = ScratchDir()
        let path = dir.file("full.kcap")
        let written = try writeSmallCapture(path: path, chunks: 4, perChunk: 10)
        let full = readFile(path)
        let reader = try CaptureReader(path: path)
        let chunkEnds = reader.index.filter { $0.type == .events }.map { Int($0.offset + $0.totalLength) }
        let headerEnd = Int(reader.index[0].offset + reader.index[0].totalLength)
        let cutPath = dir.file("cut.kcap")
        for cut in 0..<full.count {
            writeFile(cutPath, Array(full[..<cut]))
            let r: CaptureReader
            do {
                r = try CaptureReader(path: cutPath)
            } catch let e as CaptureError {
                XCTAssertLessThan(cut, headerEnd, "cut \(cut): \(e)")
                XCTAssertFalse(e.description.contains("\n"))
                XCTAssertEqual(e.kind, cut == 0 ? .notACapture : .truncated, "cut \(cut)")
                continue
            }
            XCTAssertGreaterThanOrEqual(cut, headerEnd)
            let complete = chunkEnds.filter { $0 <= cut }.count
            let got = try readAllChunks(r)
            XCTAssertEqual(got, Array(written.prefix(complete)), "cut at \(cut)")
            XCTAssertFalse(r.isFinished)
            // A cut inside a block is reported; a cut exactly between blocks is a clean (unfinished) file.
            let atBoundary = r.index.contains { Int($0.offset + $0.totalLength) == cut } || cut == headerEnd
                || isFooterEnd(reader, cut)
            XCTAssertEqual(r.problems.isEmpty, atBoundary, "cut \(cut): \(r.problems)")
            XCTAssertTrue(r.problems.allSatisfy { $0.kind == .truncatedBlock }, "cut \(cut): \(r.problems)")
        }
    }

    private func isFooterEnd(_ finished: CaptureReader, _ cut: Int) -> Bool {
        // Offset where the footer block ends and the 16-byte trailer starts.
        Int(finished.fileSize) - CaptureFileFormat.trailerSize == cut
    }

    /// Flips one random bit at a time anywhere after the preamble: every flip is detected, at most the one
    /// block it hit is lost, and every chunk that is delivered is byte-identical to what was written.
    func testRandomBitFlipsAreDetectedAndCostAtMostOneChunk() throws {
        let dir = ScratchDir()
        for finish in [true, false] {
            let path = dir.file("orig\(finish).kcap")
            let written = try writeSmallCapture(path: path, chunks: 5, perChunk: 10, finish: finish)
            let orig = readFile(path)
            let flipped = dir.file("flip.kcap")
            var rng = SeededRandom(seed: finish ? 11 : 12)
            for trial in 0..<400 {
                var bytes = orig
                let at = CaptureFileFormat.preambleSize + rng.below(orig.count - CaptureFileFormat.preambleSize)
                bytes[at] ^= UInt8(1 << rng.below(8))
                writeFile(flipped, bytes)
                let r = try CaptureReader(path: flipped)
                let got = try readAllChunks(r)
                _ = try r.summarize()
                XCTAssertFalse(r.problems.isEmpty, "trial \(trial): flip at \(at) went unnoticed")
                XCTAssertGreaterThanOrEqual(got.count, written.count - 1, "trial \(trial): flip at \(at) cost more than one chunk: \(r.problems)")
                for chunk in got { XCTAssertTrue(written.contains(chunk), "trial \(trial): a damaged chunk was delivered") }
            }
        }
    }

    /// A damaged frame in the middle of an unfinished file: the scan resynchronises on the next sync marker.
    func testScanResynchronisesAfterADamagedFrame() throws {
        let dir = ScratchDir()
        let path = dir.file("r.kcap")
        let written = try writeSmallCapture(path: path, chunks: 5, finish: false)
        let entries = try CaptureReader(path: path).index.filter { $0.type == .events }
        var bytes = readFile(path)
        // Wipe the whole frame and the start of chunk 2's payload.
        for i in Int(entries[2].offset)..<(Int(entries[2].offset) + 60) { bytes[i] = 0 }
        writeFile(path, bytes)
        let r = try CaptureReader(path: path)
        var expected = written
        expected.remove(at: 2)
        XCTAssertEqual(try readAllChunks(r), expected)
        XCTAssertEqual(r.problems.count, 1)
        XCTAssertEqual(r.problems.first?.kind, .badFrame)
        XCTAssertEqual(r.problems.first?.offset, entries[2].offset)
        XCTAssertTrue(r.problems[0].message.contains("offset \(entries[3].offset - 0)") || r.problems[0].message.contains("\(entries[2].offset + entries[2].totalLength)"),
                      r.problems[0].message)
    }

    func testDamagedFooterFallsBackToScanning() throws {
        let dir = ScratchDir()
        let path = dir.file("f.kcap")
        let written = try writeSmallCapture(path: path)
        var bytes = readFile(path)
        // Point the trailer at an offset inside a chunk.
        bytes[bytes.count - 16] ^= 0x08
        writeFile(path, bytes)
        let r = try CaptureReader(path: path)
        XCTAssertFalse(r.isFinished)
        XCTAssertEqual(try readAllChunks(r), written)
        XCTAssertEqual(r.problems.map(\.kind), [.badFooter])
    }
}

/// A cheap fuzzer: random multi-byte damage, cuts and appended garbage, thousands of times. The reader must
/// never crash, never deliver a chunk that differs from one written, and report something whenever bytes
/// after the preamble changed.
final class MutationFuzzTests: XCTestCase {
    func testRandomMutationsNeverCrashOrDeliverDamagedData() throws {
        let dir = ScratchDir()
        let path = dir.file("orig.kcap")
        let written = try writeSmallCapture(path: path, chunks: 5, perChunk: 9)
        let orig = readFile(path)
        let mutated = dir.file("m.kcap")
        var rng = SeededRandom(seed: 2024)
        for trial in 0..<1500 {
            var bytes = orig
            switch rng.below(4) {
            case 0: // a burst of random bytes somewhere
                let at = 16 + rng.below(bytes.count - 16)
                for i in at..<min(bytes.count, at + 1 + rng.below(64)) { bytes[i] = UInt8(truncatingIfNeeded: rng.next()) }
            case 1: // a cut plus random garbage appended
                bytes = Array(bytes[..<(16 + rng.below(bytes.count - 16))])
                bytes += (0..<rng.below(300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            case 2: // a span moved: bytes deleted from the middle
                let at = 16 + rng.below(bytes.count - 17)
                bytes.removeSubrange(at..<min(bytes.count, at + 1 + rng.below(200)))
            default: // a 32-bit field overwritten with an extreme value
                let at = 16 + rng.below(bytes.count - 20)
                let v: UInt32 = [0, 0xFFFF_FFFF, 0x7FFF_FFFF, 0x0400_0000, 24][rng.below(5)]
                withUnsafeBytes(of: v.littleEndian) { for i in 0..<4 { bytes[at + i] = $0[i] } }
            }
            writeFile(mutated, bytes)
            let r: CaptureReader
            do { r = try CaptureReader(path: mutated) } catch let e as CaptureError {
                XCTAssertFalse(e.description.contains("\n"))
                continue
            }
            let got = try readAllChunks(r)
            _ = try r.summarize()
            for chunk in got { XCTAssertTrue(written.contains(chunk), "trial \(trial): a damaged chunk was delivered") }
            if bytes != orig && bytes.count >= orig.count {
                XCTAssertFalse(r.problems.isEmpty, "trial \(trial): damage went unnoticed")
            }
        }
    }
}
