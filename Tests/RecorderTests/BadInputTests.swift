import Foundation
import XCTest

/// Bad input to the replay commands, as users hand it over: each case is one line on stderr that names the
/// command and the problem, a non-zero exit, and no crash.
final class BadInputTests: XCTestCase {
    private func fixture() throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/files/capture.kcap")
        guard FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("no fixture at \(url.path)") }
        return url.path
    }

    private func assertOneLine(_ args: [String], status: Int32, contains: String, file: StaticString = #filePath,
                               line: UInt = #line) throws {
        let r = try runProcess(try kcapBinary(), args)
        XCTAssertEqual(r.status, status, "\(args): \(r.stderr)", file: file, line: line)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "\(args): \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.hasPrefix("kcap \(args[0]): "), "\(args): \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.contains(contains), "\(args): \(r.stderr)", file: file, line: line)
    }

    func testForeignAndMissingFiles() throws {
        let dir = try makeScratchDirectory(self)
        FileManager.default.createFile(atPath: dir + "/empty.kcap", contents: Data())
        FileManager.default.createFile(atPath: dir + "/text.kcap", contents: Data("hello world\n".utf8))
        var future = try Data(contentsOf: URL(fileURLWithPath: try fixture()))
        future[8] = 9  // the major format version follows the 8-byte magic
        FileManager.default.createFile(atPath: dir + "/future.kcap", contents: future)
        try FileManager.default.createDirectory(atPath: dir + "/dir.kcap", withIntermediateDirectories: false)
        let cases = [("empty.kcap", "empty"), ("text.kcap", "not a kcap capture"), ("future.kcap", "newer"),
                     ("dir.kcap", "not a regular file"), ("missing.kcap", "No such file")]
        for command in ["read", "stats"] {
            for (name, message) in cases {
                try assertOneLine([command, dir + "/" + name], status: 1, contains: message)
            }
        }
    }

    /// A bad --since or --until is refused like a bad filter: one line, exit 2, by every command that has it.
    func testBadTimeBounds() throws {
        let capture = try fixture()
        for command in ["read", "stats"] {
            try assertOneLine([command, capture, "--since", "garbage"], status: 2, contains: "cannot read 'garbage' as a time")
            try assertOneLine([command, capture, "--until", "10:99:00"], status: 2, contains: "10:99:00")
            try assertOneLine([command, capture, "proc.nme=ls"], status: 2, contains: "did you mean 'proc.name'")
            try assertOneLine([command, capture, "--since", "+2s", "--until", "+1s"], status: 2,
                              contains: "--since '+2s' is after --until '+1s'")
            try assertOneLine([command, capture, "--since=-0s", "--until", "+0s"], status: 2,
                              contains: "--since '-0s' is after --until '+0s'")
        }
    }

    /// An empty -p would print one empty line per event: refused before anything is printed.
    func testEmptyFormat() throws {
        let capture = try fixture()
        for format in ["", "*"] {
            try assertOneLine(["read", capture, "-p", format], status: 2, contains: "-p/--format: the format is empty")
            XCTAssertEqual(try runProcess(try kcapBinary(), ["read", capture, "-p", format]).stdout, "")
        }
        // Literal text alone is a format (one line per event, e.g. to count them) and stays accepted.
        let r = try runProcess(try kcapBinary(), ["read", capture, "-p", "x", "-n", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "x\nx\n")
    }

    /// `-n3` is `-n 3`, as in tcpdump, sysdig and head; after `--` words belong to the command.
    func testAttachedEventLimit() throws {
        let capture = try fixture()
        let r = try runProcess(try kcapBinary(), ["read", capture, "-p", "x", "-n3"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "x\nx\nx\n")
        let bad = try runProcess(try kcapBinary(), ["read", capture, "-n3x"])
        XCTAssertNotEqual(bad.status, 0, "not a number: still refused")
    }
}
