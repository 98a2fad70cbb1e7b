import XCTest
import KcapTestSupport
import CaptureFormat
@testable import Analyzer

/// The progress line: silent for a second, then at most four lines a second saying how far, how many, how
/// fast and how long still; cleared at the end; and a replay with it prints exactly what one without prints.
final class ProgressMeterTests: ScratchTestCase {
    func testLineTimingAndText() {
        var clock: UInt64 = 0
        var lines: [String] = []
        let meter = ProgressMeter(first: 1_000, last: 2_000, write: { lines.append($0) }, now: { clock })
        clock = 900_000_000
        meter.tick(recordNs: 1_100, records: 100_000)
        XCTAssertEqual(lines, [], "nothing in the first second")
        clock = 2_000_000_000
        meter.tick(recordNs: 1_250, records: 4_000_000)
        XCTAssertEqual(lines, ["\r25%  4.0M events  2.0M/s  6s left\u{1b}[K"])
        clock = 2_100_000_000
        meter.tick(recordNs: 1_300, records: 4_100_000)
        XCTAssertEqual(lines.count, 1, "at most four lines a second")
        clock = 3_000_000_000
        meter.tick(recordNs: 2_000, records: 6_000_000)
        XCTAssertEqual(lines.last, "\r100%  6.0M events  2.0M/s  0s left\u{1b}[K")
        meter.finish()
        XCTAssertEqual(lines.last, "\r\u{1b}[K")
        meter.finish()
        XCTAssertEqual(lines.count, 3, "cleared once")
    }

    func testASilentMeterLeavesNoTrace() {
        var lines: [String] = []
        let meter = ProgressMeter(first: 0, last: 10, write: { lines.append($0) }, now: { 0 })
        meter.tick(recordNs: 5, records: 1)
        meter.finish()
        XCTAssertEqual(lines, [])
    }

    /// A 140,000-event capture read with a meter (a clock that jumps a second per look) prints what it prints
    /// without one; the meter showed lines as it went and cleared the last.
    func testAReplayWithAMeterPrintsTheSame() throws {
        let path = file("loop.kcap")
        try SyntheticCapture.writeLoop(path: path, events: 140_000, snapshotEvery: 50_000)
        let replay = try CaptureSetReplay(readers: [try CaptureReader(path: path)])
        var clock: UInt64 = 0
        var lines: [String] = []
        let range = try XCTUnwrap(replay.timeRange)
        replay.source.progress = ProgressMeter(first: range.first, last: range.last, write: { lines.append($0) },
                                               now: { clock += 1_000_000_000; return clock })
        let out = OutputBuffer()
        var options = ReadPipeline.Options()
        options.filter = try FilterCompiler().compile("evt.type=getppid", for: Event.self)
        _ = try ReadPipeline.run(replay, output: .text, to: out, options: options)
        XCTAssertEqual(out.string.split(separator: "\n").map(String.init), try CaptureSetTests.read([path], filter: "evt.type=getppid"))
        XCTAssertEqual(lines.count, 140_000 / Int(ProgressMeter.stride) + 1, "\(lines)")
        XCTAssertTrue(lines.dropLast().allSatisfy { $0.hasPrefix("\r") && $0.contains("% ") && $0.hasSuffix("s left\u{1b}[K") }, "\(lines)")
        XCTAssertEqual(lines.last, "\r\u{1b}[K")
    }
}
