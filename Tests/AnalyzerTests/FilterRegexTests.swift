import Foundation
import XCTest
import CaptureFormat
@testable import Analyzer

/// The `regex` operator on RE2 (issue 8, item 5): linear time whatever the pattern, sysdig's semantics
/// (RE2::POSIX, whole-value match, UTF-8), invalid patterns rejected when the filter is compiled, and the same
/// answers as an independent check on every event of a real capture.
final class FilterRegexTests: XCTestCase {
    private func event(fdName: String) -> MockEvent {
        var e = MockEvent()
        e[s: .fdName] = fdName
        return e
    }

    private func event(fdNameBytes: [UInt8]) -> MockEvent {
        var e = MockEvent()
        e.buffers[FieldRef(.fdName)] = fdNameBytes
        return e
    }

    /// Seconds `filter` takes to evaluate `event` `times` times (compiled once, outside the clock).
    private func seconds(_ filter: String, _ event: MockEvent, times: Int, expect: Bool) throws -> Double {
        let f = try compile(filter)
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<times { XCTAssertEqual(f.matches(event), expect, filter) }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// The issue's reproducer: `(a+)+$` on a 20-character path took over 60 s with the backtracking engine.
    /// A linear-time engine answers it as fast as a trivial pattern on the same input; the bound (20x the
    /// trivial pattern, plus scheduling slack) is far below the exponential blow-up (2^20 paths at 20 bytes,
    /// unbounded at 64 KiB), so a backtracking engine fails or hangs here.
    func testPathologicalPatternIsLinear() throws {
        let short = event(fdName: String(repeating: "a", count: 20) + "!")
        XCTAssertFalse(eval("fd.name regex '(a+)+$'", short))

        let long = event(fdName: String(repeating: "a", count: 65536) + "!")
        let trivial = try seconds("fd.name regex 'a*!'", long, times: 50, expect: true)
        let pathological = try seconds("fd.name regex '(a+)+$'", long, times: 50, expect: false)
        let nested = try seconds("fd.name regex '(a|aa)*(a*)*b'", long, times: 50, expect: false)
        XCTAssertLessThan(pathological, trivial * 20 + 0.25, "pathological \(pathological) s vs trivial \(trivial) s")
        XCTAssertLessThan(nested, trivial * 20 + 0.25, "nested \(nested) s vs trivial \(trivial) s")
    }

    /// sysdig matches with RE2's ANCHOR_BOTH: the pattern must cover the whole value, not a substring.
    func testMatchesTheWholeValueAsSysdig() {
        let e = event(fdName: "/etc/nginx/nginx.conf")
        for f in ["fd.name regex '/etc/.*'", "fd.name regex '.*\\.conf'", "fd.name regex '/etc/(nginx/)+nginx\\.conf'",
                  "fd.name regex '/etc/[a-z]+/[[:alpha:]]+\\.(conf|cfg)'", "fd.name regex '/e.c/ngin{1}x/.*'",
                  "fd.name regex ^/etc/.*$", "not fd.name regex 'nginx'"] {
            XCTAssertTrue(eval(f, e), f)
        }
        for f in ["fd.name regex 'nginx'", "fd.name regex '/etc'", "fd.name regex 'nginx\\.conf'", "fd.name regex ''",
                  "fd.name regex '.*\\.cfg'", "fd.name regex '/ETC/.*'"] {
            XCTAssertFalse(eval(f, e), f)
        }
        XCTAssertTrue(eval("fd.name regex ''", event(fdName: "")))
    }

    /// Values are matched as UTF-8, as sysdig does: `.` is one character (both bytes of `é`), a literal
    /// non-ASCII pattern matches its bytes, and a value that is not valid UTF-8 is matched by no pattern
    /// (RE2 never matches an invalid byte; `bcontains` and `glob` still reach such paths).
    func testBytesAbove0x7F() {
        let cafe = event(fdNameBytes: Array("/tmp/caf".utf8) + [0xC3, 0xA9])
        XCTAssertTrue(eval("fd.name regex '/tmp/caf.'", cafe))
        XCTAssertTrue(eval("fd.name regex '/tmp/café'", cafe))
        XCTAssertTrue(eval("fd.name regex '/tmp/caf[é]'", cafe))
        XCTAssertFalse(eval("fd.name regex '/tmp/caf..'", cafe))
        XCTAssertFalse(eval("fd.name regex '/tmp/caf'", cafe))

        let invalid = event(fdNameBytes: Array("/tmp/x".utf8) + [0xFF] + Array("y".utf8))
        XCTAssertFalse(eval("fd.name regex '.*'", invalid))
        XCTAssertFalse(eval("fd.name regex '/tmp/x.y'", invalid))
        XCTAssertFalse(eval("fd.name regex '/tmp/x[^a]y'", invalid))
        XCTAssertTrue(eval("not fd.name regex '.*'", invalid))
        XCTAssertTrue(eval("fd.name bcontains ff", invalid))
        XCTAssertTrue(eval("fd.name glob '/tmp/x?y'", invalid))
    }

    /// A pattern RE2 does not compile is a filter error at the constant's column with RE2's reason; that
    /// includes the Perl-only syntax that sysdig's RE2::POSIX options reject (`\d`, `(?i)`, `(?:`).
    func testInvalidPatternsAreFilterErrors() {
        let cases: [(String, String, Int, String)] = [
            ("proc.name regex 'a(b'", "a(b", 17, "missing ): a(b"),
            ("fd.name regex '*'", "*", 15, "no argument for repetition operator: *"),
            ("fd.name regex 'a{2,1}'", "a{2,1}", 15, "invalid repetition size: {2,1}"),
            ("fd.name regex '[z-a]'", "[z-a]", 15, "invalid character class range: z-a"),
            ("evt.type = open and fd.name regex '\\d+'", "\\d+", 35, "invalid escape sequence: \\d"),
            ("fd.name regex '(?i)etc'", "(?i)etc", 15, "no argument for repetition operator: ?"),
        ]
        for (filter, pattern, column, reason) in cases {
            guard let e = filterError(filter) else { continue }
            XCTAssertEqual(e, FilterError(.invalidRegex(pattern, reason: reason), column: column), filter)
            XCTAssertEqual(e.description, "filter error at column \(column): invalid regular expression '\(pattern)': \(reason)")
        }
    }

    /// Every event of the `files` fixture: each regex filter agrees with the same condition written in
    /// plain Swift, and each matches some events and misses others (so the comparison is not vacuous).
    func testAgreesWithAnIndependentCheckOnARealCapture() throws {
        let path = GoldenTests.fixtures.appendingPathComponent("files/capture.kcap").path
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("fixture files is not in this checkout") }
        let replay = CaptureReplay(reader: try CaptureReader(path: path))
        let compiler = FilterCompiler(eventTypeCodes: Event.typeCodes(machine: replay.engine.machine))

        func isUpper(_ s: Substring) -> Bool { !s.isEmpty && s.utf8.allSatisfy { $0 >= 65 && $0 <= 90 } }
        func isSharedObject(_ name: String) -> Bool {
            // .*\.so(\.[0-9]+)*: ".so" followed only by ".N" groups.
            var rest = Substring(name)
            while let dot = rest.lastIndex(of: ".") {
                let digits = rest[rest.index(after: dot)...]
                guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { break }
                rest = rest[..<dot]
            }
            return rest.hasSuffix(".so")
        }
        let checks: [(String, (String?, String?) -> Bool)] = [
            ("fd.name regex '/usr/lib/locale/C\\.utf8/LC_[A-Z]+'",
             { fd, _ in fd.map { $0.hasPrefix("/usr/lib/locale/C.utf8/LC_") && isUpper($0.dropFirst(26)) } ?? false }),
            ("fd.name regex '.*\\.so(\\.[0-9]+)*'", { fd, _ in fd.map(isSharedObject) ?? false }),
            ("fd.name regex '.*libc.*'", { fd, _ in fd?.contains("libc") ?? false }),
            ("fd.name regex '/tmp/kcap-fixtures/files/[ab]\\.txt'",
             { fd, _ in fd == "/tmp/kcap-fixtures/files/a.txt" || fd == "/tmp/kcap-fixtures/files/b.txt" }),
            ("proc.name regex 'ca.|mv'", { _, p in p.map { ($0.count == 3 && $0.hasPrefix("ca")) || $0 == "mv" } ?? false }),
            ("not fd.name regex '/(usr/)?lib.*'",
             { fd, _ in !(fd.map { $0.hasPrefix("/lib") || $0.hasPrefix("/usr/lib") } ?? false) }),
        ]
        struct Agreement: EventConsumer {
            var filters: [(EventFilter, (String?, String?) -> Bool)]
            var matched: [Int]
            var missed: [Int]
            var disagreements: [String] = []
            mutating func consume(_ e: Event) -> Bool {
                for (i, (f, expected)) in filters.enumerated() {
                    let got = f.matches(e.fields)
                    if got != expected(e.fdName, e.procName), disagreements.count < 10 {
                        disagreements.append("filter \(i) gave \(got) for fd.name=\(e.fdName ?? "-") proc.name=\(e.procName ?? "-")")
                    }
                    if got { matched[i] += 1 } else { missed[i] += 1 }
                }
                return true
            }
        }
        var c = Agreement(filters: try checks.map { (try compiler.compile($0.0, for: Event.self), $0.1) },
                          matched: Array(repeating: 0, count: checks.count), missed: Array(repeating: 0, count: checks.count))
        try replay.run(into: &c)
        XCTAssertEqual(c.disagreements, [])
        for (i, check) in checks.enumerated() {
            XCTAssertGreaterThan(c.matched[i], 0, check.0)
            XCTAssertGreaterThan(c.missed[i], 0, check.0)
        }
    }
}
