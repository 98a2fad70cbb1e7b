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
            XCTAssertEqual(c.header.extra["fileIndex"], String(Int(name.dropFirst(5).prefix(3))!))
            events += c.records.count
        }
        XCTAssertGreaterThan(events, 0)
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

    func testUnwritablePathFailsWithOneLine() throws {
        try requireBPF()
        let kcap = try kcapBinary()
        let r = try runProcess(kcap, ["record", "-w", "/nonexistent-kcap-dir/t.kcap", "--", "/bin/true"])
        XCTAssertEqual(r.status, 1)
        let lines = r.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("create capture file /nonexistent-kcap-dir/t.kcap") && r.stderr.contains("No such file"), r.stderr)
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
}
