import Foundation
import XCTest

/// `kcap record` without `-w`: the built binary prints live through the analyzer's engine, filter and sinks.
/// Run for real (root, BPF); the filter and option checks need neither.
final class LiveOutputRecordingTests: XCTestCase {
    /// A file with known contents for the command to read; `cat` reads it with read(2) when its stdout is a
    /// pipe (to a regular file GNU cat uses copy_file_range instead, which is why stdout is a pipe here).
    private func makeInput() throws -> (path: String, bytes: Int) {
        let dir = try makeScratchDirectory(self)
        let path = dir + "/live-input.txt"
        let text = "kcap live output test\n"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return (path, text.utf8.count)
    }

    func testFilteredLiveOutputShowsTheOpenAndTheReadOfTheCommand() throws {
        try requireBPF()
        let kcap = try kcapBinary()
        let input = try makeInput()
        let run = try runProcess(kcap, ["record", "evt.type in (openat, read) and fd.name=\(input.path)", "--", "/bin/cat", input.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stderr, "", "live output keeps stderr quiet")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        // cat's own output goes to the same stdout: the file's contents, once.
        XCTAssertTrue(lines.contains("kcap live output test"), run.stdout)
        let events = lines.filter { $0.contains(" < ") }
        let fdName = "fd=3(<f>\(input.path))"
        let open = events.first { $0.contains(" cat (") && $0.contains("< openat ") }
        XCTAssertNotNil(open, run.stdout)
        XCTAssertTrue(open?.contains(fdName) == true, open ?? "")
        XCTAssertTrue(open?.contains("name=\(input.path)") == true, open ?? "")
        let reads = events.filter { $0.contains("< read ") }
        XCTAssertTrue(reads.contains { $0.contains("res=\(input.bytes) ") && $0.contains(fdName) }, run.stdout)
        // The filter held: nothing but those two types on that file.
        for line in events {
            XCTAssertTrue(line.contains("< openat ") || line.contains("< read "), line)
            XCTAssertTrue(line.contains(input.path), line)
        }
    }

    func testLiveJSONLinesParseWithTheExpectedFields() throws {
        try requireBPF()
        let kcap = try kcapBinary()
        let input = try makeInput()
        let run = try runProcess(kcap, ["record", "-j", "fd.name=\(input.path)", "--", "/bin/cat", input.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let objects = try run.stdout.split(separator: "\n").filter { $0.hasPrefix("{") }.map {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], String($0))
        }
        XCTAssertFalse(objects.isEmpty, run.stdout)
        for o in objects {
            for key in ["evt.num", "evt.time", "evt.type", "evt.res", "proc.name", "proc.pid", "thread.tid", "fd.num", "fd.name"] {
                XCTAssertNotNil(o[key], "\(key) missing in \(o)")
            }
            XCTAssertEqual(o["fd.name"] as? String, input.path)
            XCTAssertEqual(o["proc.name"] as? String, "cat")
        }
        let open = objects.first { $0["evt.type"] as? String == "openat" }
        XCTAssertEqual(open?["fd.num"] as? Int, 3)
        XCTAssertEqual(open?["fd.type"] as? String, "file")
        let read = objects.first { $0["evt.type"] as? String == "read" && $0["evt.rawres"] as? Int == input.bytes }
        XCTAssertNotNil(read, run.stdout)
    }

    func testPipedIntoHeadStopsAndExitsZeroQuietly() throws {
        try requireBPF()
        let kcap = try kcapBinary()
        // A command that keeps making events for several seconds, so kcap must notice the closed pipe itself
        // rather than stop because the command ended. Its own output goes elsewhere: it outlives kcap (a
        // closed reader stops the recording, not the command) and must not hold the test's pipes open.
        let loop = "exec >/dev/null 2>&1; i=0; while [ $i -lt 500 ]; do i=$((i+1)); sleep 0.01; done"
        let script = """
        start=$(date +%s%N)
        '\(kcap)' record -- /bin/sh -c '\(loop)' | head -n 1
        echo "kcap=${PIPESTATUS[0]} ms=$(( ($(date +%s%N) - start) / 1000000 ))"
        """
        let run = try runProcess("/bin/bash", ["-c", script])
        let lines = run.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2, run.stdout)
        XCTAssertTrue(lines.first?.contains(" < ") == true, run.stdout)
        XCTAssertEqual(run.stderr, "", "no error output when the reader goes away")
        let status = lines.last?.split(separator: " ") ?? []
        XCTAssertEqual(status.first, "kcap=0", run.stdout)
        let ms = status.last.flatMap { Int($0.dropFirst(3)) } ?? .max
        XCTAssertLessThan(ms, 4000, "kcap should stop at the closed pipe, not when the command ends: \(run.stdout)")
    }

    /// A reader that stops for two seconds while a burst larger than the user-space pipeline (16 x 1 MiB of
    /// records) goes by: the drain leaves the records in the kernel buffers until the printer moves again,
    /// and nothing is lost (it used to drop whole chunks here, as "output too slow").
    func testABurstWhileTheReaderPausesWaitsInTheKernelBuffers() throws {
        try requireBPF()
        let kcap = try kcapBinary()
        let script = """
        '\(kcap)' record -p '%evt.num %evt.type' -- /bin/dd if=/dev/zero of=/dev/null bs=1 count=100000 status=none | (sleep 2; grep -c -E ' (read|write)$')
        """
        let run = try runProcess("/bin/bash", ["-c", script])
        XCTAssertEqual(run.stderr, "", "no drops reported")
        let printed = Int(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        XCTAssertGreaterThanOrEqual(printed, 200_000, "dd's 100000 reads and 100000 writes: \(run.stdout)")
    }

    /// With `-- COMMAND` the command's parent is kcap, and the snapshot says so (it used to be `<NA>`).
    func testTheCommandsParentIsKcap() throws {
        try requireBPF()
        let kcap = try kcapBinary()
        let run = try runProcess(kcap, ["record", "-n", "1", "-p", "%proc.name %proc.pname %proc.ppid", "proc.name=true", "--", "/bin/true"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let fields = run.stdout.split(separator: "\n").first?.split(separator: " ") ?? []
        XCTAssertEqual(fields.count, 3, run.stdout)
        XCTAssertEqual(fields.first, "true")
        XCTAssertEqual(fields.dropFirst().first, "kcap", run.stdout)
        XCTAssertNotEqual(fields.last, "<NA>", run.stdout)
    }

    /// `-n1` before `--` is kcap's limit; the same word after `--` is the command's own argument.
    func testAttachedLimitStopsAtTheTerminator() throws {
        try requireBPF()
        let run = try runProcess(try kcapBinary(), ["record", "-n1", "-p", "%evt.type", "evt.type=execve", "--", "/bin/echo", "-n5"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = run.stdout.split(separator: "\n")
        XCTAssertTrue(lines.contains("-n5"), "echo got its own -n5: \(run.stdout)")
        XCTAssertEqual(lines.filter { $0 == "execve" }.count, 1, run.stdout)
    }

    func testLiveMaxEventsCountsPrintedEvents() throws {
        try requireBPF()
        let kcap = try kcapBinary()
        let input = try makeInput()
        let run = try runProcess(kcap, ["record", "-n", "2", "-p", "%evt.type %fd.name", "evt.type=openat", "--", "/bin/cat", input.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let events = run.stdout.split(separator: "\n").filter { $0.hasPrefix("openat ") }
        XCTAssertEqual(events.count, 2, run.stdout)
    }

    func testBadFilterExitsOneWithReadsOneLine() throws {
        // Checked before anything is loaded: no root needed.
        let kcap = try kcapBinary()
        let run = try runProcess(kcap, ["record", "proc.nme=cat", "--", "/bin/true"])
        XCTAssertEqual(run.status, 1, "a usage error (docs/exit-status.md)")
        XCTAssertEqual(run.stdout, "")
        let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
        XCTAssertEqual(lines.count, 1, run.stderr)
        XCTAssertTrue(run.stderr.hasPrefix("kcap record: "), run.stderr)
        XCTAssertTrue(run.stderr.contains("proc.name"), "names the nearest field: \(run.stderr)")
        // The same words as kcap read gives for the same filter.
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures").path
        if let capture = FileManager.default.enumerator(atPath: fixtures)?.compactMap({ $0 as? String }).first(where: { $0.hasSuffix(".kcap") }) {
            let read = try runProcess(kcap, ["read", fixtures + "/" + capture, "proc.nme=cat"])
            XCTAssertEqual(read.status, 1)
            XCTAssertEqual(read.stderr.dropFirst("kcap read: ".count), run.stderr.dropFirst("kcap record: ".count))
        }
        let format = try runProcess(kcap, ["record", "-p", "%proc.nme"])
        XCTAssertEqual(format.status, 1)
        XCTAssertTrue(format.stderr.hasPrefix("kcap record: -p/--format: "), format.stderr)
        for empty in ["", "*"] {
            let r = try runProcess(kcap, ["record", "-p", empty, "--", "/bin/true"])
            XCTAssertEqual(r.status, 1, "-p '\(empty)': \(r.stderr)")
            XCTAssertEqual(r.stdout, "")
            XCTAssertEqual(r.stderr, "kcap record: -p/--format: the format is empty; give %field placeholders such as '%evt.num %proc.name %evt.type'\n")
        }
    }

    func testFilterWithWriteIsRefusedWithAReason() throws {
        let kcap = try kcapBinary()
        let dir = try makeScratchDirectory(self)
        let run = try runProcess(kcap, ["record", "-w", dir + "/x.kcap", "proc.name=cat"])
        XCTAssertNotEqual(run.status, 0)
        XCTAssertTrue(run.stderr.contains("live output only"), run.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/x.kcap"))
    }
}
