import XCTest
@testable import Analyzer

final class FilterParserTests: XCTestCase {
    private func cmp(_ field: String, _ op: FilterOperator, _ value: String, quoted: Bool = false) -> FilterExpression {
        .comparison(FilterComparison(field: FilterFieldName(text: field, name: field, bracketArgument: nil, column: 0),
                                     op: op, opColumn: 0, operand: .value(FilterValue(text: value, quoted: quoted, column: 0))))
    }

    /// Strips columns so trees compare by structure.
    private func shape(_ e: FilterExpression) -> String { e.description }

    private func parse(_ s: String, file: StaticString = #filePath, line: UInt = #line) -> FilterExpression? {
        do { return try FilterParser.parse(s) } catch {
            XCTFail("'\(s)' failed: \(error)", file: file, line: line)
            return nil
        }
    }

    func testEveryOperatorParses() throws {
        for op in FilterOperator.allCases {
            let text: String
            if op.isUnary { text = "proc.name \(op.spelling)" }
            else if op.takesList { text = "proc.name \(op.spelling) (a, b)" }
            else { text = "proc.name \(op.spelling) x" }
            let e = try XCTUnwrap(parse(text))
            guard case .comparison(let c) = e else { return XCTFail("\(text) gave \(e)") }
            XCTAssertEqual(c.op, op, text)
            XCTAssertEqual(c.opColumn, 11, text)
            XCTAssertEqual(c.field.text, "proc.name")
            switch (op.isUnary, op.takesList) {
            case (true, _): XCTAssertEqual(c.operand, .none)
            case (_, true): XCTAssertEqual(c.operand.values.map(\.text), ["a", "b"])
            default: XCTAssertEqual(c.operand.values.map(\.text), ["x"])
            }
        }
    }

    func testSymbolOperatorsWithoutSpaces() throws {
        let cases: [(String, FilterOperator, String)] = [
            ("evt.dir=<", .equal, "<"), ("evt.dir=>", .equal, ">"), ("evt.cpu<=1", .lessOrEqual, "1"),
            ("evt.cpu>=1", .greaterOrEqual, "1"), ("evt.cpu!=1", .notEqual, "1"), ("evt.cpu<1", .less, "1"),
            ("evt.cpu>1", .greater, "1"), ("proc.name==cat", .doubleEqual, "cat"), ("fd.name=*.log", .equal, "*.log"),
            ("fd.name contains/dir", .contains, "/dir"),
        ]
        for (text, op, value) in cases {
            guard case .comparison(let c)? = parse(text) else { XCTFail(text); continue }
            XCTAssertEqual(c.op, op, text)
            XCTAssertEqual(c.operand.values.first?.text, value, text)
        }
    }

    func testPrecedenceNotOverAndOverOr() throws {
        let e = try XCTUnwrap(parse("a.x=1 or b.x=2 and c.x=3"))
        XCTAssertEqual(shape(e), "a.x = 1 or b.x = 2 and c.x = 3")
        guard case .or(let terms) = e else { return XCTFail("\(e)") }
        XCTAssertEqual(terms.count, 2)
        guard case .and(let ands) = terms[1] else { return XCTFail("\(terms[1])") }
        XCTAssertEqual(ands.count, 2)

        let n = try XCTUnwrap(parse("not a.x=1 and b.x=2"))
        guard case .and(let nterms) = n, case .not = nterms[0] else { return XCTFail("\(n)") }

        let o = try XCTUnwrap(parse("not a.x=1 or b.x=2"))
        guard case .or(let oterms) = o, case .not = oterms[0] else { return XCTFail("\(o)") }
    }

    func testParenthesesOverridePrecedence() throws {
        let e = try XCTUnwrap(parse("(a.x=1 or b.x=2) and c.x=3"))
        XCTAssertEqual(shape(e), "(a.x = 1 or b.x = 2) and c.x = 3")
        let n = try XCTUnwrap(parse("not (a.x=1 or b.x=2)"))
        XCTAssertEqual(shape(n), "not (a.x = 1 or b.x = 2)")
        XCTAssertEqual(shape(try XCTUnwrap(parse("((((a.x=1))))"))), "a.x = 1")
        XCTAssertEqual(shape(try XCTUnwrap(parse("not not not a.x=1"))), "not not not a.x = 1")
    }

    func testAndOrChainsAreFlattened() throws {
        guard case .and(let xs)? = parse("a.x=1 and (b.x=2 and c.x=3) and d.x=4") else { return XCTFail() }
        XCTAssertEqual(xs.count, 4)
        guard case .or(let ys)? = parse("a.x=1 or b.x=2 or c.x=3") else { return XCTFail() }
        XCTAssertEqual(ys.count, 3)
    }

    func testKeywordsNeedNoSpaceNextToParentheses() throws {
        let e = try XCTUnwrap(parse("(a.x=1)and(b.x=2)or not(c.x=3)"))
        XCTAssertEqual(shape(e), "a.x = 1 and b.x = 2 or not c.x = 3")
    }

    func testKeywordPrefixesAreNotKeywords() throws {
        // "notification" and "order" are values and fields, not "not"/"or".
        let e = try XCTUnwrap(parse("evt.type=notification or order.x=1"))
        XCTAssertEqual(e.comparisons.map(\.field.text), ["evt.type", "order.x"])
        XCTAssertEqual(e.comparisons[0].operand.values.first?.text, "notification")
    }

    func testQuotedValuesAndEscapes() throws {
        let cases: [(String, String)] = [
            ("proc.name = 'some proc'", "some proc"),
            ("proc.name = \"some proc\"", "some proc"),
            ("proc.name = \"say \\\"hi\\\"\"", "say \"hi\""),
            ("proc.name = 'it\\'s'", "it's"),
            ("proc.name = \"a\\\\b\"", "a\\b"),
            ("proc.name = \"tab\\there\\nnl\\r\"", "tab\there\nnl\r"),
            ("proc.name = \"\\x41\\x42\"", "AB"),
            ("proc.name = '\\d+'", "\\d+"),          // unknown escapes stay as written (regexes)
            ("proc.name = \"it's\"", "it's"),
            ("proc.name = 'say \"x\"'", "say \"x\""),
            ("proc.name = ''", ""),
            ("proc.name = '(x, y)'", "(x, y)"),
        ]
        for (text, value) in cases {
            guard case .comparison(let c)? = parse(text) else { XCTFail(text); continue }
            XCTAssertEqual(c.operand.values.first?.text, value, text)
            XCTAssertEqual(c.operand.values.first?.quoted, true, text)
            XCTAssertEqual(c.operand.values.first?.column, 13, text)
        }
    }

    func testListsWithSpacesAndQuotes() throws {
        let cases: [(String, [String])] = [
            ("proc.name in (cat, nginx)", ["cat", "nginx"]),
            ("proc.name in ( nginx, apache)", ["nginx", "apache"]),
            ("proc.name in ('some proc', apache)", ["some proc", "apache"]),
            ("evt.type in ( 'select', 'poll' )", ["select", "poll"]),
            ("proc.name in (a,b,c)", ["a", "b", "c"]),
            ("fd.name pmatch (/opt/dir, /opt/dir2)", ["/opt/dir", "/opt/dir2"]),
            ("fd.ip in (127.0.0.1, ::1)", ["127.0.0.1", "::1"]),
        ]
        for (text, values) in cases {
            guard case .comparison(let c)? = parse(text), case .list(let vs) = c.operand else { XCTFail(text); continue }
            XCTAssertEqual(vs.map(\.text), values, text)
        }
    }

    func testBareValuesKeepAddressesAndCIDRs() throws {
        for v in ["127.0.0.1", "0:0:0:0:0:0:0:1", "2001:4860:4860::8888", "10.0.0.0/8", "-1", "0x1f", "O_CREAT|O_RDWR"] {
            guard case .comparison(let c)? = parse("fd.x = \(v)") else { XCTFail(v); continue }
            XCTAssertEqual(c.operand.values.first?.text, v)
            XCTAssertEqual(c.operand.values.first?.quoted, false)
        }
    }

    func testFieldArguments() throws {
        let cases: [(String, String, String?)] = [
            ("evt.arg[0] = x", "evt.arg", "0"), ("proc.aname[1] = x", "proc.aname", "1"),
            ("evt.arg.flags = x", "evt.arg.flags", nil), ("fd.name_changed = true", "fd.name_changed", nil),
            ("evt.arg['fd'] = 3", "evt.arg", "fd"), ("evt.arg[\"fd\"] = 3", "evt.arg", "fd"),
        ]
        for (text, name, arg) in cases {
            guard case .comparison(let c)? = parse(text) else { XCTFail(text); continue }
            XCTAssertEqual(c.field.name, name, text)
            XCTAssertEqual(c.field.bracketArgument, arg, text)
            XCTAssertEqual(c.field.column, 1)
        }
    }

    func testColumnsCountCharacters() throws {
        guard case .comparison(let c)? = parse("  proc.name  =  'é' ") else { return XCTFail() }
        XCTAssertEqual(c.field.column, 3)
        XCTAssertEqual(c.opColumn, 14)
        XCTAssertEqual(c.operand.values.first?.column, 17)
        // A multi-byte character before an error moves the column by one, not by its UTF-8 length.
        XCTAssertEqual(columnOf("proc.name = 'é' xyz"), 17)
    }

    private func columnOf(_ s: String) -> Int {
        do { _ = try FilterParser.parse(s); return 0 } catch let e as FilterError { return e.column } catch { return -1 }
    }

    func testDescriptionReadsBackToTheSameTree() throws {
        for line in try conformanceLines("filters.txt") {
            let first = try FilterParser.parse(line)
            let again = try FilterParser.parse(first.description)
            XCTAssertEqual(first.description, again.description, line)
            XCTAssertEqual(first.comparisons.map(\.operand.values).map { $0.map(\.text) },
                           again.comparisons.map(\.operand.values).map { $0.map(\.text) }, line)
        }
    }
}
