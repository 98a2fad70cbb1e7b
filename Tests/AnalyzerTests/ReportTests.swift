import CaptureFormat
import Foundation
import KcapTestSupport
import XCTest
@testable import Analyzer

/// `kcap report`: the page in a real browser (tools/report/check_report.py drives Debian's headless Chromium
/// over every fixture), the golden data section, determinism, and the accumulator's bounds.
final class ReportTests: XCTestCase {
    static let fixtures = PythonOracle.repository.appendingPathComponent("Tests/Fixtures")
    /// Keeps some of every fixture's events and drops others, as the export oracle's.
    static let filter = "evt.failed=true or fd.type in (ipv4, ipv6, unix) or evt.type in (openat, execve, procexit)"

    /// Every fixture's report (and every kcap fixture's filtered report) opens in headless Chromium without a
    /// script error or console message, its screenshot is not blank, its numbers are `kcap stats --json`'s, and
    /// the `kcap read` commands of sampled rows list what the rows count.
    func testEveryFixturesReportOpensInABrowserWithStatsNumbers() throws {
        let kcap = try PythonOracle.kcapBinary()
        let out = NSTemporaryDirectory() + "kcap-report-browser-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let captures = PythonOracle.fixtureCaptures(), scaps = PythonOracle.scapFixtures()
        XCTAssertGreaterThanOrEqual(captures.count, 5, "fixtures not found under Tests/Fixtures")
        XCTAssertGreaterThanOrEqual(scaps.count, 5)
        let r = try PythonOracle.run("check_report.py", ["--kcap", kcap, "--out", out, "--filter", Self.filter] + captures + scaps,
                                     directory: "tools/report")
        XCTAssertEqual(r.status, 0, r.stderr)
        let pages = try PythonOracle.figures(r)
        XCTAssertEqual(pages.count, captures.count * 2 + scaps.count, r.stderr)
        var commands = 0, events = 0
        for page in pages {
            XCTAssertGreaterThanOrEqual(page["screenshot_colours"] as? Int ?? 0, 64, "\(page)")
            XCTAssertLessThan(page["html_bytes"] as? Int ?? .max, 1 << 20, "\(page)")
            commands += page["commands_checked"] as? Int ?? 0
            events += page["events"] as? Int ?? 0
        }
        XCTAssertGreaterThan(events, 10_000)
        XCTAssertGreaterThan(commands, 100)
    }

    /// Runs `kcap report ARGS` in `directory`; returns the page.
    static func report(_ args: [String], in directory: URL) throws -> String {
        let kcap = try PythonOracle.kcapBinary()
        let out = NSTemporaryDirectory() + "kcap-report-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).html"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: kcap)
        p.arguments = ["report"] + args + ["-o", out]
        p.currentDirectoryURL = directory
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "kcap report \(args.joined(separator: " "))")
        return try String(contentsOfFile: out, encoding: .utf8)
    }

    /// The data section of the workload fixture's report, pretty-printed, against
    /// Tests/Fixtures/workload/report-data.golden (`KCAP_RECORD_GOLDENS=1` re-records it, and fails).
    func testWorkloadReportDataIsGolden() throws {
        let dir = Self.fixtures.appendingPathComponent("workload")
        let html = try Self.report(["capture.kcap"], in: dir)
        let section = try XCTUnwrap(ReportPage.dataSection(of: html))
        let data = try JSONDecoder().decode(ReportData.self, from: Data(section.utf8))
        // The compact section is exactly the encoder's bytes of what it decodes to: nothing else in it.
        XCTAssertEqual(section, try ReportPage.json(data))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let pretty = String(decoding: try encoder.encode(data), as: UTF8.self) + "\n"
        let golden = dir.appendingPathComponent("report-data.golden")
        if GoldenTests.recording {
            try pretty.write(to: golden, atomically: true, encoding: .utf8)
            XCTFail("re-recorded \(golden.path); review the diff")
            return
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        if pretty != expected {
            let a = pretty.split(separator: "\n", omittingEmptySubsequences: false)
            let b = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let i = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
            XCTFail("report data differs from \(golden.path) at line \(i + 1): got '\(i < a.count ? a[i] : "<end>")', want '\(i < b.count ? b[i] : "<end>")' (re-record with KCAP_RECORD_GOLDENS=1)")
        }
        // What the golden pins, said plainly.
        XCTAssertEqual(data.stats.events, 142)
        XCTAssertEqual(data.query.paths, ["capture.kcap"])
        XCTAssertEqual(data.timeline.total.reduce(0, +), 142)
        XCTAssertEqual(data.processes.rows.first { $0.pid == data.timeline.series.first?.pid }?.exitStatus, 42)
    }

    /// The same input gives the same bytes, page and all; a filter and a window change the data.
    func testReportIsDeterministic() throws {
        let dir = Self.fixtures.appendingPathComponent("files")
        let a = try Self.report(["capture.kcap"], in: dir)
        let b = try Self.report(["capture.kcap"], in: dir)
        XCTAssertEqual(a, b)
        let filtered = try Self.report(["capture.kcap", "--since", "+2ms", "--until", "+10ms", "evt.type=openat"], in: dir)
        let data = try JSONDecoder().decode(ReportData.self, from: Data(try XCTUnwrap(ReportPage.dataSection(of: filtered)).utf8))
        XCTAssertEqual(data.query.filter, "evt.type=openat")
        XCTAssertEqual(data.query.since, "+2ms")
        XCTAssertEqual(data.query.windowStartNs, 2_000_000)
        XCTAssertEqual(data.query.windowEndNs, 10_000_000)
        XCTAssertEqual(data.stats.topSyscallsByCount.map(\.name), ["openat"])
        XCTAssertGreaterThanOrEqual(data.timeline.startNs, 2_000_000)
        XCTAssertLessThanOrEqual(data.timeline.startNs + Int64(data.timeline.bucketNs) * Int64(data.timeline.buckets), 10_000_000 + Int64(data.timeline.bucketNs))
    }

    /// A large capture's page stays bounded; a time axis whose end is not known doubles its buckets and keeps
    /// every event.
    func testAccumulatorBounds() throws {
        let path = NSTemporaryDirectory() + "kcap-report-loop-\(getpid()).kcap"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SyntheticCapture.writeLoop(path: path, events: 200_000, snapshotEvery: 50_000)
        for knownEnd in [true, false] {
            let replay = try CaptureSetReplay(readers: [try CaptureReader(path: path)])
            let facts = ReportCaptureFacts(readers: replay.readers)
            let range = try XCTUnwrap(facts.timeRange)
            var limits = ReportAccumulator.Limits()
            limits.buckets = 100
            let acc = ReportAccumulator(engine: replay.engine, printer: EventPrinter(engine: replay.engine), filter: nil,
                                        originNs: range.first, startNs: range.first,
                                        endNs: knownEnd ? range.last : range.first + 1000, limits: limits)
            _ = try ReadPipeline.run(replay, report: acc, options: ReadPipeline.Options())
            let data = acc.data(facts: facts, paths: [path], filter: "", since: nil, until: nil, windowStart: nil,
                                windowEnd: .max, inFlight: nil)
            XCTAssertLessThanOrEqual(data.timeline.buckets, 100)
            XCTAssertEqual(data.timeline.total.reduce(0, +), 200_000, "known end: \(knownEnd)")
            XCTAssertEqual(data.timeline.series.first?.counts.reduce(0, +), 200_000)
            XCTAssertEqual(data.timeline.rest.reduce(0, +), 0)
            XCTAssertGreaterThanOrEqual(UInt64(data.timeline.buckets) * data.timeline.bucketNs, range.last - range.first)
            for row in data.heatmap.syscalls {
                XCTAssertEqual(row.cells.reduce(0) { $0 + $1[2] }, row.count, row.name)
            }
            XCTAssertEqual(data.capture.snapshotsNs.count, 4)
            XCTAssertLessThanOrEqual(data.events.slowest.count, limits.slowestPerSyscall * 4)
            XCTAssertTrue(data.events.failures.isEmpty)
            XCTAssertEqual(data.events.slowest.map(\.latencyNs), data.events.slowest.map(\.latencyNs).sorted { ($0 ?? 0) > ($1 ?? 0) })
            let html = try ReportPage.html(data, generator: "test")
            XCTAssertLessThan(html.utf8.count, 400_000)
        }
    }

    /// The time axis: round bucket lengths, and doubling merges buckets in pairs.
    func testTimeAxis() {
        XCTAssertEqual(ReportTimeAxis.roundLength(1), 1)
        XCTAssertEqual(ReportTimeAxis.roundLength(3), 5)
        XCTAssertEqual(ReportTimeAxis.roundLength(6), 10)
        XCTAssertEqual(ReportTimeAxis.roundLength(41_667), 50_000)
        var axis = ReportTimeAxis(startNs: 1000, endNs: 1000 + 2399, maxBuckets: 240)
        XCTAssertEqual(axis.widthNs, 10)
        XCTAssertEqual(axis.index(1000), 0)
        XCTAssertEqual(axis.index(1009), 0)
        XCTAssertEqual(axis.index(1010), 1)
        XCTAssertEqual(axis.index(500), 0)
        XCTAssertEqual(axis.index(1000 + 2399), 239)
        XCTAssertEqual(axis.index(1000 + 2400), -1)
        axis.double()
        XCTAssertEqual(axis.widthNs, 20)
        XCTAssertEqual(axis.index(1000 + 2400), 120)
        XCTAssertEqual(ReportAccumulator.latencyBucket(0), 0)
        XCTAssertEqual(ReportAccumulator.latencyBucket(1023), 0)
        XCTAssertEqual(ReportAccumulator.latencyBucket(1024), 1)
        XCTAssertEqual(ReportAccumulator.latencyBucket(.max), ReportAccumulator.latencyBuckets - 1)
        XCTAssertEqual(ReportAccumulator.latencyBounds[1], 1024)
    }

    /// Text from the capture cannot end the data's script element or the page's title.
    func testPageEscapesCaptureText() throws {
        let dir = Self.fixtures.appendingPathComponent("workload")
        let html = try Self.report(["capture.kcap"], in: dir)
        let section = try XCTUnwrap(ReportPage.dataSection(of: html))
        var data = try JSONDecoder().decode(ReportData.self, from: Data(section.utf8))
        data.query.filter = "fd.name=\"</script><script>alert(1)</script>\" and proc.name='<!--'"
        data.query.paths = ["</title><b>x.kcap"]
        let page = try ReportPage.html(data, generator: "test")
        XCTAssertFalse(page.contains("</script><script>alert"))
        XCTAssertFalse(page.contains("<!--"))
        XCTAssertTrue(page.contains("<title>kcap report: &lt;/title&gt;&lt;b&gt;x.kcap</title>"))
        let back = try JSONDecoder().decode(ReportData.self, from: Data(try XCTUnwrap(ReportPage.dataSection(of: page)).utf8))
        XCTAssertEqual(back, data)
    }
}
