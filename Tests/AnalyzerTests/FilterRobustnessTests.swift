import XCTest
@testable import Analyzer

/// Hostile and broken input: every prefix of every corpus filter, and random token soup, either compiles or
/// fails with a FilterError whose column lies inside the text (or just past it). Never a crash.
final class FilterRobustnessTests: XCTestCase {
    private func checkNoCrash(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try FilterCompiler(eventTypeCodes: mockEventTypeCodes, allowUnsupportedFields: true)
                .compile(text, for: MockEvent.self)
        } catch let e as FilterError {
            let length = text.unicodeScalars.count
            XCTAssertTrue((1...length + 1).contains(e.column), "column \(e.column) outside '\(text)': \(e)", file: file, line: line)
            XCTAssertFalse(e.description.contains("\n"), file: file, line: line)
        } catch {
            XCTFail("non-filter error for '\(text)': \(error)", file: file, line: line)
        }
    }

    func testEveryPrefixOfTheCorpus() throws {
        for filter in try conformanceLines("filters.txt") {
            let scalars = Array(filter.unicodeScalars)
            for n in 0...scalars.count {
                checkNoCrash(String(String.UnicodeScalarView(scalars[0..<n])))
            }
        }
    }

    func testRandomTokenSoup() {
        let tokens = ["proc.name", "evt.type", "fd.ip", "fd.net", "evt.arg[0]", "proc.aname[", "evt.buffer", "=", "!=",
                      "<", ">=", "contains", "in", "pmatch", "exists", "glob", "regex", "bcontains", "(", ")", ",", "'",
                      "\"", "\\", "and", "or", "not", "nginx", "10.0.0.0/8", "::1", "-1", "0x", "*", "[", "]", "é", " ",
                      "\t", "oneof", "tolower(", "val("]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let count = Int.random(in: 1...12, using: &rng)
            let text = (0..<count).map { _ in tokens.randomElement(using: &rng)! }.joined(separator: Bool.random() ? " " : "")
            checkNoCrash(text)
        }
    }
}
