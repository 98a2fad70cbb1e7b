import Foundation
import XCTest
@testable import Analyzer

final class FilterFieldRegistryTests: XCTestCase {
    func testEveryFieldIDHasExactlyOneEntry() {
        XCTAssertEqual(FieldRegistry.all.count, FieldID.allCases.count)
        XCTAssertEqual(Set(FieldRegistry.all.map(\.id)).count, FieldID.allCases.count)
        XCTAssertEqual(Set(FieldRegistry.all.map(\.name)).count, FieldRegistry.all.count, "duplicate names")
        for id in FieldID.allCases { XCTAssertEqual(FieldRegistry.info(id).id, id) }
    }

    func testTheFieldsOfIssue4AreSupported() {
        let required = """
        evt.num evt.time evt.type evt.dir evt.cpu evt.res evt.rawres evt.failed evt.latency evt.is_io evt.is_io_read
        evt.is_io_write evt.buflen evt.arg evt.rawarg proc.pid proc.ppid proc.name proc.pname proc.exe proc.cmdline
        proc.args proc.cwd proc.aname thread.tid thread.vtid fd.num fd.type fd.typechar fd.name fd.directory
        fd.filename fd.sip fd.dip fd.sport fd.dport fd.cip fd.cport fd.lip fd.rip fd.lport fd.rport fd.l4proto
        fd.sockfamily fd.port fd.ip user.uid user.name container.id
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        for name in required {
            guard let f = FieldRegistry.info(named: name) else { XCTFail("\(name) missing"); continue }
            XCTAssertTrue(f.supported, name)
        }
    }

    func testArgumentsResolve() throws {
        XCTAssertEqual(try FieldResolver.resolve("evt.arg.fd").ref, FieldRef(.evtArg, argName: "fd"))
        XCTAssertEqual(try FieldResolver.resolve("evt.arg[2]").ref, FieldRef(.evtArg, index: 2))
        XCTAssertEqual(try FieldResolver.resolve("evt.rawarg.flags").ref, FieldRef(.evtRawarg, argName: "flags"))
        XCTAssertEqual(try FieldResolver.resolve("proc.aname").ref, FieldRef(.procAname))
        XCTAssertEqual(try FieldResolver.resolve("proc.aname[3]").ref, FieldRef(.procAname, index: 3))
        XCTAssertEqual(try FieldResolver.resolve("fd.dev.major").info.id, .fdDevMajor)
        XCTAssertEqual(FieldRef(.evtArg, argName: "fd").description, "evt.arg.fd")
        XCTAssertEqual(FieldRef(.procAname, index: 2).description, "proc.aname[2]")
        XCTAssertThrowsError(try FieldResolver.resolve("proc.nam")) { e in
            XCTAssertEqual((e as? FilterError)?.kind, .unknownField("proc.nam", suggestion: "proc.name"))
        }
    }

    func testListingsCoverEveryField() {
        let text = FieldRegistry.textListing()
        let json = FieldRegistry.jsonListing()
        for f in FieldRegistry.all {
            XCTAssertTrue(text.contains(f.usage), f.name)
            XCTAssertTrue(json.contains("\"name\": \"\(f.name)\""), f.name)
        }
        let parsed = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
        XCTAssertEqual(parsed?.count, FieldRegistry.all.count)
        XCTAssertEqual(parsed?.first?["name"] as? String, "evt.num")
        XCTAssertEqual(parsed?.first?["supported"] as? Bool, true)
    }

    func testDocsFieldsMarkdownIsCurrent() throws {
        let url = packageRoot.appendingPathComponent("docs/fields.md")
        let current = try? String(contentsOf: url, encoding: .utf8)
        XCTAssertEqual(current, FieldRegistry.markdown(),
                       "docs/fields.md is stale: run `swift run kcap fields --markdown > docs/fields.md`")
    }
}
