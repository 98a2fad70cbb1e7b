import Foundation
import KcapTestSupport
import XCTest

/// `kcap read -j` on every real capture under Tests/Fixtures, judged by Python's json module and DuckDB's
/// read_json (tools/export/check_json.py): every line an object with the documented keys in order and no
/// null, one line per event `kcap read` prints, and the types docs/json.md states.
final class LeanJSONOracleTests: XCTestCase {
    func testEveryFixturesLinesParseAndLoadWithTheDocumentedTypes() throws {
        let kcap = try PythonOracle.kcapBinary()
        // kcap's own captures, and sysdig/falco captures (entry and exit events, sysdig's parameters).
        let captures = PythonOracle.fixtureCaptures() + PythonOracle.scapFixtures()
        XCTAssertGreaterThanOrEqual(captures.count, 10)
        let out = NSTemporaryDirectory() + "kcap-json-oracle-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try PythonOracle.run("check_json.py", ["--kcap", kcap, "--out", out] + captures)
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = try PythonOracle.figures(r)
        XCTAssertEqual(lines.count, captures.count, r.stderr)
        var total = 0
        for f in lines {
            XCTAssertEqual(f["lines"] as? Int, f["duckdb_rows"] as? Int)
            // The budget for a lean line on a real capture.
            XCTAssertLessThanOrEqual(f["bytes_per_line"] as? Double ?? .infinity, 400, "\(f)")
            total += f["lines"] as? Int ?? 0
        }
        XCTAssertGreaterThan(total, 1_000)
    }
}
