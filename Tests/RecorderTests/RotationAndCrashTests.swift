import CaptureFormat
import Foundation
@testable import Recorder
import XCTest

/// Rotation keeps a ring of self-contained files; a killed recorder leaves a readable file; a recorder that
/// cannot record says why in one line.
final class RotationAndCrashTests: XCTestCase {
    func testRotationWritesSelfContainedFilesAndKeepsTheNewest() throws {
        try requireBPF()
        let dir = try makeScratchDirectory(self)
        var options = RecordingOptions(probe: ProbeOptions(events: try EventSelection("all", machine: Doctor.machineName())))
        // About 2.5 s of a process that keeps making syscalls, rotated every 300 ms, keeping 3 files.
        options.command = ["/bin/sh", "-c", "i=0; while [ $i -lt 50 ]; do ls / > /dev/null; sleep 0.05; i=$((i+1)); done"]
        options.flushIntervalNs = 100_000_000
        options.countersIntervalNs = 100_000_000
        let base = dir + "/ring.kcap"
        let policy = RotationPolicy(maxAgeNs: 300_000_000, maxFiles: 3)
        let sink = try CaptureFileSink(path: base, header: Recording.makeHeader(options: options, commandLine: ["test"]), rotation: policy)
        let result = try Recording(options: options, sink: sink).run()
        XCTAssertEqual(result.commandExitStatus, 0)
        XCTAssertEqual(result.dropped, 0)
        XCTAssertGreaterThan(sink.files.count, 3, "rotated more often than it keeps: \(sink.files)")
        XCTAssertEqual(sink.files.first, dir + "/ring-000.kcap")
        let remaining = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("ring-") }.sorted()
        XCTAssertEqual(remaining.map { dir + "/" + $0 }, Array(sink.files.suffix(3)), "only the newest 3 remain")
        var events = 0
        for name in remaining {
            let c = try CaptureContents(path: dir + "/" + name)
            XCTAssertTrue(c.finished, "\(name) has its footer")
            XCTAssertTrue(c.problems.isEmpty, "\(name): \(c.problems)")
            XCTAssertEqual(c.order.first, "S", "\(name) opens with its start snapshot: \(c.order)")
            // The last file may start after the shell ended (its snapshot then has nothing to show).
            if name != remaining.last {
                XCTAssertTrue(c.snapshots.first?.threads.contains { $0.comm == "sh" } ?? false, "\(name)'s snapshot has the shell")
            }
            XCTAssertEqual(c.order.last, "C", "\(name) ends with counters")
            XCTAssertGreaterThan(c.counters.last?.eventsSeen ?? 0, 0, "\(name)'s closing counters are current")
            XCTAssertGreaterThanOrEqual(c.counters.last?.eventsWritten ?? 0, UInt64(c.records.count))
            XCTAssertEqual(c.header.extra["fileIndex"], String(Int(name.dropFirst(5).prefix(3))!))
            events += c.records.count
        }
        XCTAssertGreaterThan(events, 0)
    }

    func testPeriodicSnapshotsFollowTheInterval() throws {
        try requireBPF()
        let dir = try makeScratchDirectory(self)
        var options = RecordingOptions(probe: ProbeOptions(events: try EventSelection("file", machine: Doctor.machineName())))
        options.command = ["/bin/sh", "-c", "exec 7</etc/hostname; sleep 1.3"]
        options.snapshotIntervalNs = 250_000_000
        options.flushIntervalNs = 100_000_000
        let path = dir + "/snaps.kcap"
        let sink = try CaptureFileSink(path: path, header: Recording.makeHeader(options: options, commandLine: ["test"]))
        let result = try Recording(options: options, sink: sink).run()
        XCTAssertEqual(result.commandExitStatus, 0)
        let c = try CaptureContents(path: path)
        XCTAssertGreaterThanOrEqual(c.snapshots.count, 4, "start + about one per 250 ms over 1.3 s: \(c.order)")
        let times = c.snapshots.map { $0.timestampNs }
        XCTAssertEqual(times, times.sorted(), "snapshots in time order")
        // A periodic snapshot shows the shell's fd 7 on /etc/hostname, resolved from /proc.
        XCTAssertTrue(c.snapshots.dropFirst().contains { $0.fds.contains { $0.fd == 7 && $0.name == "/etc/hostname" && $0.kind == .file } },
                      "fd 7 -> /etc/hostname in a periodic snapshot")
    }

    func testSigkillLeavesAReadableFile() throws {
        try requireBPF()
        let kcap = try kcapBinary()
        let dir = try makeScratchDirectory(self)
        let path = dir + "/killed.kcap"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: kcap)
        p.arguments = ["record", "-w", path, "--", "/bin/sh", "-c", "ls / > /dev/null; cat /etc/hostname > /dev/null; sleep 4"]
        p.standardError = FileHandle.nullDevice
        try p.run()
        Thread.sleep(forTimeInterval: 2.5) // past the 1 s flush, at least once
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .uncaughtSignal)
        let c = try CaptureContents(path: path)
        XCTAssertFalse(c.finished, "no footer after SIGKILL")
        XCTAssertEqual(c.order.first, "S")
        let execs = c.records.filter { $0.type == 3 }.map { $0.comm }
        XCTAssertTrue(execs.contains("ls") && execs.contains("cat"), "events flushed before the kill are readable: \(execs)")
    }

    /// A full disk (a 1 MiB tmpfs) stops the recorder with one line and exit 1, and leaves a file that reads
    /// cleanly up to its last complete chunk.
    func testAFullDiskStopsWithOneLineAndAReadableFile() throws {
        try requireBPF()
        let kcap = try kcapBinary()
        let dir = try makeScratchDirectory(self)
        guard (try? runProcess("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", dir]))?.status == 0 else {
            throw XCTSkip("cannot mount a small tmpfs here")
        }
        defer { _ = try? runProcess("/bin/umount", [dir]) }
        let path = dir + "/full.kcap"
        // A command that moves incompressible data: its I/O snapshots fill 1 MiB within seconds.
        let r = try runProcess(kcap, ["record", "-w", path, "--snaplen", "256", "--", "/bin/sh", "-c",
                                      "i=0; while [ $i -lt 4000 ]; do head -c 4096 /dev/urandom > /dev/null; i=$((i+1)); done"])
        XCTAssertEqual(r.status, 1, r.stderr)
        let lines = r.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains(path) && r.stderr.contains("No space left on device"), r.stderr)
        XCTAssertFalse(r.stderr.contains("Fatal error") || r.stderr.contains("backtrace"), r.stderr)
        let c = try CaptureContents(path: path)
        XCTAssertTrue(c.problems.isEmpty, "cut at a block boundary: \(c.problems)")
        XCTAssertEqual(c.order.first, "S")
        XCTAssertGreaterThan(c.records.count, 0)
    }

    func testSigintFinishesTheFile() throws {
        try requireBPF()
        let kcap = try kcapBinary()
        let dir = try makeScratchDirectory(self)
        let path = dir + "/int.kcap"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: kcap)
        p.arguments = ["record", "-w", path, "--events", "file", "--comm", "kcapnothing"]
        let err = Pipe()
        p.standardError = err
        try p.run()
        Thread.sleep(forTimeInterval: 1.5)
        kill(p.processIdentifier, SIGINT)
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("captured 0 events, dropped 0"), text)
        let c = try CaptureContents(path: path)
        XCTAssertTrue(c.finished, "SIGINT writes the footer")
        XCTAssertEqual(c.header.recorder["comm"], "kcapnothing")
    }

    func testSigtermIsPassedToTheCommand() throws {
        try requireBPF()
        let kcap = try kcapBinary()
        let dir = try makeScratchDirectory(self)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: kcap)
        p.arguments = ["record", "-w", dir + "/term.kcap", "--", "/bin/sleep", "30"]
        let err = Pipe()
        p.standardError = err
        try p.run()
        Thread.sleep(forTimeInterval: 1.0)
        kill(p.processIdentifier, SIGTERM)
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 128 + SIGTERM, "kcap exits with the command's status (killed by SIGTERM): \(text)")
        let c = try CaptureContents(path: dir + "/term.kcap")
        XCTAssertTrue(c.finished)
        XCTAssertTrue(c.records.contains { $0.type == 4 && $0.exitCode & 0x7f == SIGTERM }, "the command's exit by SIGTERM is recorded")
    }

    func testBadOptionsAreRefusedBeforeAnythingStarts() throws {
        let kcap = try kcapBinary()
        let cases: [([String], String)] = [
            (["-w", "/tmp/x.kcap", "-W", "3"], "-W/--rotate-count needs -C/--rotate-size or -G/--rotate-time"),
            (["-w", "/tmp/x.kcap", "--duration", "soon"], "--duration 'soon' is not a time"),
            (["-w", "/tmp/x.kcap", "--duration", "0"], "--duration '0' must be more than 0"),
            (["-w", "/tmp/x.kcap", "--duration", "0ms"], "--duration '0ms' must be more than 0"),
            (["-w", "/tmp/x.kcap", "--duration=-5s"], "--duration '-5s' must be more than 0"),
            (["--duration", "0s"], "--duration '0s' must be more than 0"),
            (["-w", "/tmp/x.kcap", "--buffer-size", "huge"], "--buffer-size 'huge' is not a size"),
            (["-w", "/tmp/x.kcap", "--comm", "a-very-long-command-name"], "--comm is at most 15 bytes"),
            (["-w", "/tmp/x.kcap", "--pid", "12", "--", "/bin/true"], "give either --pid or -- COMMAND"),
            // Without -w the output is live: its own options are checked the same way.
            (["-j", "-p", "%evt.type"], "-j/--json and -p/--format exclude each other"),
            (["-C", "10"], "-C and -G rotate capture files: give -w FILE"),
        ]
        for (args, message) in cases {
            let r = try runProcess(kcap, ["record"] + args)
            // A usage error: status 1 and one line, not ArgumentParser's usage block (docs/exit-status.md).
            XCTAssertEqual(r.status, 1, "\(args): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(message), "\(args): \(r.stderr)")
        }
    }

    func testUnwritablePathFailsWithOneLine() throws {
        try requireBPF()
        let kcap = try kcapBinary()
        let r = try runProcess(kcap, ["record", "-w", "/nonexistent-kcap-dir/t.kcap", "--", "/bin/true"])
        XCTAssertEqual(r.status, 1)
        let lines = r.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("create capture file /nonexistent-kcap-dir/t.kcap") && r.stderr.contains("No such file"), r.stderr)
    }

    func testACommandThatCannotExecFailsCleanly() throws {
        try requireBPF()
        let dir = try makeScratchDirectory(self)
        let bogus = dir + "/not-a-program"
        try "garbage".write(toFile: bogus, atomically: true, encoding: .utf8)
        chmod(bogus, 0o755)
        var options = RecordingOptions(probe: ProbeOptions(events: try EventSelection("all", machine: Doctor.machineName())))
        options.command = [bogus]
        let sink = try CaptureFileSink(path: dir + "/x.kcap", header: Recording.makeHeader(options: options, commandLine: ["test"]))
        XCTAssertThrowsError(try Recording(options: options, sink: sink).run()) { e in
            XCTAssertTrue("\(e)".hasPrefix("run command \(bogus): Exec format error"), "\(e)")
        }
        // The threads were stopped and the file finished: it reads with its footer.
        XCTAssertTrue(try CaptureContents(path: dir + "/x.kcap").finished)
        XCTAssertThrowsError(try Recording(options: { var o = options; o.command = ["no-such-program-kcap"]; return o }(), sink: sink).run()) { e in
            XCTAssertTrue("\(e)".contains("find command no-such-program-kcap"), "\(e)")
        }
    }

    func testNoBTFFailsWithOneLine() throws {
        try requireBPF()
        let kcap = try kcapBinary()
        let dir = try makeScratchDirectory(self)
        setenv("KCAP_VMLINUX_BTF", "/nonexistent/vmlinux", 1)
        defer { unsetenv("KCAP_VMLINUX_BTF") }
        let r = try runProcess(kcap, ["record", "-w", dir + "/t.kcap", "--", "/bin/true"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("check BTF /nonexistent/vmlinux") && r.stderr.contains("CONFIG_DEBUG_INFO_BTF"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/t.kcap"))
    }

    func testUnprivilegedRecordFailsWithOneLine() throws {
        let kcap = try kcapBinary()
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
            throw XCTSkip("needs root and setpriv to run kcap as nobody")
        }
        // The binary must be reachable by nobody: copy it to a world-readable place.
        let dir = try makeScratchDirectory(self)
        chmod(dir, 0o777)
        let copy = dir + "/kcap"
        try FileManager.default.copyItem(atPath: kcap, toPath: copy)
        chmod(copy, 0o755)
        var parent = (dir as NSString).deletingLastPathComponent
        while parent != "/" { if access(parent, X_OK) != 0 { throw XCTSkip("\(parent) not searchable") }; parent = (parent as NSString).deletingLastPathComponent }
        let r = try runProcess("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
                                             "--bounding-set=-all", copy, "record", "-w", dir + "/t.kcap", "--", "/bin/true"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("check privileges") && r.stderr.contains("root or CAP_BPF"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/t.kcap"), "nothing written without privileges")
    }

    func testDoctorPassesHereAndFailsWithoutPrivileges() throws {
        try requireBPF()
        let kcap = try kcapBinary()
        let ok = try runProcess(kcap, ["doctor", "--dir", NSTemporaryDirectory()])
        XCTAssertEqual(ok.status, 0, ok.stdout)
        for name in ["privileges", "BTF", "ring buffer", "tracepoint sys_enter", "tracepoint sys_exit",
                     "tracepoint sched_process_fork", "tracepoint sched_process_exec", "tracepoint sched_process_exit", "disk"] {
            XCTAssertTrue(ok.stdout.split(separator: "\n").contains { $0.hasPrefix("OK") && $0.contains(name) }, "\(name) OK:\n\(ok.stdout)")
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { throw XCTSkip("no setpriv") }
        let dir = try makeScratchDirectory(self)
        chmod(dir, 0o777)
        let copy = dir + "/kcap"
        try FileManager.default.copyItem(atPath: kcap, toPath: copy)
        chmod(copy, 0o755)
        let bad = try runProcess("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
                                                      "--bounding-set=-all", copy, "doctor", "--dir", dir])
        XCTAssertEqual(bad.status, 1, bad.stdout)
        XCTAssertTrue(bad.stdout.contains("FAIL privileges"), bad.stdout)
        XCTAssertTrue(bad.stdout.contains("setcap cap_bpf,cap_perfmon+ep"), "says what to do:\n\(bad.stdout)")
    }
}
