import XCTest
import EventSchema
@testable import Analyzer

final class SchemaDocsTests: XCTestCase {
    func testDocsEventsMarkdownIsCurrent() throws {
        let path = SchemaTableTests.root.appendingPathComponent("docs/events.md").path
        let committed = try String(contentsOfFile: path, encoding: .utf8)
        let fresh = EventTableDocument.markdown()
        if committed != fresh {
            let a = committed.split(separator: "\n", omittingEmptySubsequences: false)
            let b = fresh.split(separator: "\n", omittingEmptySubsequences: false)
            let line = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
            XCTFail("docs/events.md is stale at line \(line + 1): run `kcap events --markdown > docs/events.md`")
        }
    }

    func testMarkdownListsEveryEvent() {
        let md = EventTableDocument.markdown()
        for row in EventTable.all { XCTAssertTrue(md.contains("| \(row.name) |"), row.name) }
        for t in ParamType.allCases { XCTAssertTrue(md.contains("| \(t.rawValue) |"), t.rawValue) }
    }

    func testJSONAndTextForms() throws {
        let rows = EventTableDocument.select(names: ["openat", "procexit"])
        XCTAssertEqual(rows.map(\.name), ["procexit", "openat"], "table order: process events first")
        let json = try EventTableDocument.json(rows)
        let decoded = try JSONDecoder().decode([EventTableDocument.Entry].self, from: Data(json.utf8))
        XCTAssertEqual(decoded[1].x86_64, 257)
        XCTAssertEqual(decoded[1].aarch64, 56)
        XCTAssertEqual(decoded[1].params.map(\.type), ["dirfd", "path", "openFlags", "mode"])
        XCTAssertEqual(decoded[1].flags, ["createsFd", "modifiesState"])
        XCTAssertEqual(decoded[1].effect, "openat")
        XCTAssertEqual(decoded[1].fd, "result")
        XCTAssertEqual(decoded[1].cloexec, "flags&O_CLOEXEC")
        XCTAssertEqual(decoded[1].extraParams, [])
        XCTAssertEqual(decoded[0].effect, "none")
        XCTAssertEqual(decoded[0].kind, "KCAP_REC_PROC_EXIT")
        XCTAssertNil(decoded[0].x86_64)
        XCTAssertEqual(json, try EventTableDocument.json(rows), "deterministic")
        let text = EventTableDocument.text(rows)
        XCTAssertTrue(text.contains("openat"))
        XCTAssertTrue(text.contains("(dirfd dirfd, path name, openFlags flags, mode mode) -> fd"))
        XCTAssertTrue(text.contains("effect=openat fd=result cloexec=flags&O_CLOEXEC"))
        let connect = EventTableDocument.text(EventTableDocument.select(names: ["connect"]))
        XCTAssertTrue(connect.contains("(fd fd, sockaddr addr, int addrlen + sockTuple tuple) -> errno"), connect)
        XCTAssertEqual(EventTableDocument.select(category: .net).allSatisfy { $0.category == .net }, true)
        XCTAssertGreaterThan(EventTableDocument.select(category: .net).count, 15)
    }
}
