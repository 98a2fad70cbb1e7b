import CaptureFormat
import Foundation
@testable import Recorder
import XCTest

/// The recorder's side of issue 8, as an attacker or an unlucky user meets it: two recorders on one file, a
/// symbolic link planted at the -w path, a disk full from the first byte or midway, SIGKILL at any moment.
/// Each case runs the real kcap binary as root and checks what is on the disk afterwards.
final class RecorderAbuseTests: XCTestCase {
    /// A shell loop that execs `cat` `n` times, a known number of records to find in the capture.
    private func catLoop(_ n: Int, pause: String = "0.005") -> [String] {
        ["/bin/sh", "-c", "i=0; while [ $i -lt \(n) ]; do /bin/cat /etc/hostname > /dev/null; sleep \(pause); i=$((i+1)); done"]
    }

    /// Starts `kcap record ARGS` in the background with stderr in a file; returns the process.
    private func startRecorder(_ kcap: String, _ args: [String], stderrTo errPath: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: kcap)
        p.arguments = ["record"] + args
        FileManager.default.createFile(atPath: errPath, contents: nil)
        p.standardError = FileHandle(forWritingAtPath: errPath)
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Waits until `path` exists with at least one byte (the header of a started recorder), for at most 10 s.
    private func waitForHeader(_ path: String) throws {
        for _ in 0..<1000 {
            var st = stat()
            if stat(path, &st) == 0 && st.st_size > 0 { return }
            usleep(10_000)
        }
        throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
    }

    /// Two recorders on one file used to both report success and leave 1,292 of 59 k records: the second now
    /// fails within a moment, naming the file and the pid holding it, and the first's capture is complete.
    func testASecondRecorderOnTheSameFileFailsFastAndTheFirstStaysIntact() throws {
        try requireBPF()
        let kcap = try kcapBinary()
        let dir = try makeScratchDirectory(self)
        let path = dir + "/shared.kcap"
        let first = try startRecorder(kcap, ["-w", path, "--events", "process,file", "--"] + catLoop(200), stderrTo: dir + "/first.err")
        try waitForHeader(path)
        // Several tries spread over the first recording, each while it writes.
        for attempt in 0..<3 {
            let t0 = BootClock.monotonicNs()
            let r = try runProcess(kcap, ["record", "-w", path, "--duration", "2s"])
            let seconds = Double(BootClock.monotonicNs() - t0) / 1e9
            XCTAssertEqual(r.status, 1, "attempt \(attempt): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
            XCTAssertTrue(r.stderr.hasPrefix("kcap record: lock capture file \(path)"), r.stderr)
            XCTAssertTrue(r.stderr.contains("pid \(first.processIdentifier)"), "names the holder: \(r.stderr)")
            XCTAssertLessThan(seconds, 1.5, "fails at once, not after its --duration: \(seconds) s")
            usleep(300_000)
        }
        first.waitUntilExit()
        let firstErr = (try? String(contentsOfFile: dir + "/first.err", encoding: .utf8)) ?? ""
        XCTAssertEqual(first.terminationStatus, 0, firstErr)
        let c = try CaptureContents(path: path)
        XCTAssertTrue(c.finished, "the first recorder's footer is there")
        XCTAssertTrue(c.problems.isEmpty, "nothing of the first recording was overwritten: \(c.problems)")
        let last = try XCTUnwrap(c.counters.last)
        XCTAssertEqual(last.dropRingFull + last.dropTooLarge + last.dropUserQueue, 0, "no drops: \(last)")
        XCTAssertEqual(last.eventsWritten, UInt64(c.records.count), "every record written is in the file")
        XCTAssertEqual(c.records.filter { $0.type == 3 && $0.comm == "cat" }.count, 200, "all 200 execs of cat")
    }

    /// With rotation the first file stays locked for the whole recording: a second recorder on the same
    /// names fails at its first file, even once the first recorder has moved on to later files.
    func testASecondRotatingRecorderFailsAtTheFirstFile() throws {
        try requireBPF()
        let kcap = try kcapBinary()
        let dir = try makeScratchDirectory(self)
        let base = dir + "/ring.kcap"
        let first = try startRecorder(kcap, ["-w", base, "-G", "1", "--events", "process", "--"] + catLoop(100, pause: "0.03"),
                                      stderrTo: dir + "/first.err")
        try waitForHeader(dir + "/ring-001.kcap")  // the first file is finished and closed by now
        let r = try runProcess(kcap, ["record", "-w", base, "-G", "1", "--duration", "1s"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("kcap record: lock capture file \(dir)/ring-000.kcap"), r.stderr)
        first.waitUntilExit()
        XCTAssertEqual(first.terminationStatus, 0)
        var execs = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: dir).filter({ $0.hasPrefix("ring-") }) {
            let c = try CaptureContents(path: dir + "/" + name)
            XCTAssertTrue(c.finished && c.problems.isEmpty, "\(name): \(c.problems)")
            execs += c.records.filter { $0.type == 3 && $0.comm == "cat" }.count
        }
        XCTAssertEqual(execs, 100, "every exec of cat is in one of the files")
    }

    /// A symbolic link at the -w path (planted in a shared directory, aimed at a file root owns) is refused
    /// with one line; the target keeps its mode and contents. Rotated names are checked too, and
    /// --follow-symlinks writes through the link when that is what the user wants.
    func testASymbolicLinkAtTheWritePathIsRefused() throws {
        try requireBPF()
        let kcap = try kcapBinary()
        let dir = try makeScratchDirectory(self)
        let target = dir + "/precious"
        try "precious contents\n".write(toFile: target, atomically: false, encoding: .utf8)
        chmod(target, 0o644)
        for (link, extra) in [(dir + "/trace.kcap", [String]()), (dir + "/ring-000.kcap", ["-G", "60"])] {
            XCTAssertEqual(symlink(target, link), 0)
            let w = extra.isEmpty ? link : dir + "/ring.kcap"
            let r = try runProcess(kcap, ["record", "-w", w] + extra + ["--", "/bin/true"])
            XCTAssertEqual(r.status, 1, r.stderr)
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains("create capture file \(link)") && r.stderr.contains("symbolic link")
                          && r.stderr.contains("--follow-symlinks"), r.stderr)
            var st = stat()
            XCTAssertEqual(stat(target, &st), 0)
            XCTAssertEqual(st.st_mode & 0o7777, 0o644, "the target's mode is unchanged")
            XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "precious contents\n")
            XCTAssertEqual(lstat(link, &st), 0)
            XCTAssertEqual(st.st_mode & S_IFMT, S_IFLNK, "the link is left as it was")
            unlink(link)
        }
        // Asked for, the link is followed: the capture lands in the target (now mode 0600).
        XCTAssertEqual(symlink(target, dir + "/asked.kcap"), 0)
        let r = try runProcess(kcap, ["record", "-w", dir + "/asked.kcap", "--follow-symlinks", "--", "/bin/true"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(try CaptureContents(path: target).finished)
        var st = stat()
        XCTAssertEqual(stat(target, &st), 0)
        XCTAssertEqual(st.st_mode & 0o7777, 0o600)
    }

    /// -w on something that is not a regular file: a device (whose mode a root recorder used to set to 0600,
    /// breaking /dev/null for everyone), a FIFO without a reader (which used to block in open), a directory.
    func testANonRegularWritePathIsRefused() throws {
        try requireBPF()
        let kcap = try kcapBinary()
        let dir = try makeScratchDirectory(self)
        XCTAssertEqual(mkfifo(dir + "/fifo", 0o600), 0)
        try FileManager.default.createDirectory(atPath: dir + "/d", withIntermediateDirectories: false)
        var before = stat()
        XCTAssertEqual(stat("/dev/null", &before), 0)
        for (path, what) in [("/dev/null", "a character device"), (dir + "/fifo", "a FIFO"), (dir + "/d", "a directory")] {
            let r = try runProcess(kcap, ["record", "-w", path, "--", "/bin/true"])
            XCTAssertEqual(r.status, 1, r.stderr)
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains(path) && r.stderr.contains("it is \(what), not a regular file"), r.stderr)
        }
        var after = stat()
        XCTAssertEqual(stat("/dev/null", &after), 0)
        XCTAssertEqual(after.st_mode, before.st_mode, "/dev/null keeps its mode")
    }

    /// Mounts a tmpfs of `size` on a fresh directory, unmounted (lazily, should a process still use it) at
    /// teardown; skips where mounting is not allowed.
    private func tinyDisk(_ size: String) throws -> String {
        let dir = try makeScratchDirectory(self)
        guard (try? runProcess("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", dir]))?.status == 0 else {
            print("RecorderAbuseTests: skipped: cannot mount a tmpfs here")
            throw XCTSkip("cannot mount a small tmpfs here")
        }
        addTeardownBlock { _ = try? runProcess("/bin/umount", ["-l", dir]) }
        return dir
    }

    /// A disk full from byte 0 used to end with "the capture is readable": now the one line says nothing
    /// reached the disk, and no empty file is left to be mistaken for a capture.
    func testADiskFullFromTheFirstByteSaysNothingWasWritten() throws {
        try requireBPF()
        let kcap = try kcapBinary()
        let dir = try tinyDisk("64k")
        // Fill it: dd stops at ENOSPC.
        _ = try runProcess("/bin/dd", ["if=/dev/zero", "of=\(dir)/filler", "bs=4096"])
        let path = dir + "/t.kcap"
        let r = try runProcess(kcap, ["record", "-w", path, "--", "/bin/true"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains(path) && r.stderr.contains("No space left on device"), r.stderr)
        XCTAssertTrue(r.stderr.contains("nothing reached the disk"), r.stderr)
        XCTAssertFalse(r.stderr.contains("readable"), "claims no readable capture: \(r.stderr)")
        XCTAssertFalse(r.stderr.contains("captured"), "no success line: \(r.stderr)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "no empty file is left behind")
    }

    /// A disk that fills midway (64 KiB): one line, exit 1, naming where the readable part ends; the file
    /// is exactly that long and reads cleanly, with the events that fitted.
    func testADiskFullMidwayLeavesAFileReadableToTheByteItNames() throws {
        try requireBPF()
        let kcap = try kcapBinary()
        let dir = try tinyDisk("64k")
        let path = dir + "/m.kcap"
        // The shell outlives a recorder that gave up: it first closes what it inherited beyond stdio (Foundation
        // waits for a descriptor of its own that the test process's children inherit), then loops while kcap,
        // its parent, is alive, and at most 15 s; slowly enough that each half-second chunk is a few KiB and
        // some fit before the disk is full.
        let script = "cd /; for f in /proc/$$/fd/*; do n=${f##*/}; [ $n -gt 2 ] && eval \"exec $n>&-\"; done 2>/dev/null; exec >/dev/null 2>&1; " +
            "i=0; while kill -0 $PPID && [ $i -lt 300 ]; do read x < /etc/hostname; sleep 0.05; i=$((i+1)); done"
        let p = try startRecorder(kcap, ["-w", path, "--events", "file", "--snaplen", "0", "--", "/bin/bash", "-c", script],
                                  stderrTo: NSTemporaryDirectory() + "kcap-full-\(getpid()).err")
        p.waitUntilExit()
        let stderrText = (try? String(contentsOfFile: NSTemporaryDirectory() + "kcap-full-\(getpid()).err", encoding: .utf8)) ?? ""
        unlink(NSTemporaryDirectory() + "kcap-full-\(getpid()).err")
        let r = (status: p.terminationStatus, stderr: stderrText)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains(path) && r.stderr.contains("No space left on device"), r.stderr)
        let kept = try XCTUnwrap(r.stderr.range(of: #"readable up to byte [0-9]+"#, options: .regularExpression)
            .map { UInt64(r.stderr[$0].split(separator: " ").last!)! }, r.stderr)
        var st = stat()
        XCTAssertEqual(stat(path, &st), 0)
        XCTAssertEqual(UInt64(st.st_size), kept, "the file ends where the line says")
        let c = try CaptureContents(path: path)
        XCTAssertTrue(c.problems.isEmpty, "cut at a block boundary: \(c.problems)")
        XCTAssertEqual(c.order.first, "S")
        XCTAssertGreaterThan(c.records.filter { $0.paths.contains("/etc/hostname") }.count, 0, "events before the disk filled: \(c.order)")
        let info = try runProcess(kcap, ["info", path])
        XCTAssertEqual(info.status, 0, info.stderr)
    }

    /// SIGKILL at 10 random moments, from process start to mid-recording: every file left reads with
    /// `kcap info` and `kcap read` (exit 0, or 2 for a file with problems), never a crash. A kill before the
    /// file exists leaves none; one in the moment between creating it and writing its header (microseconds)
    /// leaves an empty file, which kcap info reports as such in one line.
    func testSigkillAtRandomMomentsLeavesReadableFiles() throws {
        try requireBPF()
        let kcap = try kcapBinary()
        let dir = try makeScratchDirectory(self)
        var rng = SystemRandomNumberGenerator()
        var report: [String] = []
        for i in 0..<10 {
            let path = dir + "/k\(i).kcap"
            let delay = Double.random(in: 0...1.5, using: &rng)
            let p = try startRecorder(kcap, ["-w", path, "--duration", "5s", "--events", "file,process"], stderrTo: dir + "/k\(i).err")
            usleep(UInt32(delay * 1e6))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            var st = stat()
            guard stat(path, &st) == 0 else { report.append("\(delay): no file"); continue }
            if st.st_size == 0 {
                let info = try runProcess(kcap, ["info", path])
                XCTAssertEqual(info.status, 1, "delay \(delay): \(info.stderr)")
                XCTAssertTrue(info.stderr.contains("empty"), "delay \(delay): \(info.stderr)")
                report.append("\(delay): empty")
                continue
            }
            for command in ["info", "read"] {
                let r = try runProcess(kcap, [command, path])
                XCTAssertTrue(r.status == 0 || r.status == 2, "delay \(delay): kcap \(command) exit \(r.status): \(r.stderr)")
                XCTAssertFalse(r.stderr.contains("Fatal error"), r.stderr)
            }
            report.append("\(delay): \(st.st_size) bytes")
        }
        print("RecorderAbuseTests: SIGKILL after " + report.joined(separator: ", "))
    }
}
