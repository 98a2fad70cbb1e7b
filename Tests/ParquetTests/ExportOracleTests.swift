import Foundation
import KcapTestSupport
import XCTest

/// `kcap export --format parquet` on every real capture under Tests/Fixtures, judged by outside readers:
/// tools/export/check_export.py reads each file with pyarrow and DuckDB, holds its schema to docs/export.md,
/// its row count to `kcap read | wc -l` and its grouped counts and latency sums to `kcap stats --json`, with
/// and without a filter; then exports them all into one Hive-partitioned dataset and checks its rows per
/// host, date and hour (DuckDB, pyarrow.dataset) against `kcap read`.
final class ExportOracleTests: XCTestCase {
    /// A filter that keeps some of every fixture's events and drops others (failures, sockets, opens).
    static let filter = "evt.failed=true or fd.type in (ipv4, ipv6, unix) or evt.type in (openat, execve, procexit)"

    private func captures() -> [String] { PythonOracle.fixtureCaptures() }

    func testEveryFixtureExportsWhatReadAndStatsSee() throws {
        let kcap = try PythonOracle.kcapBinary()
        let out = NSTemporaryDirectory() + "kcap-export-oracle-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let all = captures()
        XCTAssertGreaterThanOrEqual(all.count, 5, "fixtures not found under Tests/Fixtures")
        // One run for every capture and both filters: Python, pyarrow and DuckDB load once.
        let r = try PythonOracle.run("check_export.py", ["--kcap", kcap, "--out", out, "--dataset", "--filter", Self.filter] + all)
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = try PythonOracle.figures(r)
        XCTAssertEqual(lines.count, all.count * 2 + 2, r.stderr)
        var totalRows = 0, filteredRows = 0, datasetRows: [Int] = []
        for figures in lines {
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

    /// `kcap export --format perfetto` on every fixture, kcap's and sysdig's: tools/export/check_perfetto.py
    /// parses each trace with Perfetto's own protos (the `perfetto` package), holds its tracks, interning and
    /// slice nesting to the format's rules, its events and their arguments to `kcap read -j` one for one, its
    /// per-syscall counts, slices and nanoseconds to `kcap stats --json`, and its counters to `kcap info`.
    func testEveryFixturesPerfettoTraceParsesAndHoldsWhatStatsCounts() throws {
        let kcap = try PythonOracle.kcapBinary()
        let out = NSTemporaryDirectory() + "kcap-perfetto-oracle-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let all = captures() + PythonOracle.scapFixtures()
        let r = try PythonOracle.run("check_perfetto.py", ["--kcap", kcap, "--out", out] + all)
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = try PythonOracle.figures(r)
        XCTAssertEqual(lines.count, all.count, r.stderr)
        XCTAssertGreaterThan(lines.compactMap { $0["slices"] as? Int }.reduce(0, +), 8_000)
        XCTAssertGreaterThan(lines.compactMap { $0["processes"] as? Int }.reduce(0, +), 50)
    }

    /// `kcap export --format chrome` on every fixture: tools/export/check_trace.py holds each Chrome JSON
    /// trace to the trace-event format's fields, to `kcap read`'s events one for one, and per syscall to
    /// `kcap stats --json`'s counts, timed counts and total nanoseconds.
    func testEveryFixturesTraceHoldsWhatStatsCounts() throws {
        let kcap = try PythonOracle.kcapBinary()
        let out = NSTemporaryDirectory() + "kcap-trace-oracle-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let all = captures()
        let r = try PythonOracle.run("check_trace.py", ["--kcap", kcap, "--out", out] + all)
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = try PythonOracle.figures(r)
        XCTAssertEqual(lines.count, all.count, r.stderr)
        var slices = 0
        for f in lines {
            XCTAssertGreaterThan(f["events"] as? Int ?? 0, 0, "\(f)")
            slices += f["slices"] as? Int ?? 0
        }
        XCTAssertGreaterThan(slices, 1_000)
    }

    /// Sysdig/falco captures export too: rows and every value as `kcap read` prints them, schemas as
    /// docs/export.md, per-syscall counts and latency sums as `kcap stats` (its per-process counts of a sysdig
    /// capture follow rules of their own and are not compared).
    func testSysdigCapturesExportWhatReadPrints() throws {
        let kcap = try PythonOracle.kcapBinary()
        let out = NSTemporaryDirectory() + "kcap-scap-oracle-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let all = PythonOracle.scapFixtures()
        XCTAssertGreaterThanOrEqual(all.count, 5)
        // Unfiltered only: the filtered path is the kcap captures' (the same sinks), and this keeps the test short.
        let r = try PythonOracle.run("check_export.py", ["--kcap", kcap, "--out", out] + all)
        XCTAssertEqual(r.status, 0, r.stderr)
        let figures = try PythonOracle.figures(r)
        XCTAssertEqual(figures.count, all.count, r.stderr)
        XCTAssertGreaterThan(figures.compactMap { $0["values_compared"] as? Int }.reduce(0, +), 100_000)
        XCTAssertGreaterThan(figures.compactMap { $0["connections"] as? Int }.reduce(0, +), 0)
        // Their traces: per syscall, the events, timed calls and nanoseconds of kcap stats.
        let t = try PythonOracle.run("check_trace.py", ["--kcap", kcap, "--out", out + "-trace"] + all)
        XCTAssertEqual(t.status, 0, t.stderr)
        XCTAssertGreaterThan(try PythonOracle.figures(t).compactMap { $0["slices"] as? Int }.reduce(0, +), 4_000)
        try? FileManager.default.removeItem(atPath: out + "-trace")
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
