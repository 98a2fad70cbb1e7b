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

    func testTheCompilerNeverAsksForDerivedFields() throws {
        for info in FieldRegistry.all where info.supported {
            let e = MockEvent()
            let text: String
            switch info.argument {
            case .none, .optionalIndex: text = info.name
            case .name, .nameOrIndex: text = info.name + ".x"
            }
            _ = try compile("\(text) exists", allowUnsupported: false).matches(e)
            for asked in e.log.asked {
                XCTAssertFalse(FieldRegistry.derivedFields.contains(asked.id), "\(info.name) asked for \(asked)")
                XCTAssertTrue(FieldRegistry.sourceFields.contains { $0.id == asked.id }, "\(info.name) asked for \(asked)")
            }
            if !FieldRegistry.derivedFields.contains(info.id) {
                XCTAssertEqual(e.log.asked.map(\.id), [info.id], info.name)
            }
        }
    }

    func testEventTypeCodeTable() throws {
        let compiler = FilterCompiler(eventTypeCodeTable: ["openat": [257], "execve": [59, 1001]])
        let f = try compiler.compile("evt.type in (execve, nosuch)", for: MockEvent.self)
        var e = MockEvent()
        e[.evtType] = 1001
        XCTAssertTrue(f.matches(e))
        e[.evtType] = 257
        XCTAssertFalse(f.matches(e))
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

final class FilterFieldRenderingTests: XCTestCase {
    func testRenderedValuesByType() {
        var e = MockEvent()
        e[s: .procName] = "nginx"
        e[.evtFailed] = 1
        e[.evtIsIO] = 0
        e[.evtRawres] = -2
        e[ip: .fdCip] = "127.0.0.1"
        e[.fdCport] = 40000
        e.strings[FieldRef(.procAname, index: 1)] = "bash"
        e.buffers[FieldRef(.evtBuffer)] = Array("GET\r\n".utf8) + [0xff]
        XCTAssertEqual(e.renderedValue(FieldRef(.procName)), "nginx")
        XCTAssertEqual(e.renderedValue(FieldRef(.evtFailed)), "true")
        XCTAssertEqual(e.renderedValue(FieldRef(.evtIsIO)), "false")
        XCTAssertEqual(e.renderedValue(FieldRef(.evtRawres)), "-2")
        XCTAssertEqual(e.renderedValue(FieldRef(.fdCip)), "127.0.0.1")
        XCTAssertEqual(e.renderedValue(FieldRef(.fdIP)), "127.0.0.1", "no server side: the client side")
        XCTAssertEqual(e.renderedValue(FieldRef(.fdPort)), "40000")
        XCTAssertNil(e.renderedValue(FieldRef(.fdDport)))
        XCTAssertEqual(e.renderedValue(FieldRef(.procAname)), "bash")
        XCTAssertEqual(e.renderedValue(FieldRef(.evtBuffer)), "GET...")
        XCTAssertNil(e.renderedValue(FieldRef(.fdName)))
        XCTAssertNil(e.renderedValue(FieldRef(.containerImage)), "unsupported fields are never asked for")
        e[ip: .fdSip] = "10.0.0.1"
        XCTAssertEqual(e.renderedValue(FieldRef(.fdIP)), "10.0.0.1")
    }
}
