import XCTest
@testable import Analyzer

/// Every error kind, with its column and suggestion, and the one line the user sees.
final class FilterErrorTests: XCTestCase {
    private func check(_ filter: String, _ kind: FilterError.Kind, column: Int,
                       file: StaticString = #filePath, line: UInt = #line) {
        guard let e = filterError(filter, file: file, line: line) else { return }
        XCTAssertEqual(e.kind, kind, filter, file: file, line: line)
        XCTAssertEqual(e.column, column, "column for '\(filter)': \(e)", file: file, line: line)
    }

    func testUnknownOperatorSuggestsTheNearest() {
        check("fd.name contians foo", .unknownOperator("contians", suggestion: "contains"), column: 9)
        check("proc.name startwith x", .unknownOperator("startwith", suggestion: "startswith"), column: 11)
        check("proc.name icontain x", .unknownOperator("icontain", suggestion: "icontains"), column: 11)
        check("proc.name frobnicate x", .unknownOperator("frobnicate", suggestion: nil), column: 11)
    }

    func testTheUserSeesOneLine() {
        let e = filterError("evt.type=x and fd.name contians foo")
        XCTAssertEqual(e?.description, "filter error at column 24: unknown operator 'contians'; did you mean 'contains'?")
        let f = filterError("proc.nme = cat")
        XCTAssertEqual(f?.description, "filter error at column 1: unknown field 'proc.nme'; did you mean 'proc.name'?")
        XCTAssertFalse(f?.description.contains("\n") ?? true)
    }

    /// Issue 8: `evt.arg[-1]` was taken as a parameter named "-1", `evt.arg[4294967296]` and `proc.aname[65]`
    /// as indexes no event has. Every integer index is checked against its field's range.
    func testFieldIndexesOutsideTheirRangeAreRejected() {
        check("evt.arg[-1] = 3", .fieldIndexOutOfRange(field: "evt.arg", index: "-1", range: 0...5), column: 1)
        check("evt.arg[4294967296] = 3", .fieldIndexOutOfRange(field: "evt.arg", index: "4294967296", range: 0...5), column: 1)
        check("evt.type=read and evt.arg[6] = 3", .fieldIndexOutOfRange(field: "evt.arg", index: "6", range: 0...5), column: 19)
        check("proc.aname[65] = bash", .fieldIndexOutOfRange(field: "proc.aname", index: "65", range: 0...64), column: 1)
        check("proc.apid[-2] = 1", .fieldIndexOutOfRange(field: "proc.apid", index: "-2", range: 0...64), column: 1)
        // Larger than any Int: still an index, still one error, no trap.
        check("proc.aname[99999999999999999999999] = x",
              .fieldIndexOutOfRange(field: "proc.aname", index: "99999999999999999999999", range: 0...64), column: 1)
        XCTAssertEqual(filterError("proc.aname[65] = bash")?.description,
                       "filter error at column 1: index 65 of field 'proc.aname' is out of range; valid indexes are 0 to 64")
        // The ends of the ranges, and names, still resolve.
        for ok in ["evt.arg[0] = 1", "evt.arg[5] = 1", "evt.arg[fd] = 1", "proc.aname[64] = x", "proc.aname[0] = x", "proc.aname = x"] {
            XCTAssertNoThrow(try FilterCompiler(eventTypeCodes: mockEventTypeCodes).compile(ok, for: MockEvent.self), ok)
        }
        XCTAssertThrowsError(try FieldResolver.resolve("evt.arg[7]"), "-p formats resolve through the same check")
    }

    func testUnknownFieldSuggestsTheNearest() {
        check("proc.nme = cat", .unknownField("proc.nme", suggestion: "proc.name"), column: 1)
        check("evt.type=open and fd.nmae=x", .unknownField("fd.nmae", suggestion: "fd.name"), column: 19)
        check("thread.tdi = 1", .unknownField("thread.tdi", suggestion: "thread.tid"), column: 1)
        check("foo.bar = 1", .unknownField("foo.bar", suggestion: nil), column: 1)
    }

    func testUnsupportedFieldIsNamedNotASyntaxError() {
        check("evt.type=open and proc.env != host", .unsupportedField("proc.env"), column: 19)
        check("fd.is_server=true", .unsupportedField("fd.is_server"), column: 1)
        check("user.homedir = /root", .unsupportedField("user.homedir"), column: 1)
        XCTAssertEqual(filterError("user.homedir = /root")?.message,
                       "unsupported field 'user.homedir' (known to sysdig, not provided by kcap yet)")
    }

    func testUnknownFieldsAreReportedBeforeUnsupportedOnes() {
        check("proc.env = x and proc.nmae = y", .unknownField("proc.nmae", suggestion: "proc.name"), column: 18)
    }

    func testUnexpectedEnd() {
        check("", .unexpectedEnd(expected: "a field"), column: 1)
        check("   ", .unexpectedEnd(expected: "a field"), column: 1)
        check("proc.name", .unexpectedEnd(expected: "an operator after 'proc.name'"), column: 10)
        check("proc.name =", .unexpectedEnd(expected: "a value"), column: 12)
        check("proc.name = x and", .unexpectedEnd(expected: "a field, 'not' or '('"), column: 18)
        check("not", .unexpectedEnd(expected: "a field, 'not' or '('"), column: 4)
        check("proc.name in", .unexpectedEnd(expected: "'(' and a list after 'in'"), column: 13)
        check("evt.arg[0 = x", .unexpectedEnd(expected: "']' closing the '[' at column 8"), column: 14)
    }

    func testUnexpectedTokens() {
        check("proc.name = x y.z = 1", .unexpectedToken("y.z", expected: "'and', 'or' or end of filter"), column: 15)
        check("proc.name = x)", .unexpectedToken(")", expected: "'and', 'or' or end of filter (no '(' to close)"), column: 14)
        check("(proc.name = x y", .unexpectedToken("y", expected: "'and', 'or' or ')'"), column: 16)
        check("proc.name in cat", .unexpectedToken("cat", expected: "'(' and a list after 'in'"), column: 14)
        check("proc.name in (a b)", .unexpectedToken("b", expected: "',' or ')'"), column: 17)
        check("proc.name in (a, )", .unexpectedToken(")", expected: "a value"), column: 18)
        check("proc.name = (a)", .unexpectedToken("(", expected: "a value"), column: 13)
        check("= x", .unexpectedToken("=", expected: "a field, 'not' or '('"), column: 1)
        check("proc.name and x", .unexpectedToken("and", expected: "an operator after 'proc.name'"), column: 11)
        check("proc.name ~ x", .unexpectedToken("~", expected: "an operator after 'proc.name'"), column: 11)
        check("proc.name(x) = 1", .unexpectedToken("(", expected: "an operator after 'proc.name'"), column: 10)
        check("proc.name = x AND proc.pid = 1",
              .unexpectedToken("AND", expected: "'and', 'or' or end of filter (keywords are lower case)"), column: 15)
    }

    func testUnterminatedStringPointsAtItsQuote() {
        check("proc.name = 'abc", .unterminatedString, column: 13)
        check("proc.name in (\"a, b)", .unterminatedString, column: 15)
        check("proc.name = \"abc\\\"", .unterminatedString, column: 13)
    }

    func testUnclosedParenthesisPointsAtIt() {
        check("(proc.name = a and (proc.pid = 1)", .missingCloseParenthesis, column: 1)
        check("proc.name in (a, b", .missingCloseParenthesis, column: 14)
    }

    func testEmptyList() {
        check("proc.name in ()", .emptyList, column: 14)
        check("fd.name pmatch (  )", .emptyList, column: 16)
    }

    func testInvalidFieldArguments() {
        check("proc.name[1] = x", .invalidFieldArgument(field: "proc.name", argument: "1"), column: 1)
        check("evt.arg = x", .invalidFieldArgument(field: "evt.arg", argument: ""), column: 1)
        check("evt.rawarg = 1", .invalidFieldArgument(field: "evt.rawarg", argument: ""), column: 1)
        check("proc.aname[x] = bash", .invalidFieldArgument(field: "proc.aname", argument: "x"), column: 1)
        check("evt.arg.fd[1] = 3", .invalidFieldArgument(field: "evt.arg", argument: "evt.arg.fd[1]"), column: 1)
    }

    func testConstantsOfTheWrongType() {
        check("evt.cpu = abc", .invalidValue("abc", field: "evt.cpu", expected: "a number"), column: 11)
        check("proc.pid in (1, x)", .invalidValue("x", field: "proc.pid", expected: "a number"), column: 17)
        check("evt.failed = maybe", .invalidValue("maybe", field: "evt.failed", expected: "a boolean (true or false)"), column: 14)
        check("fd.sport = 70000", .invalidValue("70000", field: "fd.sport", expected: "a port number"), column: 12)
        check("fd.sip = 1.2.3", .invalidValue("1.2.3", field: "fd.sip", expected: "an IP address"), column: 10)
        check("fd.net = 10.0.0.0/33", .invalidValue("10.0.0.0/33", field: "fd.net", expected: "a network (CIDR such as 10.0.0.0/8)"), column: 10)
        check("evt.latency > 5 minutes", .unexpectedToken("minutes", expected: "'and', 'or' or end of filter"), column: 17)
        check("evt.latency > 5min", .invalidValue("5min", field: "evt.latency", expected: "a duration (nanoseconds, or a number with ns, us, ms or s)"), column: 15)
        check("evt.buffer bcontains 3g", .invalidValue("3g", field: "evt.buffer", expected: "hex bytes such as 303000"), column: 22)
    }

    func testOperatorsThatDoNotApplyToTheFieldType() {
        check("fd.sip contains 1", .operatorNotApplicable("contains", field: "fd.sip", type: .ipaddr), column: 8)
        check("evt.cpu startswith 1", .operatorNotApplicable("startswith", field: "evt.cpu", type: .int), column: 9)
        check("fd.net < 10.0.0.0/8", .operatorNotApplicable("<", field: "fd.net", type: .ipnet), column: 8)
        check("fd.ip glob 1*", .operatorNotApplicable("glob", field: "fd.ip", type: .ipaddr), column: 7)
    }

    func testInvalidRegex() {
        check("proc.name regex 'a(b'", .invalidRegex("a(b", reason: "missing ): a(b"), column: 17)
    }

    func testNewerSyntaxIsNamedAsUnsupported() {
        check("proc.name = allof (cat)", .unsupportedSyntax("list modifier 'allof'"), column: 13)
        check("evt.type != oneof (openat, execve)", .unsupportedSyntax("list modifier 'oneof'"), column: 13)
        check("tolower(proc.name) = cat", .unsupportedSyntax("transformer 'tolower()'"), column: 1)
        check("evt.arg.res = val(evt.arg.res)", .unsupportedSyntax("field comparison 'val()'"), column: 15)
    }

    func testDeepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "(", count: 100_000) + "proc.pid=1" + String(repeating: ")", count: 100_000)
        check(deep, .nestingTooDeep(limit: FilterParser.maxDepth), column: FilterParser.maxDepth + 1)
        let nots = String(repeating: "not ", count: 10_000) + "proc.pid=1"
        check(nots, .nestingTooDeep(limit: FilterParser.maxDepth), column: 4 * FilterParser.maxDepth + 1)
        let fine = String(repeating: "(", count: 150) + "proc.pid=1" + String(repeating: ")", count: 150)
        XCTAssertNoThrow(try FilterCompiler().compile(fine, for: MockEvent.self))
    }

    func testEditDistanceCountsSwapsAsOneEdit() {
        XCTAssertEqual(EditDistance.distance("contians", "contains"), 1)
        XCTAssertEqual(EditDistance.distance("proc.nme", "proc.name"), 1)
        XCTAssertEqual(EditDistance.distance("", "abc"), 3)
        XCTAssertEqual(EditDistance.distance("kitten", "sitting"), 3)
        XCTAssertNil(EditDistance.nearest(to: "xyz", in: ["proc.name"]))
    }

    /// The cap only shortens the work: over every pair of real field names (and each name with one letter
    /// dropped, swapped or changed), the capped distance is the exact one when it is within the cap, and past the cap when the exact one is.
    func testCappedEditDistanceAgreesWithTheFullTable() {
        var words = Array(FieldRegistry.names.prefix(60))
        for n in FieldRegistry.names.prefix(20) where n.count > 3 {
            var c = Array(n)
            c.swapAt(1, 2)
            words.append(String(c))
            words.append(String(n.dropLast()))
            words.append("x" + n.dropFirst())
        }
        var checked = 0
        for a in words {
            for b in words {
                let full = EditDistance.distance(a, b)
                for cap in 0...3 {
                    let capped = EditDistance.distance(a, b, cap: cap)
                    if full <= cap {
                        XCTAssertEqual(capped, full, "\(a) / \(b) cap \(cap)")
                    } else {
                        XCTAssertGreaterThan(capped, cap, "\(a) / \(b) cap \(cap)")
                    }
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 10_000)
    }
}

/// `DirectionCheck`: a filter that needs an entry event (`evt.dir='>'`) matches nothing in a kcap capture and
/// gets one warning; one that an exit can pass gets none.
final class DirectionCheckTests: XCTestCase {
    func testFiltersThatNeedAnEntryWarn() {
        for f in ["evt.dir='>'", "evt.dir = >", "evt.type=open and evt.dir='>'", "not evt.dir='<'", "evt.dir in ('>')",
                  "evt.dir != '<'", "(evt.dir='>' or evt.dir='>') and proc.name=x"] {
            XCTAssertNotNil(DirectionCheck.warning(filter: f), f)
        }
        for f in ["evt.dir='<'", "evt.type=open", "evt.dir='>' or proc.name=x", "not evt.dir='>'", "evt.dir exists",
                  "evt.dir in ('>', '<')", "evt.dir = ", "proc.name = ("] {
            XCTAssertNil(DirectionCheck.warning(filter: f), f)
        }
    }
}
