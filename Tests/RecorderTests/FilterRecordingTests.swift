import CaptureFormat
import Foundation
@testable import Recorder
import XCTest

/// The kernel-side pre-filters the loader configures: the syscall bitmap (--events) and the comm filter
/// (--comm), and the CLI's pass-through of the command's exit status.
final class FilterRecordingTests: XCTestCase {
    func record(events: String, comm: String? = nil, command: [String]) throws -> (CaptureContents, RecordingResult) {
        try requireBPF()
        let dir = try makeScratchDirectory(self)
        var probe = ProbeOptions(events: try EventSelection(events, machine: Doctor.machineName()))
        probe.comm = comm
        var options = RecordingOptions(probe: probe)
        options.command = command
        let path = dir + "/f.kcap"
        let sink = try CaptureFileSink(path: path, header: Recording.makeHeader(options: options, commandLine: ["test"]))
        let result = try Recording(options: options, sink: sink).run()
        return (try CaptureContents(path: path), result)
    }

    func testEventsBitmapLimitsSyscalls() throws {
        let table = try EventSelection.table(for: Doctor.machineName())
        let (cap, result) = try record(events: "openat,close", command: ["/bin/sh", "-c", "cat /etc/hostname > /dev/null; ls / > /dev/null"])
        XCTAssertEqual(result.commandExitStatus, 0)
        let sys = cap.records.filter { $0.type == 1 }
        XCTAssertFalse(sys.isEmpty)
        XCTAssertEqual(Set(sys.map { $0.nr }), Set([table["openat"]!, table["close"]!]), "only the selected syscalls")
        XCTAssertTrue(sys.contains { $0.paths == ["/etc/hostname"] && $0.ret >= 0 })
        XCTAssertEqual(cap.records.filter { $0.type == 3 }.map { $0.comm }.sorted(), ["cat", "ls", "sh"], "process events whatever --events says")
    }

    func testCommFilterKeepsOnlyThatCommand() throws {
        try requireBPF()
        let dir = try makeScratchDirectory(self)
        // A program with a comm nothing else on the machine has.
        let program = dir + "/kcapcommtest"
        try FileManager.default.copyItem(atPath: "/bin/cat", toPath: program)
        var probe = ProbeOptions(events: try EventSelection("all", machine: Doctor.machineName()))
        probe.comm = "kcapcommtest"
        var options = RecordingOptions(probe: probe)
        options.durationNs = 3_000_000_000
        let path = dir + "/comm.kcap"
        let sink = try CaptureFileSink(path: path, header: Recording.makeHeader(options: options, commandLine: ["test"]))
        var result: Result<RecordingResult, Error>?
        let done = expectation(description: "recording")
        Thread.detachNewThread {
            result = Result { try Recording(options: options, sink: sink).run() }
            done.fulfill()
        }
        Thread.sleep(forTimeInterval: 1.2) // loading and attaching takes about 0.3 s here; leave room on a busy CI
        let r = try runProcess(program, ["/etc/hostname"])
        XCTAssertEqual(r.status, 0)
        wait(for: [done], timeout: 10)
        _ = try XCTUnwrap(result).get()
        let cap = try CaptureContents(path: path)
        let sys = cap.records.filter { $0.type == 1 }
        XCTAssertTrue(sys.contains { $0.paths == ["/etc/hostname"] && $0.ret >= 0 }, "the program's open is recorded")
        let pids = Set(cap.records.map { $0.pid })
        XCTAssertEqual(pids.count, 1, "only the one process whose comm matches: \(pids)")
        XCTAssertTrue(cap.records.contains { $0.type == 4 }, "its exit")
    }

    /// --comm with -- COMMAND: the tree is followed through processes whose comm does not match (sh), and
    /// only the matching ones (cat) are recorded.
    func testCommFilterInsideACommandsTree() throws {
        let (cap, _) = try record(events: "all", comm: "cat", command: ["/bin/sh", "-c", "cat /etc/hostname > /dev/null; ls / > /dev/null"])
        let sys = cap.records.filter { $0.type == 1 }
        XCTAssertTrue(sys.contains { $0.paths == ["/etc/hostname"] && $0.ret >= 0 }, "cat's open is recorded")
        let catPids = Set(cap.records.filter { $0.type == 3 && $0.comm == "cat" }.map { $0.pid })
        XCTAssertEqual(catPids.count, 1)
        XCTAssertTrue(sys.allSatisfy { catPids.contains($0.pid) }, "no syscall of sh or ls: \(Set(sys.map { $0.pid }))")
    }

    func testCLIReturnsTheCommandsExitStatus() throws {
        try requireBPF()
        let kcap = try kcapBinary()
        let dir = try makeScratchDirectory(self)
        let r = try runProcess(kcap, ["record", "-w", dir + "/s.kcap", "--snaplen", "0", "--", "/bin/sh", "-c", "echo out; exit 5"])
        XCTAssertEqual(r.status, 5)
        XCTAssertEqual(r.stdout, "out\n", "the command's output passes through")
        XCTAssertTrue(r.stderr.contains("captured ") && r.stderr.contains("events, dropped 0 to \(dir)/s.kcap"), r.stderr)
        let cap = try CaptureContents(path: dir + "/s.kcap")
        XCTAssertEqual(cap.header.recorder["snaplen"], "0")
        XCTAssertTrue(cap.records.filter { $0.type == 1 }.allSatisfy { $0.data == nil }, "--snaplen 0 keeps no I/O bytes")
        XCTAssertTrue(cap.records.contains { $0.type == 4 && $0.exitCode == 5 << 8 })
    }

    /// Latency from sys_enter to sys_exit: a sleep that blocks 200 ms (the thread leaves its CPU, so its entry
    /// time travels through sched_switch) and the fast calls around it (which never leave the CPU), all
    /// with their entry seen.
    func testLatencyOfBlockingAndFastSyscalls() throws {
        try requireBPF()
        let dir = try makeScratchDirectory(self)
        var options = RecordingOptions(probe: ProbeOptions(events: try EventSelection("all", machine: Doctor.machineName())))
        options.command = ["/bin/sleep", "0.2"]
        let path = dir + "/latency.kcap"
        let sink = try CaptureFileSink(path: path, header: Recording.makeHeader(options: options, commandLine: ["test"]))
        let result = try Recording(options: options, sink: sink).run()
        XCTAssertEqual(result.commandExitStatus, 0)
        let cap = try CaptureContents(path: path)
        let table = try EventSelection.table(for: Doctor.machineName())
        func nr(_ name: String) -> Int { table[name] ?? -1 }
        let sleeps = cap.records.filter { $0.type == 1 && ($0.nr == nr("clock_nanosleep") || $0.nr == nr("nanosleep")) }
        XCTAssertEqual(sleeps.count, 1, "one sleep syscall")
        if let s = sleeps.first {
            XCTAssertEqual(s.flags & 4, 0, "entry seen")
            XCTAssertGreaterThanOrEqual(s.latency, 200_000_000)
            XCTAssertLessThan(s.latency, 2_000_000_000)
        }
        // After the exec: every syscall of the sleep process saw its entry, and the fast ones took < 10 ms.
        let execAt = cap.records.first { $0.type == 3 }?.ts ?? 0
        let after = cap.records.filter { $0.type == 1 && $0.ts > execAt && $0.nr != nr("exit_group") }
        XCTAssertGreaterThan(after.count, 20)
        XCTAssertTrue(after.allSatisfy { $0.flags & 4 == 0 }, "a syscall without its entry")
        let fast = after.filter { $0.nr == nr("close") || $0.nr == nr("mmap") || $0.nr == nr("brk") }
        XCTAssertFalse(fast.isEmpty)
        XCTAssertTrue(fast.allSatisfy { $0.latency > 0 && $0.latency < 10_000_000 }, "\(fast.map { $0.latency })")
    }

    /// A syscall that does not return before the recording stops leaves no record of its own: the last
    /// snapshot names it, with the entry time the program saw, and `kcap stats` lists it as in flight.
    func testASyscallStillBlockedAtTheEndIsInTheLastSnapshotAndInStats() throws {
        try requireBPF()
        let dir = try makeScratchDirectory(self)
        var options = RecordingOptions(probe: ProbeOptions(events: try EventSelection("all", machine: Doctor.machineName())))
        options.command = ["/bin/sleep", "3"]
        options.durationNs = 1_000_000_000
        let path = dir + "/inflight.kcap"
        let sink = try CaptureFileSink(path: path, header: Recording.makeHeader(options: options, commandLine: ["test"]))
        let recording = Recording(options: options, sink: sink)
        recording.warn = { _ in }
        let result = try recording.run()
        XCTAssertEqual(result.stopReason, .duration)
        let cap = try CaptureContents(path: path)
        let table = try EventSelection.table(for: Doctor.machineName())
        let sleeps = [table["nanosleep"], table["clock_nanosleep"]].compactMap { $0 }
        XCTAssertFalse(cap.records.contains { $0.type == 1 && sleeps.contains($0.nr) }, "the sleep never returned")
        let last = try XCTUnwrap(cap.snapshots.last)
        let sleeper = try XCTUnwrap(last.threads.first { $0.comm == "sleep" }, "the sleep process is in the last snapshot")
        let call = try XCTUnwrap(sleeper.syscall, "blocked in a syscall")
        XCTAssertTrue(sleeps.contains(Int(call.nr)), "\(call)")
        let execTs = try XCTUnwrap(cap.records.first { $0.type == 3 }?.ts)
        XCTAssertGreaterThan(call.enteredNs, execTs, "its entry, seen by the program after the exec")
        XCTAssertLessThan(call.enteredNs, last.timestampNs)

        let stats = try runProcess(try kcapBinary(), ["stats", path])
        XCTAssertEqual(stats.status, 0, stats.stderr)
        let section = stats.stdout.components(separatedBy: "In flight at the end").last ?? ""
        XCTAssertTrue(stats.stdout.contains("In flight at the end"), stats.stdout)
        XCTAssertTrue(section.split(separator: "\n").contains { $0.contains(" sleep ") && $0.contains("nanosleep") && $0.contains(">= ") },
                      section)
        // kcap's own threads are never recorded, so never listed.
        XCTAssertFalse(section.contains("kcap"), section)
    }

    /// A pipe made during the capture is named by its inode, as /proc and the snapshots name pipes: the write
    /// of the pipeline's left side shows the same `pipe:[N]` as the pipe2 that made it.
    func testPipesMadeDuringTheCaptureAreNamedByInode() throws {
        try requireBPF()
        let dir = try makeScratchDirectory(self)
        let path = dir + "/pipe.kcap"
        let rec = try runProcess(try kcapBinary(), ["record", "-w", path, "--", "/bin/sh", "-c", "echo hi | cat > /dev/null"])
        XCTAssertEqual(rec.status, 0, rec.stderr)
        let made = try runProcess(try kcapBinary(), ["read", path, "-p", "%evt.args", "evt.type in (pipe, pipe2)"])
        let line = try XCTUnwrap(made.stdout.split(separator: "\n").first.map(String.init), made.stdout + made.stderr)
        let ino = try XCTUnwrap(line.split(separator: " ").first { $0.hasPrefix("ino=") }?.dropFirst(4), line)
        XCTAssertTrue(line.contains("(<p>pipe:[\(ino)]),"), line)
        let writes = try runProcess(try kcapBinary(), ["read", path, "-p", "%fd.name", "evt.type=write and fd.type=pipe"])
        XCTAssertEqual(writes.stdout, "pipe:[\(ino)]\n", "the echo into the pipe")
    }

    /// Two busy processes on every CPU: each CPU's buffer is merged by timestamp, so the capture is in time
    /// order across CPUs (the analyzer's fd tables rely on it) and nothing is lost on the way.
    func testRecordsFromEveryCPUAreMergedInTimeOrder() throws {
        try requireBPF()
        let dir = try makeScratchDirectory(self)
        var options = RecordingOptions(probe: ProbeOptions(events: try EventSelection("all", machine: Doctor.machineName())))
        // CI runs the fuzzers beside the tests: unpinned, both dd's could share one CPU (nothing to merge),
        // and the drain could fall behind a 32 MiB buffer. Each dd is pinned to its own CPU (taskset, from
        // util-linux), and the buffers hold the whole run (~45 MB of records), so only a lost or misordered
        // record can fail this test, not the neighbours.
        options.probe.bufferSize = 512 << 20
        let cpus = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        let dd = "dd if=/dev/zero of=/dev/null bs=1 count=100000 status=none"
        let pinned = (0..<max(cpus, 2)).map { "taskset -c \($0 % max(cpus, 1)) \(dd) &" }
        options.command = ["/bin/sh", "-c", pinned.joined(separator: " ") + " wait"]
        let path = dir + "/merged.kcap"
        let sink = try CaptureFileSink(path: path, header: Recording.makeHeader(options: options, commandLine: ["test"]))
        let result = try Recording(options: options, sink: sink).run()
        XCTAssertEqual(result.commandExitStatus, 0)
        XCTAssertEqual(result.counters.dropRingFull, 0, result.summary)
        let cap = try CaptureContents(path: path)
        XCTAssertGreaterThan(cap.records.count, 400_000 * max(cpus, 2) / 2, "every dd's reads and writes are there")
        var previous: UInt64 = 0
        var outOfOrder = 0
        for r in cap.records {
            if r.ts < previous { outOfOrder += 1 }
            previous = r.ts
        }
        XCTAssertEqual(outOfOrder, 0, "records out of time order")
        if cpus > 1 {
            XCTAssertGreaterThan(Set(cap.records.map { $0.cpu }).count, 1, "the load ran on one CPU only")
        }
    }

    /// Buffers far too small for the load (the 64 KiB minimum per CPU): the losses are counted by reason and
    /// every event is accounted for.
    func testRingFullDropsAreCountedAndReported() throws {
        try requireBPF()
        let dir = try makeScratchDirectory(self)
        var probe = ProbeOptions(events: try EventSelection("all", machine: Doctor.machineName()))
        probe.bufferSize = 8192
        var options = RecordingOptions(probe: probe)
        options.command = ["/bin/dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=200000", "status=none"]
        let path = dir + "/full.kcap"
        let sink = try CaptureFileSink(path: path, header: Recording.makeHeader(options: options, commandLine: ["test"]))
        let result = try Recording(options: options, sink: sink).run()
        XCTAssertEqual(result.commandExitStatus, 0)
        let c = result.counters
        XCTAssertGreaterThan(c.dropRingFull, 0, result.summary)
        XCTAssertTrue(result.summary.contains("kernel buffer full (try a larger --buffer-size)"), result.summary)
        XCTAssertEqual(c.eventsSeen, result.eventsCaptured + c.dropRingFull + c.dropTooLarge + c.dropUserQueue,
                       "seen = captured + dropped: \(c)")
        let cap = try CaptureContents(path: path)
        XCTAssertEqual(cap.counters.last?.dropRingFull, c.dropRingFull, "the drops are in the capture")
        XCTAssertEqual(UInt64(cap.records.count), result.eventsCaptured)
    }

    /// --pid follows a running process and the children it forks while recorded, nothing else.
    func testPidFilterFollowsTheProcessTree() throws {
        try requireBPF()
        let dir = try makeScratchDirectory(self)
        let loop = Process()
        loop.executableURL = URL(fileURLWithPath: "/bin/sh")
        loop.arguments = ["-c", "while :; do cat /etc/hostname > /dev/null; sleep 0.1; done"]
        try loop.run()
        defer { loop.terminate(); loop.waitUntilExit() }
        Thread.sleep(forTimeInterval: 0.2)
        let shell = UInt32(loop.processIdentifier)
        var probe = ProbeOptions(events: try EventSelection("all", machine: Doctor.machineName()))
        probe.pids = [Int32(shell)]
        var options = RecordingOptions(probe: probe)
        options.durationNs = 1_000_000_000
        let path = dir + "/pid.kcap"
        let sink = try CaptureFileSink(path: path, header: Recording.makeHeader(options: options, commandLine: ["test"]))
        let result = try Recording(options: options, sink: sink).run()
        XCTAssertEqual(result.stopReason, .duration)
        XCTAssertEqual(result.dropped, 0)
        let cap = try CaptureContents(path: path)
        let children = Set(cap.records.filter { $0.type == 2 && $0.pid == shell }.map { $0.childPid })
        XCTAssertGreaterThanOrEqual(children.count, 3, "the shell forked cat and sleep several times in 1 s")
        let pids = Set(cap.records.map { $0.pid })
        XCTAssertTrue(pids.isSubset(of: children.union([shell])), "only the shell and its children: \(pids.subtracting(children.union([shell])))")
        XCTAssertTrue(cap.records.contains { $0.type == 3 && $0.comm == "cat" })
        XCTAssertTrue(cap.records.contains { $0.type == 1 && $0.paths == ["/etc/hostname"] })
        XCTAssertFalse(cap.records.contains { $0.type == 4 && $0.pid == shell && $0.groupDead == 1 }, "the shell outlives the capture")
        let start = try XCTUnwrap(cap.snapshots.first)
        XCTAssertTrue(start.threads.contains { $0.tid == shell && $0.comm == "sh" && $0.args.first == "/bin/sh" }, "the shell is in the start snapshot")
        XCTAssertTrue(start.threads.allSatisfy { $0.pid == shell || children.contains($0.pid) }, "the snapshot holds only the followed tree")
    }

    /// A tracepoint the kernel lacks switches its program off with a warning; the rest records as usual.
    func testMissingTracepointIsSwitchedOffWithAWarning() throws {
        try requireBPF()
        XCTAssertEqual(KernelFeatures.missingTracepoints(["sys_enter", "kcap_no_such_tracepoint"]), ["kcap_no_such_tracepoint"])
        let dir = try makeScratchDirectory(self)
        var probe = ProbeOptions(events: try EventSelection("all", machine: Doctor.machineName()))
        probe.treatAsMissing = ["sched_process_exec"]
        var options = RecordingOptions(probe: probe)
        options.command = ["/bin/sh", "-c", "cat /etc/hostname > /dev/null"]
        let sink = try CaptureFileSink(path: dir + "/m.kcap", header: Recording.makeHeader(options: options, commandLine: ["test"]))
        let recording = Recording(options: options, sink: sink)
        var warnings: [String] = []
        recording.warn = { warnings.append($0) }
        let result = try recording.run()
        XCTAssertEqual(result.commandExitStatus, 0)
        XCTAssertEqual(warnings, ["this kernel has no tracepoint sched_process_exec; kcap_proc_exec switched off, those events will be missing"])
        XCTAssertEqual(result.warnings, warnings)
        let cap = try CaptureContents(path: dir + "/m.kcap")
        XCTAssertFalse(cap.records.contains { $0.type == 3 }, "no exec records")
        XCTAssertTrue(cap.records.contains { $0.type == 2 } && cap.records.contains { $0.type == 1 }, "fork and syscalls still recorded")
    }

    /// -n stops after exactly that many records, and --duration after that long.
    func testMaxEventsAndDurationStop() throws {
        try requireBPF()
        let dir = try makeScratchDirectory(self)
        var options = RecordingOptions(probe: ProbeOptions(events: try EventSelection("all", machine: Doctor.machineName())))
        options.command = ["/bin/sh", "-c", "i=0; while [ $i -lt 200 ]; do cat /etc/hostname > /dev/null; i=$((i+1)); done"]
        options.maxEvents = 100
        let sink = try CaptureFileSink(path: dir + "/n.kcap", header: Recording.makeHeader(options: options, commandLine: ["test"]))
        let recording = Recording(options: options, sink: sink)
        recording.warn = { _ in }
        let result = try recording.run()
        XCTAssertEqual(result.stopReason, .maxEvents)
        XCTAssertEqual(result.eventsCaptured, 100)
        XCTAssertEqual(try CaptureContents(path: dir + "/n.kcap").records.count, 100)

        var timed = RecordingOptions(probe: ProbeOptions(events: try EventSelection("file", machine: Doctor.machineName())))
        timed.durationNs = 700_000_000
        let sink2 = try CaptureFileSink(path: dir + "/d.kcap", header: Recording.makeHeader(options: timed, commandLine: ["test"]))
        let start = Date()
        let r2 = try Recording(options: timed, sink: sink2).run()
        let took = Date().timeIntervalSince(start)
        XCTAssertEqual(r2.stopReason, .duration)
        XCTAssertGreaterThanOrEqual(took, 0.7)
        XCTAssertLessThan(took, 5, "stops promptly after --duration")
        XCTAssertTrue(try CaptureContents(path: dir + "/d.kcap").finished)
    }
}
