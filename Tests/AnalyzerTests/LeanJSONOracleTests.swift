import Foundation
import KcapTestSupport
import XCTest

/// `kcap read -j` on every real capture under Tests/Fixtures, judged by Python's json module and DuckDB's
/// read_json (tools/export/check_json.py): every line an object with the documented keys in order and no
/// null, one line per event `kcap read` prints, and the types docs/json.md states.
final class LeanJSONOracleTests: XCTestCase {
    func testEveryFixturesLinesParseAndLoadWithTheDocumentedTypes() throws {
        let kcap = try PythonOracle.kcapBinary()
        let fixtures = PythonOracle.repository.appendingPathComponent("Tests/Fixtures")
        let captures = ((try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? []).sorted()
            .map { fixtures.appendingPathComponent($0).appendingPathComponent("capture.kcap").path }
            .filter { FileManager.default.fileExists(atPath: $0) }
        XCTAssertGreaterThanOrEqual(captures.count, 5)
        let out = NSTemporaryDirectory() + "kcap-json-oracle-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try PythonOracle.run("check_json.py", ["--kcap", kcap, "--out", out] + captures)
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = String(decoding: r.stdout, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(lines.count, captures.count, r.stderr)
        var total = 0
        for line in lines {
            let f = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            XCTAssertEqual(f["lines"] as? Int, f["duckdb_rows"] as? Int)
            // The budget for a lean line on a real capture.
            XCTAssertLessThanOrEqual(f["bytes_per_line"] as? Double ?? .infinity, 400, "\(f)")
            total += f["lines"] as? Int ?? 0
        }
        XCTAssertGreaterThan(total, 1_000)
    }
}
