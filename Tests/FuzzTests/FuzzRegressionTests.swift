import Foundation
import XCTest

/// Every input the fuzzers ever crashed on (Tests/FuzzRegressions/TARGET/), the committed seed corpus
/// (Tests/FuzzCorpus/TARGET/) and the fixtures replayed through the fuzzers' own entry functions: each must
/// end normally, within 10 s and 200 MB (the reliability targets of issue 8).
final class FuzzRegressionTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let peakLimit = 200 << 20

    static func files(in dir: String) -> [String] {
        let path = root.appendingPathComponent(dir).path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted().map { path + "/" + $0 }
    }

    static var fixtures: [String] {
        files(in: "Tests/Fixtures").map { $0 + "/capture.kcap" }.filter { FileManager.default.fileExists(atPath: $0) }
    }

    func replayAll(_ target: String, extra: [String] = []) throws {
        let replayer = try FuzzReplayer()
        let inputs = FuzzRegressionTests.files(in: "Tests/FuzzRegressions/\(target)")
            + FuzzRegressionTests.files(in: "Tests/FuzzCorpus/\(target)") + extra
        XCTAssertFalse(inputs.isEmpty, "no inputs for \(target)")
        for file in inputs {
            let o = try replayer.run(target, file)
            let name = file.replacingOccurrences(of: FuzzRegressionTests.root.path + "/", with: "")
            XCTAssertEqual(o.status, 0, "\(target) \(name): \(o.signal.map { "killed by signal \($0)" } ?? "exit \(o.status ?? -1)"): \(o.stderr.suffix(600))")
            XCTAssertLessThan(o.seconds, 10, "\(target) \(name) took \(o.seconds) s")
            XCTAssertLessThanOrEqual(o.peakRSS, FuzzRegressionTests.peakLimit, "\(target) \(name) peaked at \(o.peakRSS >> 20) MB")
        }
    }

    func testReaderInputs() throws { try replayAll("reader", extra: FuzzRegressionTests.fixtures) }
    func testEngineInputs() throws { try replayAll("engine", extra: FuzzRegressionTests.fixtures) }
    func testFilterInputs() throws { try replayAll("filter") }
    func testScapInputs() throws {
        try replayAll("scap", extra: FuzzRegressionTests.files(in: "Tests/Fixtures/scap").filter { $0.contains(".scap") })
    }

    /// The harness can fail: a replayer that does not end with status 0 is seen as such.
    func testReplayerReportsFailure() throws {
        let o = try FuzzReplayer().run("no-such-target", "/dev/null")
        XCTAssertEqual(o.status, 2, "the replayer refuses an unknown target with status 2")
    }
}
