import XCTest
import KcapTestSupport
import CaptureFormat
@testable import Analyzer

/// `kcap read -f`: a fixture written again in three steps by the real writer (flushed, not finished, between
/// them, as a recorder leaves its file) prints, look after look, exactly what reading the finished file prints.
final class FollowedCaptureTests: ScratchTestCase {
    func testFollowingAGrowingCapturePrintsWhatTheWholePrints() throws {
        for path in try CaptureSetTests.fixtures() {
            let reader = try CaptureReader(path: path)
            var blocks: [(snapshot: CaptureSnapshot?, counters: CaptureCounters?, records: [[UInt8]])] = []
            try reader.forEachBlock { block in
                switch block {
                case .snapshot(let s): blocks.append((s, nil, []))
                case .counters(let c): blocks.append((nil, c, []))
                case .events(let v):
                    var records: [[UInt8]] = []
                    v.forEachRecord { records.append(Array($0.bytes)) }
                    blocks.append((nil, nil, records))
                }
            }
            // Every record on its own, so the file can be cut anywhere; each step writes a third.
            var items: [(snapshot: CaptureSnapshot?, counters: CaptureCounters?, record: [UInt8]?)] = []
            for b in blocks {
                if b.snapshot != nil || b.counters != nil { items.append((b.snapshot, b.counters, nil)) }
                for r in b.records { items.append((nil, nil, r)) }
            }
            let growing = file("growing.kcap")
            let writer = try CaptureWriter(path: growing, header: reader.header)
            var written = 0
            func write(upTo end: Int) throws {
                var chunk = EventChunk()
                for item in items[written..<end] {
                    if let s = item.snapshot { try writer.write(chunk); chunk.reset(); try writer.write(s) }
                    if let c = item.counters { try writer.write(chunk); chunk.reset(); try writer.write(c) }
                    if let r = item.record { _ = r.withUnsafeBytes { chunk.append($0) } }
                }
                try writer.write(chunk)
                try writer.flush()
                written = end
            }
            try write(upTo: items.count / 3)
            let replay = Replay(source: try FollowedCaptureSource(path: growing))
            let out = OutputBuffer()
            var looks: [Int] = []
            _ = try ReadPipeline.follow(replay, output: .text, to: out, options: ReadPipeline.Options()) {
                looks.append(out.count)
                do {
                    if written < items.count * 2 / 3 { try write(upTo: items.count * 2 / 3) } else {
                        try write(upTo: items.count)
                        try writer.finish()
                    }
                } catch { XCTFail("\(error)") }
                return true
            }
            XCTAssertTrue(replay.source.isFinished, path)
            XCTAssertEqual(replay.source.problems, [], path)
            XCTAssertEqual(looks.count, 2, path)
            let lines = out.string.split(separator: "\n").map(String.init)
            XCTAssertEqual(lines, try CaptureSetTests.read([path]), path)
            // The first look printed the first third's events, and they stood unchanged after.
            XCTAssertGreaterThan(looks[0], 0, path)
            XCTAssertLessThan(looks[0], looks[1], path)
        }
    }

    /// `-n` stops following once that many events are printed.
    func testMaxEventsStopsFollowing() throws {
        let path = try XCTUnwrap(try CaptureSetTests.fixtures().first)
        let replay = Replay(source: try FollowedCaptureSource(path: path))
        var options = ReadPipeline.Options()
        options.maxEvents = 5
        let out = OutputBuffer()
        let written = try ReadPipeline.follow(replay, output: .text, to: out, options: options) {
            XCTFail("a finished capture, or -n reached: no second look")
            return false
        }
        XCTAssertEqual(written, 5)
    }
}
