import Foundation
import KcapTestSupport
import XCTest

/// docs/fleet.md's questions over a partitioned dataset of every fixture capture (hosts `vm` and `synthetic`),
/// asked of DuckDB and of Spark (pyspark in local mode) by tools/export/fleet_queries.py and held to `kcap stats`
/// and `kcap read` of each capture: both engines read every row, and their top syscalls by time, processes that
/// executed a binary, traffic per remote address and p99 latencies per syscall are kcap's.
final class FleetOracleTests: XCTestCase {
    func testDuckDBAndSparkAnswerTheFleetQuestionsAsKcapDoes() throws {
        // Spark needs a JDK (17+); tools/deps.sh installs pyspark where there is one.
        let java = Process()
        java.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        java.arguments = ["sh", "-c", "command -v java && python3 -c 'import pyspark'"]
        java.standardOutput = FileHandle.nullDevice
        java.standardError = FileHandle.nullDevice
        try java.run()
        java.waitUntilExit()
        try XCTSkipIf(java.terminationStatus != 0, "no java or no pyspark on this machine: Spark is not asked")

        let kcap = try PythonOracle.kcapBinary()
        let captures = PythonOracle.fixtureCaptures()
        let out = NSTemporaryDirectory() + "kcap-fleet-oracle-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let export = Process()
        export.executableURL = URL(fileURLWithPath: kcap)
        export.arguments = ["export"] + captures + ["-o", out]
        try export.run()
        export.waitUntilExit()
        XCTAssertEqual(export.terminationStatus, 0)

        let r = try PythonOracle.run("fleet_queries.py", ["--kcap", kcap, "--dataset", out, "--engines", "duckdb,spark",
                                                          "--quiet"] + captures)
        XCTAssertEqual(r.status, 0, r.stderr)
        let figures = try XCTUnwrap(try PythonOracle.figures(r).last)
        let events = try XCTUnwrap(figures["kcap_events"] as? Int)
        XCTAssertGreaterThan(events, 1_000)
        XCTAssertEqual(figures["duckdb_rows"] as? Int, events)
        XCTAssertEqual(figures["spark_rows"] as? Int, events)
        for question in ["top_syscalls_by_time", "executed_binary", "connections_per_remote_address", "p99_latency_per_syscall"] {
            XCTAssertGreaterThan(figures["spark_\(question)"] as? Int ?? 0, 0, question)
        }
    }
}
