import XCTest
import EventSchema
import CaptureFormat
@testable import Analyzer

/// The schema against real recordings (Tests/Fixtures, made by tools/make-fixtures.sh on this machine kind):
/// every record decodes, every item is intact, every syscall number has a table row, and the payloads the
/// recorder promises (paths for openat, sockaddrs for connect, argv for exec) decode to sensible values.
final class SchemaFixtureTests: XCTestCase {
    struct Tally {
        var records = 0, syscalls = 0, unknownNumbers = Set<Int>(), paths = 0, sockaddrs = 0, argvs = 0
        var errors: [String] = []
        var names = Set<String>()
    }

    private func walk(_ fixture: String) throws -> Tally {
        let path = SchemaTableTests.root.appendingPathComponent("Tests/Fixtures/\(fixture)/capture.kcap").path
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("fixture \(fixture) missing") }
        let reader = try CaptureReader(path: path)
        let arch = try XCTUnwrap(SyscallArch(machine: reader.header.machine))
        let engine = Engine(machine: reader.header.machine)
        var t = Tally()
        try reader.forEachBlock { block in
            guard case let .events(view) = block else { return }
            view.forEachRecord { r in
                t.records += 1
                do {
                    switch r.recordType {
                    case .syscall?:
                        let s = try SyscallRecord(r)
                        t.syscalls += 1
                        try s.items.validate()
                        guard let info = EventTable.info(syscall: s.nr, arch: arch) else {
                            t.unknownNumbers.insert(s.nr)
                            return
                        }
                        t.names.insert(info.name)
                        for item in s.items {
                            switch item.kind {
                            case .path?:
                                if !item.string.isEmpty { t.paths += 1 }
                            case .sockaddr?:
                                if item.socketAddress != nil { t.sockaddrs += 1 }
                            default: break
                            }
                        }
                        var printer = PrintingConsumer()
                        _ = engine.process(r, into: &printer)
                    case .procFork?: _ = try ForkRecord(r).childComm
                    case .procExec?:
                        let e = try ExecRecord(r)
                        try e.items.validate()
                        if !e.argv.isEmpty { t.argvs += 1 }
                        XCTAssertNotNil(e.filename, "exec record without a filename")
                    case .procExit?: _ = try ExitRecord(r).status
                    case .signal?: _ = try SignalRecord(r).signal
                    case nil: break
                    }
                } catch {
                    t.errors.append("\(error)")
                }
            }
        }
        return t
    }

    func testEveryFixtureRecordDecodes() throws {
        for fixture in ["files", "net-loopback", "fork-exec-threads", "failing-syscalls", "outlives-capture", "workload"] {
            let t = try walk(fixture)
            XCTAssertGreaterThan(t.records, 0, fixture)
            XCTAssertEqual(t.errors, [], fixture)
            XCTAssertEqual(t.unknownNumbers, [], "\(fixture): syscall numbers without a table row")
        }
    }

    func testPayloadsDecode() throws {
        let files = try walk("files")
        XCTAssertTrue(files.names.isSuperset(of: ["openat", "read", "write", "close"]), "\(files.names.sorted())")
        XCTAssertGreaterThan(files.paths, 10)
        XCTAssertGreaterThan(files.argvs, 0)
        let net = try walk("net-loopback")
        XCTAssertTrue(net.names.isSuperset(of: ["socket", "connect"]), "\(net.names.sorted())")
        XCTAssertGreaterThan(net.sockaddrs, 0)
    }
}
