import XCTest
import KcapTestSupport
import CaptureFormat
@testable import Analyzer

/// `kcap stats --by/--interval` on every fixture, against answers reached another way: the plain statistics'
/// process and syscall tables, the lines `-p` prints, and the record timestamps counted per interval.
final class GroupedStatisticsTests: XCTestCase {
    static func grouped(_ path: String, by fields: [String], intervalNs: UInt64? = nil, filter: String? = nil) throws -> [GroupedStatistics.Row] {
        let replay = try CaptureSetReplay(readers: [try CaptureReader(path: path)])
        let stats = try GroupedStatistics(by: fields, intervalNs: intervalNs, printer: EventPrinter(engine: replay.engine))
        var options = ReadPipeline.Options()
        options.filter = try filter.map { try FilterCompiler().compile($0, for: Event.self) }
        _ = try ReadPipeline.run(replay, into: stats, options: options)
        return stats.rows()
    }

    static func plain(_ path: String) throws -> StatisticsReport {
        let replay = CaptureReplay(reader: try CaptureReader(path: path))
        let stats = CaptureStatistics(machine: replay.reader.header.machine)
        _ = try ReadPipeline.run(replay, into: stats, options: ReadPipeline.Options())
        return stats.report(limit: .max, counters: nil) { replay.engine.paths.string($0) }
    }

    static var fixtures: [String] { get throws { try CaptureSetTests.fixtures() } }

    /// Per process: events, errors, syscall time and bytes equal the plain statistics' process table.
    func testByPidMatchesTheProcessTable() throws {
        for path in try Self.fixtures {
            let rows = try Self.grouped(path, by: ["proc.pid"])
            let processes = try Self.plain(path).topProcessesByEvents
            XCTAssertEqual(rows.count, processes.count, path)
            for p in processes {
                let row = try XCTUnwrap(rows.first { $0.key == ["\(p.pid)"] }, "\(path): pid \(p.pid)")
                XCTAssertEqual(row.figures, GroupedStatistics.Figures(count: p.events, errors: p.errors, timeNs: p.syscallNs,
                                                                       bytes: p.bytesRead + p.bytesWritten), "\(path): pid \(p.pid)")
            }
        }
    }

    /// Per syscall: count, errors and total time equal the plain statistics' syscall table.
    func testByTypeMatchesTheSyscallTable() throws {
        for path in try Self.fixtures {
            let rows = try Self.grouped(path, by: ["evt.type"])
            for s in try Self.plain(path).topSyscallsByCount where !["procfork", "procexec", "procexit"].contains(s.name) {
                let row = try XCTUnwrap(rows.first { $0.key == [s.name] }, "\(path): \(s.name)")
                XCTAssertEqual(row.figures.count, s.count, "\(path): \(s.name)")
                XCTAssertEqual(row.figures.errors, s.errors, "\(path): \(s.name)")
                XCTAssertEqual(row.figures.timeNs, s.totalNs, "\(path): \(s.name)")
            }
        }
    }

    /// Two fields: each group's count is the number of `-p '*%proc.name %fd.name'` lines with its values.
    func testTwoFieldsCountWhatTheFormatPrints() throws {
        for path in try Self.fixtures {
            let replay = CaptureReplay(reader: try CaptureReader(path: path))
            let out = OutputBuffer()
            _ = try ReadPipeline.run(replay, output: .format("*%proc.name\t%fd.name"), to: out, options: ReadPipeline.Options())
            var expected: [[String]: UInt64] = [:]
            for line in String(decoding: out.bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                expected[line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init), default: 0] += 1
            }
            let rows = try Self.grouped(path, by: ["proc.name", "fd.name"])
            XCTAssertEqual(Dictionary(uniqueKeysWithValues: rows.map { ($0.key, $0.figures.count) }), expected, path)
            // Largest first.
            XCTAssertEqual(rows.map(\.figures.count), rows.map(\.figures.count).sorted(by: >), path)
        }
    }

    /// A time series: each interval counts the records whose timestamps fall in it, counted from the file.
    func testIntervalsCountTheRecordsInThem() throws {
        for path in try Self.fixtures {
            let stamps = try CaptureSetTests.stamps(path)
            let interval = max((stamps.last! - stamps.first!) / 7, 1)
            var expected: [UInt64: UInt64] = [:]
            for t in stamps { expected[(t - stamps[0]) / interval * interval, default: 0] += 1 }
            let rows = try Self.grouped(path, by: [], intervalNs: interval)
            XCTAssertGreaterThan(rows.count, 1, path)
            XCTAssertEqual(Dictionary(uniqueKeysWithValues: rows.map { ($0.intervalStartNs, $0.figures.count) }), expected, path)
        }
    }

    /// The text and JSON renderings of the same rows, and an unknown field's one-line error.
    func testRenderingAndErrors() throws {
        let path = try XCTUnwrap(try Self.fixtures.first)
        let replay = try CaptureSetReplay(readers: [try CaptureReader(path: path)])
        let stats = try GroupedStatistics(by: ["proc.name"], intervalNs: nil, printer: EventPrinter(engine: replay.engine))
        _ = try ReadPipeline.run(replay, into: stats, options: ReadPipeline.Options())
        let rows = stats.rows(limit: 2)
        XCTAssertEqual(rows.count, 2)
        let text = GroupedStatisticsRenderer.text(stats, rows: rows)
        XCTAssertTrue(text.hasPrefix("events by proc.name\n"), text)
        XCTAssertTrue(text.contains(" \(rows[0].key[0]) "), text)
        let json = try JSONSerialization.jsonObject(with: Data(try GroupedStatisticsRenderer.json(stats, rows: rows).utf8)) as? [String: Any]
        let jsonRows = try XCTUnwrap(json?["rows"] as? [[String: Any]])
        XCTAssertEqual(jsonRows.first?["count"] as? UInt64, rows[0].figures.count)
        XCTAssertEqual((jsonRows.first?["key"] as? [String: String])?["proc.name"], rows[0].key[0])
        XCTAssertThrowsError(try GroupedStatistics(by: ["proc.name", "fd.nam"], intervalNs: nil, printer: EventPrinter(engine: replay.engine))) {
            XCTAssertTrue("\($0)".contains("column 11: unknown field 'fd.nam'"), "\($0)")
        }
    }
}
