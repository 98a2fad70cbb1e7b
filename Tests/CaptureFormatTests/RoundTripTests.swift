import XCTest
@testable import CaptureFormat
#if canImport(Glibc)
import Glibc
#endif

final class RoundTripTests: XCTestCase {
    func testEveryBlockTypeRoundTrips() throws {
        let dir = ScratchDir()
        let path = dir.file("a.kcap")
        let written = try writeSmallCapture(path: path)
        let r = try CaptureReader(path: path)
        XCTAssertTrue(r.isFinished)
        XCTAssertEqual(r.header, sampleHeader)
        XCTAssertEqual(r.majorVersion, 1)
        var snapshots: [CaptureSnapshot] = []
        var counters: [CaptureCounters] = []
        var chunks: [[[UInt8]]] = []
        var order: [String] = []
        try r.forEachBlock { block in
            switch block {
            case .snapshot(let s): snapshots.append(s); order.append("s")
            case .counters(let c): counters.append(c); order.append("c")
            case .events(let v):
                order.append("e")
                var recs: [[UInt8]] = []
                var prevTs: UInt64 = 0
                v.forEachRecord { rec in
                    XCTAssertEqual(rec.length, rec.bytes.count)
                    XCTAssertGreaterThan(rec.timestampNs, prevTs)
                    XCTAssertGreaterThanOrEqual(rec.timestampNs, v.firstTimestampNs)
                    XCTAssertLessThanOrEqual(rec.timestampNs, v.lastTimestampNs)
                    prevTs = rec.timestampNs
                    recs.append(Array(rec.bytes))
                }
                XCTAssertEqual(recs.count, v.recordCount)
                chunks.append(recs)
            }
        }
        XCTAssertEqual(order, ["s", "e", "e", "e", "e", "c"])
        XCTAssertEqual(snapshots, [sampleSnapshot])
        XCTAssertEqual(counters, [CaptureCounters(timestampNs: counters.first?.timestampNs ?? 0, eventsSeen: 60,
                                                  eventsWritten: 48, dropRingFull: 2)])
        XCTAssertEqual(chunks, written)
        XCTAssertTrue(r.problems.isEmpty, "\(r.problems)")
        // Index: header, snapshot, 4 chunks, counters; chunk entries carry counts and time ranges.
        XCTAssertEqual(r.index.map(\.type), [.header, .snapshot, .events, .events, .events, .events, .counters])
        XCTAssertEqual(r.index.filter { $0.type == .events }.map { Int($0.recordCount) }, written.map(\.count))
    }

    func testRecordViewFields() throws {
        let dir = ScratchDir()
        let path = dir.file("f.kcap")
        let w = try CaptureWriter(path: path, header: CaptureHeader())
        var chunk = EventChunk()
        var rec = makeRecord(ts: 0x0102_0304_0506_0708, tid: 77, pid: 70, type: 3, cpu: 1, payload: [1, 2, 3])
        rec[22] = 5 // flags
        XCTAssertTrue(rec.withUnsafeBytes { chunk.append($0) })
        try w.write(chunk)
        try w.finish()
        var seen = 0
        try CaptureReader(path: path).forEachBlock { block in
            guard case .events(let v) = block else { return }
            v.forEachRecord { r in
                seen += 1
                XCTAssertEqual(r.timestampNs, 0x0102_0304_0506_0708)
                XCTAssertEqual(r.tid, 77); XCTAssertEqual(r.pid, 70); XCTAssertEqual(r.type, 3)
                XCTAssertEqual(r.length, 32); XCTAssertEqual(r.cpu, 1); XCTAssertEqual(r.rawFlags, 5)
            }
        }
        XCTAssertEqual(seen, 1)
    }

    func testFooterAndScanGiveTheSameIndex() throws {
        let dir = ScratchDir()
        let finished = dir.file("done.kcap")
        let unfinished = dir.file("killed.kcap")
        try writeSmallCapture(path: finished)
        try writeSmallCapture(path: unfinished, finish: false)
        let a = try CaptureReader(path: finished)
        let b = try CaptureReader(path: unfinished)
        XCTAssertTrue(a.isFinished)
        XCTAssertFalse(b.isFinished)
        XCTAssertEqual(a.index, b.index)
        XCTAssertTrue(b.problems.isEmpty, "an unfinished file is not damaged: \(b.problems)")
        XCTAssertEqual(try readAllChunks(a), try readAllChunks(b))
    }

    func testUnknownBlockTypesAreSkipped() throws {
        let dir = ScratchDir()
        for finish in [true, false] {
            let path = dir.file("u\(finish).kcap")
            let written = try writeSmallCapture(path: path, finish: finish, extraBlock: BlockType(rawValue: 999))
            let r = try CaptureReader(path: path)
            XCTAssertEqual(try readAllChunks(r), written)
            XCTAssertTrue(r.problems.isEmpty, "\(r.problems)")
            XCTAssertEqual(r.index.filter { $0.type.rawValue == 999 }.count, 1)
            XCTAssertEqual(try r.summarize().unknownBlocks, 1)
        }
    }

    func testUnknownBlockFlagIsReportedAndSkipped() throws {
        let dir = ScratchDir()
        let path = dir.file("flag.kcap")
        let written = try writeSmallCapture(path: path, finish: false)
        var bytes = readFile(path)
        // Set flag bit 2 (undefined in 1.3) on the second event chunk, recomputing the frame CRC as a newer
        // writer would.
        let r0 = try CaptureReader(path: path)
        let at = Int(r0.index.filter { $0.type == .events }[1].offset)
        bytes[at + 6] |= 4
        let crc = bytes.withUnsafeBytes { kcapCRC($0.baseAddress! + at, 44) }
        withUnsafeBytes(of: crc.littleEndian) { for i in 0..<4 { bytes[at + 44 + i] = $0[i] } }
        writeFile(path, bytes)
        let r = try CaptureReader(path: path)
        var expected = written
        expected.remove(at: 1)
        XCTAssertEqual(try readAllChunks(r), expected)
        XCTAssertEqual(r.problems.map(\.kind), [.unsupportedBlock])
    }

    func testSeekingByTimeSkipsEarlierChunks() throws {
        let dir = ScratchDir()
        let path = dir.file("seek.kcap")
        let written = try writeSmallCapture(path: path, chunks: 6)
        let r = try CaptureReader(path: path)
        let chunkEntries = r.index.filter { $0.type == .events }
        let from = chunkEntries[3].firstTimestampNs + 1
        var blocks: [String] = []
        var chunks: [[[UInt8]]] = []
        try r.forEachBlock(from: from) { block in
            switch block {
            case .snapshot: blocks.append("s")
            case .counters: blocks.append("c")
            case .events(let v):
                blocks.append("e")
                var recs: [[UInt8]] = []
                v.forEachRecord { recs.append(Array($0.bytes)) }
                chunks.append(recs)
            }
        }
        // The snapshot before the first wanted chunk comes first, then chunks 3, 4, 5, then the counters.
        XCTAssertEqual(blocks, ["s", "e", "e", "e", "c"])
        XCTAssertEqual(chunks, Array(written[3...]))
        XCTAssertEqual(try readAllChunks(r, from: .max), [])
    }

    func testHeaderToleratesMissingAndUnknownKeys() throws {
        let json = #"{"hostname":"h","machine":"aarch64","futureKey":{"a":[1,2]},"cpuCount":4}"#
        let h = try Array(json.utf8).withUnsafeBytes { try CaptureHeader.decode(payload: $0) }
        XCTAssertEqual(h.hostname, "h")
        XCTAssertEqual(h.machine, "aarch64")
        XCTAssertEqual(h.cpuCount, 4)
        XCTAssertEqual(h.recorder, [:])
    }

    func testSummaryCountsEverything() throws {
        let dir = ScratchDir()
        let path = dir.file("sum.kcap")
        let written = try writeSmallCapture(path: path)
        let s = try CaptureReader(path: path).summarize()
        XCTAssertEqual(s.eventChunks, 4)
        XCTAssertEqual(s.records, UInt64(written.joined().count))
        XCTAssertEqual(s.snapshots, 1)
        XCTAssertEqual(s.counterBlocks, 1)
        XCTAssertEqual(s.lastCounters?.eventsDropped, 2)
        XCTAssertEqual(s.rawEventBytes, UInt64(written.joined().map(\.count).reduce(0, +)))
        XCTAssertGreaterThan(s.compressionRatio, 1.0)
        XCTAssertEqual(s.firstTimestampNs, written.first?.first.map { UInt64(littleEndian: $0.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }) })
        XCTAssertTrue(s.finished)
        XCTAssertEqual(formatWallClock(ns: 1_763_770_001_123_456_789), "2025-11-22T00:06:41.123456789Z")
    }
}

func kcapCRC(_ p: UnsafeRawPointer, _ n: Int) -> UInt32 { CaptureFormatTestsCRC.crc(p, n) }

final class MemoryBoundTests: XCTestCase {
    /// Many full-size chunks: the reader's buffers stay at about one chunk each, whatever the file size.
    func testReaderBuffersDoNotGrowWithTheFile() throws {
        let dir = ScratchDir()
        let path = dir.file("big.kcap")
        let w = try CaptureWriter(path: path, header: sampleHeader)
        var chunk = EventChunk()
        var ts: UInt64 = 1
        var chunks = 0
        var records = 0
        while chunks < 12 {
            ts += 700
            let r = makeSyscallRecord(ts: ts, tid: UInt32(ts % 5), nr: UInt16(ts % 4), ret: Int64(ts % 3))
            if !r.withUnsafeBytes({ chunk.append($0) }) {
                try w.write(chunk)
                chunk.reset()
                chunks += 1
                XCTAssertTrue(r.withUnsafeBytes { chunk.append($0) })
            }
            records += 1
        }
        try w.write(chunk)
        try w.finish()
        let reader = try CaptureReader(path: path)
        var seen = 0
        try reader.forEachBlock { if case .events(let v) = $0 { seen += v.recordCount } }
        XCTAssertEqual(seen, records)
        XCTAssertTrue(reader.problems.isEmpty)
        XCTAssertLessThanOrEqual(reader.bufferBytes, 4 << 20, "reader buffers: \(reader.bufferBytes) bytes")
    }
}
