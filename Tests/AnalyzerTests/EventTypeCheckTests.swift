import XCTest
@testable import Analyzer
import EventSchema

/// A misspelt event name in `evt.type` gets a warning with the nearest name; every name kcap knows, none.
final class EventTypeCheckTests: XCTestCase {
    func testMisspeltNamesAreNamedWithTheNearest() {
        XCTAssertEqual(EventTypeCheck.warnings(filter: "evt.type=opn", machine: "x86_64"),
                       ["evt.type 'opn' at column 10 names no event kcap records, so it matches nothing; did you mean 'open'?"])
        let two = EventTypeCheck.warnings(filter: "proc.name=sh and evt.type in (openat, clse, procexec)", machine: "x86_64")
        XCTAssertEqual(two.count, 1)
        XCTAssertTrue(two[0].hasPrefix("evt.type 'clse' at column 39"), two[0])
        XCTAssertTrue(two[0].hasSuffix("did you mean 'close'?"), two[0])
        XCTAssertEqual(EventTypeCheck.warnings(filter: "evt.type=zzzzzzzzzzzz", machine: "x86_64").first?.hasSuffix("kcap events lists them"), true)
    }

    func testEveryKnownNameAndOtherFieldsPass() {
        for arch in ["x86_64", "aarch64"] {
            let known = EventTypeCheck.names.filter { !Event.typeCodes(machine: arch)($0).isEmpty }
            XCTAssertGreaterThan(known.count, 200, arch)
            for name in known { XCTAssertEqual(EventTypeCheck.warnings(filter: "evt.type=\(name)", machine: arch), [], "\(arch) \(name)") }
        }
        XCTAssertEqual(EventTypeCheck.warnings(filter: "proc.name=opn or evt.type contains opn", machine: "x86_64"), [])
        XCTAssertEqual(EventTypeCheck.warnings(filter: "evt.type=", machine: "x86_64"), [], "a filter that does not parse is the compiler's to report")
    }
}
