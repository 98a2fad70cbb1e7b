import CaptureFormat
import Foundation
import XCTest

/// What `kcap info` and `kcap stats` both print about one capture, they print in the same words.
final class ReportConsistencyTests: XCTestCase {
    func testDropReasonsAreNamedAlike() throws {
        let kcap = try kcapBinary()
        let dir = try makeScratchDirectory(self)
        let capture = dir + "/drops.kcap"
        let header = CaptureHeader(abiVersion: 1, hostname: "testhost", kernelRelease: "6.18.0-test", machine: "x86_64",
                                   cpuCount: 2, bootTimeRealtimeOffsetNs: 1_763_770_000_000_000_000,
                                   createdRealtimeNs: 1_763_770_001_000_000_000, recorder: [:], extra: [:])
        let w = try CaptureWriter(path: capture, header: header)
        try w.write(CaptureCounters(timestampNs: 1_000, eventsSeen: 10, eventsWritten: 4, dropRingFull: 3, dropTooLarge: 2,
                                    dropUserQueue: 1))
        try w.finish()
        func reasons(_ text: String) -> String? {
            guard let start = text.range(of: "(ring full"), let end = text[start.lowerBound...].firstIndex(of: ")") else { return nil }
            return String(text[start.lowerBound...end])
        }
        let info = try runProcess(kcap, ["info", capture]).stdout
        let stats = try runProcess(kcap, ["stats", capture]).stdout
        XCTAssertEqual(reasons(info), "(ring full 3, too large 2, writer queue 1)", info)
        XCTAssertEqual(reasons(info), reasons(stats), stats)
    }
}
