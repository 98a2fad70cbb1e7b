import CaptureFormat
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

    /// A bad --since or --until is refused like a bad filter: one line, exit 1 (a usage error), by every command that has it.
    func testBadTimeBounds() throws {
        let capture = try fixture()
        for command in ["read", "stats"] {
            try assertOneLine([command, capture, "--since", "garbage"], status: 1, contains: "cannot read 'garbage' as a time")
            try assertOneLine([command, capture, "--until", "10:99:00"], status: 1, contains: "10:99:00")
            try assertOneLine([command, capture, "proc.nme=ls"], status: 1, contains: "did you mean 'proc.name'")
            try assertOneLine([command, capture, "--since", "+2s", "--until", "+1s"], status: 1,
                              contains: "--since '+2s' is after --until '+1s'")
            try assertOneLine([command, capture, "--since=-0s", "--until", "+0s"], status: 1,
                              contains: "--since '-0s' is after --until '+0s'")
        }
    }

    /// An empty -p would print one empty line per event: refused before anything is printed.
    func testEmptyFormat() throws {
        let capture = try fixture()
        for format in ["", "*"] {
            try assertOneLine(["read", capture, "-p", format], status: 1, contains: "-p/--format: the format is empty")
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

    /// Issue 8, item 3: numeric extremes trapped (overflow converting or multiplying) instead of failing.
    /// Each is one line on stderr, status 1, and the process ends by exit, not by a signal.
    func testNumericExtremesFailWithOneLine() throws {
        let capture = try fixture()
        let times = ["--since=+1e19s", "--until=-inf", "--since=+nan", "--since=-1e300h", "--since=+",
                     "--since=99999999999-01-01T00:00:00Z", "--until=2026-01-01T00:00:00+99999999999999",
                     "--since=1000-01-01T00:00:00Z", "--since=+0x10s"]
        for command in ["read", "stats"] {
            for bound in times {
                try assertOneLine([command, capture, bound], status: 1, contains: String(bound.split(separator: "=")[1].prefix(6)))
            }
        }
        // The largest duration that fits still works (an empty window past the end, not an error).
        let edge = try runProcess(try kcapBinary(), ["read", capture, "--since=+2562047h"])
        XCTAssertEqual(edge.status, 0, edge.stderr)
        XCTAssertEqual(edge.stdout, "")

        // record checks its values before it needs root or BPF, so these run unprivileged too.
        let record: [([String], String)] = [
            (["--duration", "1e30s"], "--duration '1e30s' is not a time"),
            (["--duration", "nan"], "--duration 'nan' is not a time"),
            (["--duration", "inf"], "--duration 'inf' is not a time"),
            (["--duration", ""], "--duration '' is not a time"),
            (["--duration=-1"], "must be more than 0"),
            (["--snapshot-interval", "1e30s"], "--snapshot-interval '1e30s' is not a time"),
            (["--snapshot-interval=-5s"], "--snapshot-interval '-5s' is not a time"),
            (["-w", "/tmp/kcap-never.kcap", "-C", "99999999999999999"], "-C/--rotate-size 99999999999999999 is too large"),
            (["-w", "/tmp/kcap-never.kcap", "-G", "9999999999999"], "-G/--rotate-time 9999999999999 is too large"),
            (["-w", "/tmp/kcap-never.kcap", "-C", "-1"], "-C"),
            (["-w", "/tmp/kcap-never.kcap", "-G", "99999999999999999999999"], "-G"),
        ]
        for (args, message) in record {
            try assertOneLine(["record"] + args + ["--", "/bin/true"], status: 1, contains: message)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/kcap-never.kcap"))
    }

    /// Issue 8, item 4: a FIFO with no writer made every reading command hang in open(2). Non-regular files
    /// are refused with one line, and opening never blocks. Each run is bounded by a 10 s timeout.
    func testNonRegularFilesAreRefusedWithoutBlocking() throws {
        let dir = try makeScratchDirectory(self)
        let fifo = dir + "/pipe.kcap"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        try FileManager.default.createDirectory(atPath: dir + "/d.kcap", withIntermediateDirectories: false)
        for (path, kind) in [(fifo, "a FIFO"), ("/dev/zero", "a character device"), (dir + "/d.kcap", "a directory")] {
            for command in ["info", "read", "stats"] {
                let r = try runProcess("/usr/bin/timeout", ["-s", "KILL", "10", try kcapBinary(), command, path])
                XCTAssertNotEqual(r.status, 137, "\(command) \(path) hung (killed by the 10 s timeout)")
                XCTAssertEqual(r.status, 1, "\(command) \(path): \(r.stderr)")
                XCTAssertEqual(r.stderr, "kcap \(command): \(path): not a regular file (\(kind)); give the path of a capture (.kcap, or a sysdig .scap)\n")
            }
        }
    }

    /// Issue 8, item 7: `read` and `stats` exited 0 on a damaged file where `info` exits 2. A real fixture with
    /// one byte flipped inside its last chunk's payload (a CRC failure): every reading command exits 2, warns
    /// about that chunk, and still uses every other chunk.
    func testDamagedCaptureExitsTwoAndKeepsTheIntactChunks() throws {
        let kcap = try kcapBinary()
        // A real recording with two event chunks (the other fixtures have one).
        let capture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/outlives-capture/capture.kcap").path
        let dir = try makeScratchDirectory(self)
        let damaged = dir + "/damaged.kcap"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: capture))
        let clean = try runProcess(kcap, ["read", capture, "-p", "%evt.num"])
        XCTAssertEqual(clean.status, 0, clean.stderr)
        let allEvents = Set(clean.stdout.split(separator: "\n"))
        // Flip a byte in the middle of the last event chunk's payload (after its 48-byte frame).
        let chunks = try CaptureReader(path: capture).index.filter { $0.type == .events && $0.recordCount > 0 }
        XCTAssertGreaterThanOrEqual(chunks.count, 2, "the fixture needs several chunks")
        guard let victim = chunks.last, chunks.count >= 2 else { return }
        bytes[Int(victim.offset) + CaptureFileFormat.frameSize + Int(victim.storedLength / 2)] ^= 0x55
        try bytes.write(to: URL(fileURLWithPath: damaged))

        for command in [["info", damaged], ["read", damaged, "-p", "%evt.num"], ["stats", damaged]] {
            let r = try runProcess(kcap, command)
            XCTAssertEqual(r.status, 2, "\(command): \(r.stderr)")
            if command[0] != "info" {
                XCTAssertTrue(r.stderr.contains("CRC32C"), "\(command): \(r.stderr)")
                XCTAssertFalse(r.stdout.isEmpty)
            } else {
                XCTAssertTrue(r.stdout.contains("CRC32C"), r.stdout)
            }
        }
        // Every event printed from the damaged copy is one of the original's, and only one chunk's worth is missing.
        let read = try runProcess(kcap, ["read", damaged, "-p", "%evt.num"])
        let kept = Set(read.stdout.split(separator: "\n"))
        XCTAssertTrue(kept.isSubset(of: allEvents))
        XCTAssertEqual(allEvents.count - kept.count, Int(victim.recordCount), "exactly the damaged chunk's records are missing")
    }
}
