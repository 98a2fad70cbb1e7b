import XCTest
import KcapTestSupport
import CaptureFormat
@testable import Analyzer

/// Golden outputs of every capture under Tests/Fixtures/<name>/capture.kcap: the default line, JSON lines, a
/// `-p` format and a filtered read, each compared byte for byte with `<name>/<output>.golden`.
///
/// Re-record with `KCAP_RECORD_GOLDENS=1 swift test --filter GoldenTests`: the run writes the goldens (and
/// regenerates the synthetic fixture) and fails, so a changed golden is always a reviewed diff.
final class GoldenTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")
    static var recording: Bool { ProcessInfo.processInfo.environment["KCAP_RECORD_GOLDENS"] == "1" }

    static let format = "*%evt.num %evt.time %evt.cpu %proc.name (%thread.tid) %evt.type %fd.num %fd.type %fd.name %evt.res %evt.latency"
    static let filter = "evt.type in (open, openat, connect, accept, accept4, execve, procexec) or fd.type in (ipv4, ipv6, unix) or evt.failed=true"

    enum Output: String, CaseIterable { case text = "read", json = "read-json", format = "read-format", filtered = "read-filtered" }

    /// Renders a capture as `kcap read` would (same engine, sinks and filter), into memory.
    static func render(_ path: String, _ output: Output) throws -> String {
        let replay = CaptureReplay(reader: try CaptureReader(path: path))
        let out = OutputBuffer()
        var options = ReadPipeline.Options()
        switch output {
        case .text: _ = try ReadPipeline.run(replay, output: .text, to: out, options: options)
        case .json: _ = try ReadPipeline.run(replay, output: .json, to: out, options: options)
        case .format: _ = try ReadPipeline.run(replay, output: .format(format), to: out, options: options)
        case .filtered:
            options.filter = try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: replay.engine.machine)).compile(filter, for: Event.self)
            _ = try ReadPipeline.run(replay, output: .text, to: out, options: options)
        }
        return out.string
    }

    static func fixtureDirectories() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? []
        return names.sorted().map { fixtures.appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent("capture.kcap").path) }
    }

    func testSyntheticFixtureIsCurrent() throws {
        let dir = Self.fixtures.appendingPathComponent("synthetic-families")
        let fresh = FileManager.default.temporaryDirectory.appendingPathComponent("kcap-synthetic-\(getpid()).kcap").path
        defer { try? FileManager.default.removeItem(atPath: fresh) }
        try SyntheticCapture.writeFamilies(path: fresh)
        if Self.recording {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let dest = dir.appendingPathComponent("capture.kcap").path
            try? FileManager.default.removeItem(atPath: dest)
            try FileManager.default.copyItem(atPath: fresh, toPath: dest)
            XCTFail("re-recorded \(dest); review the diff")
            return
        }
        // The committed capture decodes to the same events as one written now (the writer's bytes may change
        // with the format team's work; the events must not).
        XCTAssertEqual(try Self.render(fresh, .json), try Self.render(dir.appendingPathComponent("capture.kcap").path, .json))
    }

    func testGoldenOutputs() throws {
        let dirs = Self.fixtureDirectories()
        XCTAssertTrue(dirs.contains { $0.lastPathComponent == "synthetic-families" }, "the synthetic fixture is missing")
        var wrote: [String] = []
        for dir in dirs {
            let capture = dir.appendingPathComponent("capture.kcap").path
            for output in Output.allCases {
                let text = try Self.render(capture, output)
                XCTAssertFalse(text.isEmpty, "\(dir.lastPathComponent) \(output) printed nothing")
                let golden = dir.appendingPathComponent("\(output.rawValue).golden")
                if Self.recording {
                    try text.write(to: golden, atomically: true, encoding: .utf8)
                    wrote.append(golden.path)
                    continue
                }
                guard let expected = try? String(contentsOf: golden, encoding: .utf8) else {
                    XCTFail("no golden \(golden.path); record with KCAP_RECORD_GOLDENS=1")
                    continue
                }
                if text != expected {
                    let a = text.split(separator: "\n", omittingEmptySubsequences: false)
                    let b = expected.split(separator: "\n", omittingEmptySubsequences: false)
                    let i = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
                    XCTFail("""
                        \(dir.lastPathComponent)/\(output.rawValue).golden differs at line \(i + 1):
                          got:      \(i < a.count ? a[i] : "<end>")
                          expected: \(i < b.count ? b[i] : "<end>")
                        """)
                }
            }
        }
        if !wrote.isEmpty { XCTFail("re-recorded \(wrote.count) goldens; review the diff and run again without KCAP_RECORD_GOLDENS") }
    }

    func testOutputIsByteIdenticalAcrossRuns() throws {
        for dir in Self.fixtureDirectories() {
            let capture = dir.appendingPathComponent("capture.kcap").path
            for output in Output.allCases {
                XCTAssertEqual(try Self.render(capture, output), try Self.render(capture, output),
                               "\(dir.lastPathComponent) \(output) is not deterministic")
            }
        }
    }

    func testJSONLinesAreValidJSON() throws {
        for dir in Self.fixtureDirectories() {
            let text = try Self.render(dir.appendingPathComponent("capture.kcap").path, .json)
            for (i, line) in text.split(separator: "\n").enumerated() {
                let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                XCTAssertNotNil(obj, "\(dir.lastPathComponent) line \(i + 1) is not a JSON object")
                XCTAssertNotNil(obj?["evt.num"])
                XCTAssertNotNil(obj?["fd.name"])
            }
        }
    }

    /// The file identity an open returned is in JSON as in filters: inode, device, owner and mode.
    func testJSONCarriesTheFilesIdentity() throws {
        let path = Self.fixtures.appendingPathComponent("files/capture.kcap").path
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("fixture files is not in this checkout") }
        let opens = try Self.render(path, .json).split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.filter { $0["evt.type"] as? String == "openat" && ($0["evt.rawres"] as? Int ?? -1) >= 0 }
        XCTAssertFalse(opens.isEmpty)
        for o in opens {
            XCTAssertGreaterThan(o["fd.ino"] as? Int ?? 0, 0, "\(o["fd.name"] ?? "")")
            XCTAssertNotNil(o["fd.uid"] as? Int)
            XCTAssertTrue((o["fd.mode"] as? String)?.hasPrefix("0") == true, "\(o["fd.mode"] ?? "")")
        }
    }
}
