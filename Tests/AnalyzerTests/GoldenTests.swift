import XCTest
import KcapTestSupport
import CaptureFormat
@testable import Analyzer

/// Golden outputs of every capture under Tests/Fixtures/<name>/capture.kcap: the default line, JSON lines, a
/// `-p` format and a filtered read, each compared byte for byte with `<name>/<output>.golden`.
///
/// Bytes, never `String`: the output holds whatever bytes the capture's buffers held (a read of an ELF
/// header), and a `String` would turn invalid UTF-8 into U+FFFD and compare by canonical equivalence, so a
/// golden could differ from what `kcap read` writes and still pass.
///
/// Re-record with `KCAP_RECORD_GOLDENS=1 swift test --filter GoldenTests`: the run writes the goldens (and
/// regenerates the synthetic fixture) and fails, so a changed golden is always a reviewed diff.
final class GoldenTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")
    static var recording: Bool { ProcessInfo.processInfo.environment["KCAP_RECORD_GOLDENS"] == "1" }

    static let format = "*%evt.num %evt.time %evt.cpu %proc.name (%thread.tid) %evt.type %fd.num %fd.type %fd.name %evt.res %evt.latency"
    static let filter = "evt.type in (open, openat, connect, accept, accept4, execve, procexec) or fd.type in (ipv4, ipv6, unix) or evt.failed=true"

    enum Output: String, CaseIterable {
        case text = "read", json = "read-json", format = "read-format", filtered = "read-filtered", leanJSON = "read-json-lean"
    }

    /// Renders a capture as `kcap read` would (same engine, sinks and filter), into memory: the bytes the
    /// command writes to its output.
    static func render(_ path: String, _ output: Output) throws -> [UInt8] {
        let replay = CaptureReplay(reader: try CaptureReader(path: path))
        let out = OutputBuffer()
        var options = ReadPipeline.Options()
        switch output {
        case .text: _ = try ReadPipeline.run(replay, output: .text, to: out, options: options)
        case .json: _ = try ReadPipeline.run(replay, output: .json, to: out, options: options)
        case .leanJSON: _ = try ReadPipeline.run(replay, output: .leanJSON, to: out, options: options)
        case .format: _ = try ReadPipeline.run(replay, output: .format(format), to: out, options: options)
        case .filtered:
            options.filter = try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: replay.engine.machine)).compile(filter, for: Event.self)
            _ = try ReadPipeline.run(replay, output: .text, to: out, options: options)
        }
        return Array(out.bytes)
    }

    /// Lines of `bytes` split at "\n" (the last one empty when the output ends with a newline).
    static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    }

    /// A line for a failure message: printable ASCII as it is, every other byte as `\xNN`.
    static func escaped(_ line: ArraySlice<UInt8>?) -> String {
        guard let line else { return "<end>" }
        return line.map { $0 >= 0x20 && $0 < 0x7f ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16, uppercase: true).leftPadded(2) }
            .joined()
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
                let bytes = try Self.render(capture, output)
                XCTAssertFalse(bytes.isEmpty, "\(dir.lastPathComponent) \(output) printed nothing")
                let golden = dir.appendingPathComponent("\(output.rawValue).golden")
                if Self.recording {
                    try Data(bytes).write(to: golden, options: .atomic)
                    wrote.append(golden.path)
                    continue
                }
                guard let expected = FileManager.default.contents(atPath: golden.path).map(Array.init) else {
                    XCTFail("no golden \(golden.path); record with KCAP_RECORD_GOLDENS=1")
                    continue
                }
                if bytes != expected {
                    let a = Self.lines(bytes), b = Self.lines(expected)
                    let i = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
                    XCTFail("""
                        \(dir.lastPathComponent)/\(output.rawValue).golden differs at line \(i + 1) (\(bytes.count) bytes written, \(expected.count) in the golden):
                          got:      \(Self.escaped(i < a.count ? a[i] : nil))
                          expected: \(Self.escaped(i < b.count ? b[i] : nil))
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
            let bytes = try Self.render(dir.appendingPathComponent("capture.kcap").path, .json)
            for (i, line) in bytes.split(separator: UInt8(ascii: "\n")).enumerated() {
                let obj = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
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
        let opens = try Self.render(path, .json).split(separator: UInt8(ascii: "\n")).compactMap {
            try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any]
        }.filter { $0["evt.type"] as? String == "openat" && ($0["evt.rawres"] as? Int ?? -1) >= 0 }
        XCTAssertFalse(opens.isEmpty)
        for o in opens {
            XCTAssertGreaterThan(o["fd.ino"] as? Int ?? 0, 0, "\(o["fd.name"] ?? "")")
            XCTAssertNotNil(o["fd.uid"] as? Int)
            XCTAssertTrue((o["fd.mode"] as? String)?.hasPrefix("0") == true, "\(o["fd.mode"] ?? "")")
        }
    }
}

private extension String {
    /// The string with zeros in front up to `width` characters.
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
