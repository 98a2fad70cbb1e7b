import XCTest
import KcapTestSupport
import CaptureFormat
@testable import Analyzer

/// `kcap ps --all` on every fixture, against the raw fork and exit records read straight from the file.
final class ProcessHistoryTests: XCTestCase {
    func testStartsAndExitsAreTheForkAndExitRecords() throws {
        var forks = 0, exits = 0
        for path in try CaptureSetTests.fixtures() {
            let replay = try CaptureSetReplay(readers: [try CaptureReader(path: path)])
            let history = ProcessHistory(engine: replay.engine)
            try ReadPipeline.run(replay, into: history)
            let rows = history.rows()
            var pids = Set<UInt32>()
            var started: [(pid: UInt32, ns: UInt64)] = []
            var ended: [(pid: UInt32, ns: UInt64, code: Int32)] = []
            try CaptureReader(path: path).forEachBlock { block in
                guard case .events(let view) = block else { return }
                view.forEachRecord { r in
                    pids.insert(r.pid)
                    if let f = try? ForkRecord(r), r.recordType == .procFork, f.childPid != f.parentPid { started.append((f.childPid, r.timestampNs)) }
                    if let e = try? ExitRecord(r), r.recordType == .procExit, e.groupDead { ended.append((r.pid, r.timestampNs, e.exitCode)) }
                }
            }
            XCTAssertTrue(pids.isSubset(of: Set(rows.map(\.pid))), path)
            for s in started {
                XCTAssertTrue(rows.contains { $0.pid == s.pid && $0.startNs == s.ns }, "\(path): pid \(s.pid) forked at \(s.ns)")
            }
            for e in ended {
                let row = try XCTUnwrap(rows.first { $0.pid == e.pid && $0.exitNs == e.ns }, "\(path): pid \(e.pid) ended at \(e.ns)")
                if e.code & 0x7f != 0 { XCTAssertEqual(row.exitSignal, e.code & 0x7f, path) } else { XCTAssertEqual(row.exitStatus, (e.code >> 8) & 0xff, path) }
            }
            // Nobody ends without an exit record, nor before it starts.
            XCTAssertEqual(rows.filter { $0.exitNs != nil }.count, ended.count, path)
            for r in rows { if let s = r.startNs, let x = r.exitNs { XCTAssertLessThanOrEqual(s, x, "\(path): pid \(r.pid)") } }
            forks += started.count
            exits += ended.count
        }
        XCTAssertGreaterThan(forks, 3)
        XCTAssertGreaterThan(exits, 3)
    }
}
