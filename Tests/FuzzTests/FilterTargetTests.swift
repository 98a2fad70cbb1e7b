import Analyzer
import CaptureFormat
import EventSchema
import KcapFuzz
import XCTest

/// The filter fuzz target replays its fixture from memory (decoded once) instead of from the file: it must see
/// the same events, with the same process and fd state, as `kcap read` does from the file, or the fuzzer
/// would be exercising the filters against something no user ever reads.
final class FilterTargetTests: XCTestCase {
    static let filters = [
        "fd.type=ipv4", "evt.type in (read, write)", "fd.name contains 127.0.0.1 and evt.type=close",
        "proc.name=workload", "evt.failed=false", "fd.sport exists", "evt.type=procexit", "fd.num=3",
        "not fd.name exists", "evt.res > 4", "proc.name=kcap or fd.l4proto=udp",
    ]

    func countFromFile(_ filter: String) throws -> UInt64 {
        let replay = CaptureReplay(reader: try CaptureReader(path: FuzzTarget.filterFixture))
        var options = ReadPipeline.Options()
        options.filter = try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: replay.engine.machine)).compile(filter, for: Event.self)
        return try ReadPipeline.run(replay, output: .none, to: OutputBuffer(fd: -1), options: options)
    }

    func testInMemoryReplayMatchesTheFile() throws {
        var total: UInt64 = 0
        for filter in FilterTargetTests.filters {
            let expected = try countFromFile(filter)
            XCTAssertEqual(FuzzTarget.replayFixture(filter), expected, filter)
            total += expected
        }
        XCTAssertGreaterThan(total, 0, "the filters match nothing in the fixture: the comparison proves nothing")
    }

    func testTextThatIsNoFilterRunsAsAFormat() throws {
        let events = try countFromFile("evt.num > 0")
        XCTAssertGreaterThan(events, 0)
        XCTAssertEqual(FuzzTarget.replayFixture("*%evt.num %fd.name"), events, "a format starting with * prints every event")
        XCTAssertLessThan(FuzzTarget.replayFixture("%evt.num %fd.name") ?? .max, events, "without *, events that lack fd.name are skipped")
        XCTAssertNil(FuzzTarget.replayFixture("%no.such.field"), "neither a filter nor a format")
    }
}
