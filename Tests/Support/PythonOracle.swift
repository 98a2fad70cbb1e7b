import Foundation

/// Runs the Python scripts under tools/export that read kcap's exports with real readers (pyarrow, DuckDB):
/// the outside oracles of the Parquet tests. tools/deps.sh installs both; a missing one fails the test with
/// what to run, never skips it.
public enum PythonOracle {
    /// The repository's root (two levels above Tests/Support).
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// What a script printed, and how it ended.
    public struct Outcome {
        /// Exit status.
        public var status: Int32
        /// Standard output.
        public var stdout: Data
        /// Standard error.
        public var stderr: String
    }

    /// Why the oracle could not run.
    public struct SetupError: Error, CustomStringConvertible {
        /// What to do.
        public var description: String
    }

    /// Runs `python3 DIRECTORY/SCRIPT ARGS` (tools/export unless told); throws when python3 or its modules are missing.
    public static func run(_ script: String, _ args: [String], directory: String = "tools/export") throws -> Outcome {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", repository.appendingPathComponent("\(directory)/\(script)").path] + args
        // stderr goes to a file, so neither stream can fill a pipe while the other is drained.
        let errPath = NSTemporaryDirectory() + "kcap-oracle-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).err"
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errPath) }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let e = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        if e.contains("ModuleNotFoundError") || e.contains("No such file or directory") && p.terminationStatus == 127 {
            throw SetupError(description: "python3 with duckdb and pyarrow is needed: run `bash tools/deps.sh` (\(e))")
        }
        return Outcome(status: p.terminationStatus, stdout: o, stderr: e)
    }

    /// Every `Tests/Fixtures/<name>/capture.kcap`, sorted: the real captures the oracles judge kcap on.
    public static func fixtureCaptures() -> [String] {
        let fixtures = repository.appendingPathComponent("Tests/Fixtures")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? []
        return names.sorted().map { fixtures.appendingPathComponent($0).appendingPathComponent("capture.kcap").path }
            .filter { FileManager.default.fileExists(atPath: $0) }
    }

    /// Every sysdig/falco capture under `Tests/Fixtures/scap`, sorted.
    public static func scapFixtures() -> [String] {
        let dir = repository.appendingPathComponent("Tests/Fixtures/scap")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".scap") }.sorted().map { dir.appendingPathComponent($0).path }
    }

    /// The JSON objects a check script printed, one a line (its figures per capture).
    public static func figures(_ outcome: Outcome) throws -> [[String: Any]] {
        try String(decoding: outcome.stdout, as: UTF8.self).split(separator: "\n").map {
            guard let object = try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] else {
                throw SetupError(description: "not a JSON object: \($0)")
            }
            return object
        }
    }

    /// The kcap executable built beside the test bundle (`swift build` builds it with the tests).
    public static func kcapBinary() throws -> String {
        guard let path = KcapExecutable.find() else {
            throw SetupError(description: "the kcap executable is not built next to the tests: run `swift build` first")
        }
        return path
    }
}
