import Foundation
import KcapTestSupport
import XCTest

/// `kcap export --format parquet` on every real capture under Tests/Fixtures, judged by outside readers:
/// tools/export/check_export.py reads each file with pyarrow and DuckDB, holds its schema to docs/export.md,
/// its row count to `kcap read | wc -l` and its grouped counts and latency sums to `kcap stats --json`, with
/// and without a filter; then exports them all into one Hive-partitioned dataset and checks its rows per
/// host, date and hour (DuckDB, pyarrow.dataset) against `kcap read`.
final class ExportOracleTests: XCTestCase {
    static let fixtures = PythonOracle.repository.appendingPathComponent("Tests/Fixtures")
    /// A filter that keeps some of every fixture's events and drops others (failures, sockets, opens).
    static let filter = "evt.failed=true or fd.type in (ipv4, ipv6, unix) or evt.type in (openat, execve, procexit)"

    private func captures() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Self.fixtures.path)) ?? []
        return names.sorted().map { Self.fixtures.appendingPathComponent($0).appendingPathComponent("capture.kcap").path }
            .filter { FileManager.default.fileExists(atPath: $0) }
    }

    func testEveryFixtureExportsWhatReadAndStatsSee() throws {
        let kcap = try PythonOracle.kcapBinary()
        let out = NSTemporaryDirectory() + "kcap-export-oracle-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let all = captures()
        XCTAssertGreaterThanOrEqual(all.count, 5, "fixtures not found under \(Self.fixtures.path)")
        // One run for every capture and both filters: Python, pyarrow and DuckDB load once.
        let r = try PythonOracle.run("check_export.py", ["--kcap", kcap, "--out", out, "--dataset", "--filter", Self.filter] + all)
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = String(decoding: r.stdout, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(lines.count, all.count * 2 + 2, r.stderr)
        var totalRows = 0, filteredRows = 0, datasetRows: [Int] = []
        for line in lines {
            let figures = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let rows = try XCTUnwrap(figures["rows"] as? Int)
            if figures["dataset"] != nil {
                XCTAssertGreaterThanOrEqual(figures["partitions"] as? Int ?? 0, 2, "\(figures)")
                datasetRows.append(rows)
                continue
            }
            XCTAssertEqual(rows, figures["read_lines"] as? Int)
            if (figures["filter"] as? String)?.isEmpty == true {
                XCTAssertGreaterThan(rows, 0, "\(figures)")
                totalRows += rows
            } else {
                filteredRows += rows
            }
        }
        // The filter keeps some events and drops others, so both checks compare something.
        XCTAssertGreaterThan(totalRows, 1_000)
        XCTAssertGreaterThan(filteredRows, 0)
        XCTAssertLessThan(filteredRows, totalRows)
        // The dataset holds every capture's rows, unfiltered and filtered.
        XCTAssertEqual(datasetRows, [totalRows, filteredRows])
    }

    /// A bad filter and an unwritable directory end with one line and status 1, before any file is written.
    func testBadFilterAndUnwritableDirectoryFailWithOneLine() throws {
        let kcap = try PythonOracle.kcapBinary()
        let capture = try XCTUnwrap(captures().first)
        for (args, needle) in [([capture, "-o", NSTemporaryDirectory() + "kcap-x-\(getpid())", "evt.tpye=open"], "evt.type"),
                               ([capture, "-o", "/proc/kcap-no-such-dir"], "/proc/kcap-no-such-dir")] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: kcap)
            p.arguments = ["export"] + args
            let err = Pipe()
            p.standardError = err
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 1, e)
            XCTAssertTrue(e.hasPrefix("kcap export: ") && e.contains(needle), e)
            XCTAssertEqual(e.filter { $0 == "\n" }.count, 1, e)
        }
    }
}
