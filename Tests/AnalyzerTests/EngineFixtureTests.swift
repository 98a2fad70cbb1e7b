import XCTest
import CaptureFormat
@testable import Analyzer

/// The engine on the recorder's real captures (Tests/Fixtures/<name>, see each README): assertions on what
/// the thread and fd tables made of real kernel records. Skipped when a fixture is absent.
final class EngineFixtureTests: XCTestCase {
    struct Row { var type: String; var comm: String?; var tid: UInt32; var pid: UInt32; var fd: Int32; var fdName: String?; var args: String }

    struct Rows: EventConsumer {
        var rows: [Row] = []
        var engine: Engine?
        var check: ((Event) -> Void)?
        mutating func consume(_ e: Event) -> Bool {
            let out = OutputBuffer()
            TestPrinter.printer(for: e.engine).appendArgs(e, to: out)
            rows.append(Row(type: e.typeName, comm: e.procName, tid: e.tid, pid: e.pid, fd: e.fd, fdName: e.fdName, args: out.string))
            check?(e)
            return true
        }
    }

    func replay(_ name: String, check: ((Event) -> Void)? = nil) throws -> (rows: [Row], engine: Engine) {
        let path = GoldenTests.fixtures.appendingPathComponent("\(name)/capture.kcap").path
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("fixture \(name) is not in this checkout") }
        let r = CaptureReplay(reader: try CaptureReader(path: path))
        var c = Rows(check: check)
        try r.run(into: &c)
        XCTAssertEqual(r.engine.malformedRecords, 0)
        return (c.rows, r.engine)
    }

    func testFilesRelativePathsResolveAgainstTheShellsCwd() throws {
        let (rows, _) = try replay("files")
        let open = rows.first { $0.type == "openat" && $0.args.contains("name=a.txt ") }
        XCTAssertEqual(open?.fdName, "/tmp/kcap-fixtures/files/a.txt")
        XCTAssertTrue(rows.contains { $0.type.hasPrefix("rename") && $0.args.contains("b.txt") })
        // every close shows the name the fd had
        for c in rows where c.type == "close" && c.args.hasPrefix("res=0") {
            XCTAssertFalse(c.args.contains("(<NA>)"), "close of an fd the engine lost: \(c.args)")
        }
    }

    func testNetLoopbackTuplesAndRoles() throws {
        let (rows, _) = try replay("net-loopback")
        let connect = try XCTUnwrap(rows.first { $0.type == "connect" && $0.args.hasPrefix("res=0") })
        let tuple = try XCTUnwrap(connect.fdName)
        XCTAssertNotNil(tuple.range(of: #"^127\.0\.0\.1:\d+->127\.0\.0\.1:\d+$"#, options: .regularExpression), tuple)
        let accept = try XCTUnwrap(rows.first { $0.type.hasPrefix("accept") })
        XCTAssertEqual(accept.fdName, tuple, "the accepted socket names client->server like the connecting one")
        let udp = try XCTUnwrap(rows.first { $0.type == "recvfrom" })
        XCTAssertNotNil(udp.fdName?.range(of: #"^127\.0\.0\.1:\d+$"#, options: .regularExpression))
    }

    func testForkExecThreads() throws {
        var sharedChecked = false
        let (rows, _) = try replay("fork-exec-threads") { e in
            // a thread made by clone3 shares its process (and fd table) with the main thread
            if e.kind == .procfork, case let fork = ForkRecord(unchecked: e.record), fork.childPid == fork.parentPid,
               let child = e.engine.threads.thread(fork.childTid) {
                XCTAssertTrue(child.process === e.thread.process)
                sharedChecked = true
            }
        }
        XCTAssertTrue(sharedChecked)
        let exec = try XCTUnwrap(rows.first { $0.type == "procexec" && $0.comm == "true" })
        XCTAssertTrue(exec.args.contains("args=true kcap-arg1 kcap arg 2"), exec.args)
        let exits = rows.filter { $0.type == "procexit" }
        XCTAssertTrue(exits.contains { $0.args.hasPrefix("status=7") })
        XCTAssertTrue(exits.contains { $0.args.hasPrefix("status=42") })
    }

    func testOutlivingProcessIsKnownFromTheSnapshot() throws {
        let (rows, engine) = try replay("outlives-capture")
        XCTAssertFalse(rows.isEmpty)
        XCTAssertTrue(rows.contains { $0.comm == "sh" }, "the loop's shell is named from the start snapshot")
        XCTAssertGreaterThan(engine.threads.threadCount, 0)
        XCTAssertTrue(rows.contains { $0.fdName == "/etc/hostname" })
    }

    /// The capture stopped while its shell waited for a `sleep`: neither call returned, so neither has a
    /// record; the last snapshot names both, with how long they had been waiting.
    func testCallsThatNeverReturnedAreInFlightAtTheEnd() throws {
        let (rows, engine) = try replay("outlives-capture")
        let inFlight = InFlightReport.rows(engine: engine, machine: engine.machine, limit: 10)
        let sleep = inFlight.first { $0.comm == "sleep" }
        XCTAssertTrue(["nanosleep", "clock_nanosleep"].contains(sleep?.syscall ?? ""), "\(inFlight)")
        XCTAssertNotNil(sleep?.blockedNs, "its entry was seen")
        XCTAssertEqual(inFlight.first { $0.comm == "sh" }?.syscall, "wait4", "\(inFlight)")
        // Records are written at return: the listed calls have none.
        for r in inFlight where r.comm == "sleep" {
            XCTAssertFalse(rows.contains { $0.tid == r.tid && $0.type == r.syscall }, "\(r.syscall) of \(r.tid) returned")
        }
        XCTAssertEqual(inFlight, inFlight.sorted { ($0.blockedNs ?? 0) > ($1.blockedNs ?? 0) }, "longest first")
    }
}
