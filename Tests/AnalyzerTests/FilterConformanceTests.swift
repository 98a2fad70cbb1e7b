import Foundation
import XCTest
@testable import Analyzer

/// The 154 filters sysdig/falco users wrote (shared/conformance/scap/filters.txt, copied into
/// Tests/Fixtures/conformance) and the newer-syntax list sysdig 0.29.3 rejects.
final class FilterConformanceTests: XCTestCase {
    func testTheFixtureMatchesTheSharedCorpusWhenPresent() throws {
        // The copy keeps the tests independent of shared/; when shared/ is beside the checkout, they must agree.
        for candidate in ["../shared", "../../shared"] {
            let shared = packageRoot.appendingPathComponent("\(candidate)/conformance/scap/filters.txt").standardized
            guard let text = try? String(contentsOf: shared, encoding: .utf8) else { continue }
            let copy = try String(contentsOf: packageRoot.appendingPathComponent("Tests/Fixtures/conformance/filters.txt"),
                                  encoding: .utf8)
            XCTAssertEqual(text, copy, "Tests/Fixtures/conformance/filters.txt differs from \(shared.path)")
        }
    }

    func testAll154FiltersParse() throws {
        let lines = try conformanceLines("filters.txt")
        XCTAssertEqual(lines.count, 154)
        for (i, line) in lines.enumerated() {
            XCTAssertNoThrow(try FilterParser.parse(line), "line \(i + 1): \(line)")
        }
    }

    func testEachFilterCompilesOrNamesOnlyUnsupportedFields() throws {
        var unsupported: Set<String> = []
        var compiled = 0
        for (i, line) in try conformanceLines("filters.txt").enumerated() {
            let strict = FilterCompiler(eventTypeCodes: mockEventTypeCodes)
            do {
                _ = try strict.compile(line, for: MockEvent.self)
                compiled += 1
            } catch let e as FilterError {
                guard case .unsupportedField(let name) = e.kind else {
                    XCTFail("line \(i + 1): \(line): \(e)")
                    continue
                }
                // Everything else in the filter must be fine: it compiles once unsupported fields count as absent.
                let names = try FilterCompiler.unsupportedFields(in: FilterParser.parse(line))
                XCTAssertEqual(names.first, name, line)
                unsupported.formUnion(names)
                let lenient = FilterCompiler(eventTypeCodes: mockEventTypeCodes, allowUnsupportedFields: true)
                XCTAssertNoThrow(try lenient.compile(line, for: MockEvent.self), "line \(i + 1): \(line)")
            }
        }
        // fd.dev is supported since the recorder captures INODE items (device of opened files), fd.name_changed
        // since the engine knows which events rename a socket: every filter of the corpus compiles.
        XCTAssertEqual(unsupported, [])
        XCTAssertEqual(compiled, 154)
    }

    func testEveryFieldOfTheCorpusIsInTheRegistry() throws {
        for line in try conformanceLines("filters.txt") {
            for c in try FilterParser.parse(line).comparisons {
                XCTAssertNoThrow(try FieldResolver.resolve(c.field), "\(c.field.text) in \(line)")
            }
        }
    }

    /// What kcap does with the syntax newer falcosecurity libs added (docs/filters.md lists the same).
    func testNewerSyntaxDecisions() throws {
        let accepted: Set<String> = [
            "proc.name == cat", "fd.name regex '/home/.*/dev'", "evt.source regex ^syscall$",
            "evt.buffer bcontains 303000", "evt.buffer bstartswith 303000", "evt.buffer intersects (test)",
            "fd.ip == 142.251.111.147",
        ]
        var seen = 0
        for row in try conformanceLines("filters_newer_syntax.tsv") where !row.hasPrefix("#") {
            let filter = String(row.split(separator: "\t")[0])
            seen += 1
            do {
                _ = try FilterCompiler(eventTypeCodes: mockEventTypeCodes).compile(filter, for: MockEvent.self)
                XCTAssertTrue(accepted.contains(filter), "accepted but not documented: \(filter)")
            } catch let e as FilterError {
                XCTAssertFalse(accepted.contains(filter), "\(filter): \(e)")
                guard case .unsupportedSyntax = e.kind else { XCTFail("\(filter) gave \(e), not unsupported syntax"); continue }
            }
        }
        XCTAssertEqual(seen, 20)
    }
}
