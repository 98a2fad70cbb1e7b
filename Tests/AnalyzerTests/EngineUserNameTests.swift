import XCTest
import KcapTestSupport
import CaptureFormat
@testable import Analyzer

/// `user.name` and `group.name` come from the user and group tables the recorder stores in snapshots: a
/// synthetic capture with known tables, and a real fixture recorded as root.
final class EngineUserNameTests: XCTestCase {
    typealias B = RecordBuilder

    struct Names: EventConsumer {
        var rows: [(tid: UInt32, user: String?, group: String?)] = []
        let user = FieldRef(.userName), group = FieldRef(.groupName)
        mutating func consume(_ e: Event) -> Bool {
            rows.append((e.tid, e.fields.string(user), e.fields.string(group)))
            return true
        }
    }

    /// A capture whose snapshot names uid 1000 and gid 100 but not uid/gid 2000, with one syscall per thread,
    /// and a later keyframe that adds uid 2000.
    func writeCapture(keyframe: Bool) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kcap-users-\(getpid())-\(keyframe).kcap").path
        let w = try CaptureWriter(path: path, header: SyntheticCapture.header())
        let threads = [ThreadInfo(tid: 10, pid: 10, uid: 1000, gid: 100, comm: "alice-app"),
                       ThreadInfo(tid: 20, pid: 20, uid: 2000, gid: 2000, comm: "ghost")]
        try w.write(CaptureSnapshot(timestampNs: 1_000, threads: threads, users: [0: "root", 1000: "alice"],
                                    groups: [0: "root", 100: "users"]))
        let getppidNr = SyntheticCapture.nr("getppid")
        var chunk = EventChunk()
        for (i, tid) in [UInt32(10), 20].enumerated() {
            let r = B.syscall(ts: 2_000 + UInt64(i), tid: tid, pid: tid, nr: getppidNr, ret: Int64(tid))
            XCTAssertTrue(r.withUnsafeBytes { chunk.append($0) })
        }
        try w.write(chunk)
        if keyframe {
            try w.write(CaptureSnapshot(timestampNs: 3_000, threads: threads, users: [2000: "late"], groups: [:]))
            chunk.reset()
            let r = B.syscall(ts: 4_000, tid: 20, pid: 20, nr: getppidNr, ret: 20)
            XCTAssertTrue(r.withUnsafeBytes { chunk.append($0) })
            try w.write(chunk)
        }
        try w.finish()
        return path
    }

    func testNamesComeFromTheSnapshotTables() throws {
        let path = try writeCapture(keyframe: false)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let replay = CaptureReplay(reader: try CaptureReader(path: path))
        var names = Names()
        try replay.run(into: &names)
        XCTAssertEqual(names.rows.count, 2)
        XCTAssertEqual(names.rows[0].user, "alice")
        XCTAssertEqual(names.rows[0].group, "users")
        // uid/gid 2000 are not in the tables: no value, printed <NA> (the * prints events with absent fields)
        XCTAssertNil(names.rows[1].user)
        XCTAssertNil(names.rows[1].group)
        let out = OutputBuffer()
        _ = try ReadPipeline.run(CaptureReplay(reader: try CaptureReader(path: path)),
                                 output: .format("*%user.name %group.name"), to: out, options: ReadPipeline.Options())
        XCTAssertEqual(out.string, "alice users\n<NA> <NA>\n")
    }

    func testAKeyframeAddsNamesAndKeepsEarlierOnes() throws {
        let path = try writeCapture(keyframe: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let replay = CaptureReplay(reader: try CaptureReader(path: path))
        var names = Names()
        try replay.run(into: &names)
        XCTAssertEqual(names.rows.map(\.user), ["alice", nil, "late"])
        XCTAssertEqual(replay.engine.userNames[1000], "alice", "a keyframe without uid 1000 must not forget it")
    }

    func testFilterOnUserName() throws {
        let path = try writeCapture(keyframe: false)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let replay = CaptureReplay(reader: try CaptureReader(path: path))
        let out = OutputBuffer()
        var options = ReadPipeline.Options()
        options.filter = try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: "x86_64"))
            .compile("user.name = alice and group.name = users", for: Event.self)
        _ = try ReadPipeline.run(replay, output: .format("%proc.name"), to: out, options: options)
        XCTAssertEqual(out.string, "alice-app\n")
    }

    /// The real fixtures are recorded as root by tools/make-fixtures.sh: every event of a thread with uid 0
    /// is named root, as /etc/passwd and /etc/group of the recording host say.
    func testRealFixtureNamesRoot() throws {
        let path = GoldenTests.fixtures.appendingPathComponent("fork-exec-threads/capture.kcap").path
        let replay = CaptureReplay(reader: try CaptureReader(path: path))
        var names = Names()
        try replay.run(into: &names)
        XCTAssertFalse(replay.engine.userNames.isEmpty, "the fixture has no user table: re-record it with tools/make-fixtures.sh")
        XCTAssertEqual(replay.engine.userNames[0], "root")
        XCTAssertEqual(replay.engine.groupNames[0], "root")
        XCTAssertGreaterThan(names.rows.count, 10)
        for row in names.rows { XCTAssertEqual(row.user, "root", "tid \(row.tid)"); XCTAssertEqual(row.group, "root") }
    }
}
