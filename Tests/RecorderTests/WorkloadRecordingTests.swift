import CaptureFormat
import Foundation
@testable import Recorder
import XCTest

/// Records the known workload (Workload/workload.c) with `-- COMMAND` through the Recorder API, for real,
/// and checks that every syscall it makes is in the capture with its arguments, paths, addresses and results.
final class WorkloadRecordingTests: XCTestCase {
    static let nr = try! EventSelection.table(for: "x86_64")

    func recordWorkload(steps: String? = nil) throws -> (capture: CaptureContents, result: RecordingResult, facts: [String: Int], dir: String) {
        try requireBPF()
        try XCTSkipUnless(Doctor.machineName() == "x86_64", "syscall numbers asserted for x86_64 only")
        let dir = try makeScratchDirectory(self)
        let workload = try buildWorkload(into: dir)
        let work = dir + "/work"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        var options = RecordingOptions(probe: ProbeOptions(events: try EventSelection("all", machine: "x86_64")))
        options.command = [workload, work] + (steps.map { [$0] } ?? [])
        options.durationNs = 30_000_000_000 // a safety net: the workload takes milliseconds
        let path = dir + "/workload.kcap"
        let header = Recording.makeHeader(options: options, commandLine: ["test"])
        let sink = try CaptureFileSink(path: path, header: header)
        let result = try Recording(options: options, sink: sink).run()
        let capture = try CaptureContents(path: path)
        var facts: [String: Int] = [:]
        for line in try String(contentsOfFile: work + "/facts.txt", encoding: .utf8).split(separator: "\n") {
            let kv = line.split(separator: "=")
            if kv.count == 2, let v = Int(kv[1]) { facts[String(kv[0])] = v }
        }
        return (capture, result, facts, work)
    }

    func testWorkloadIsRecordedCompletely() throws {
        let (cap, result, facts, work) = try recordWorkload()
        let pid = UInt32(try XCTUnwrap(facts["pid"]))
        XCTAssertEqual(result.stopReason, .commandExited)
        XCTAssertEqual(result.commandExitStatus, 42, "the workload's exit status is passed through")
        XCTAssertEqual(result.dropped, 0, result.summary)
        XCTAssertTrue(cap.finished, "footer written")
        XCTAssertTrue(cap.problems.isEmpty, "\(cap.problems)")
        XCTAssertEqual(cap.order.first, "S", "the file opens with a snapshot: \(cap.order)")
        XCTAssertEqual(cap.counters.last?.dropRingFull, 0)
        XCTAssertEqual(cap.counters.last?.dropUserQueue, 0)
        XCTAssertEqual(cap.counters.last?.eventsWritten, UInt64(cap.records.count))
        XCTAssertEqual(result.eventsCaptured, UInt64(cap.records.count))
        XCTAssertEqual(cap.header.machine, "x86_64")

        let mine = cap.records.filter { $0.pid == pid }
        let sys = mine.filter { $0.type == 1 }
        func calls(_ names: String...) -> [TestRecord] {
            let nrs = Set(names.compactMap { Self.nr[$0] })
            return sys.filter { nrs.contains($0.nr) }
        }
        XCTAssertTrue(cap.records.allSatisfy { $0.pid != UInt32(getpid()) }, "the recorder's own process is excluded")

        // chdir to the work directory
        XCTAssertTrue(calls("chdir").contains { $0.paths == [work] && $0.ret == 0 }, "chdir(\(work))")

        // open for write: O_CREAT|O_WRONLY|O_TRUNC, mode 0644, a new fd
        let creates = calls("open", "openat").filter { $0.paths == ["wl_file.txt"] }
        let create = try XCTUnwrap(creates.first, "openat(wl_file.txt) for writing")
        let flagArg = create.nr == Self.nr["openat"] ? 2 : 1
        XCTAssertEqual(Int32(truncatingIfNeeded: create.args[flagArg]), O_CREAT | O_WRONLY | O_TRUNC)
        XCTAssertEqual(create.args[flagArg + 1], 0o644)
        XCTAssertGreaterThanOrEqual(create.ret, 3)
        let wfd = UInt64(create.ret)

        // write of the 20-byte payload to that fd, with the bytes
        let payload = Array("hello kcap workload\n".utf8)
        XCTAssertTrue(calls("write").contains { $0.args[0] == wfd && $0.args[2] == 20 && $0.ret == 20 && $0.data == payload },
                      "write(fd \(wfd), payload) = 20")
        XCTAssertTrue(calls("close").contains { $0.args[0] == wfd && $0.ret == 0 })
        // The registers a syscall does not take (close: 1 argument, read and write: 3) hold leftovers of the
        // caller's code; the program records zeros there (kcap_unused_args).
        XCTAssertTrue(calls("close").allSatisfy { $0.args[1...].allSatisfy { $0 == 0 } }, "close's unused registers are 0")
        XCTAssertTrue(calls("read", "write").allSatisfy { $0.args[3...].allSatisfy { $0 == 0 } }, "read/write: registers 3-5 are 0")
        XCTAssertFalse(calls("getpid").isEmpty, "the workload's getpid")
        XCTAssertTrue(calls("getpid").allSatisfy { $0.args.allSatisfy { $0 == 0 } }, "getpid takes no argument: all six are 0")

        // open for read and the read back
        XCTAssertEqual(creates.count, 2, "two opens of wl_file.txt")
        let reopen = try XCTUnwrap(creates.dropFirst().first, "openat(wl_file.txt, O_RDONLY)")
        XCTAssertEqual(Int32(truncatingIfNeeded: reopen.args[flagArg]) & O_ACCMODE, O_RDONLY)
        XCTAssertGreaterThanOrEqual(reopen.ret, 3)
        XCTAssertTrue(calls("read").contains { $0.args[0] == UInt64(reopen.ret) && $0.args[2] == 64 && $0.ret == 20 && $0.data == payload },
                      "read(fd, 64) = 20 with the payload")

        // the failed open
        XCTAssertTrue(calls("open", "openat").contains { $0.paths == ["does_not_exist.txt"] && $0.ret == -Int64(ENOENT) },
                      "openat(does_not_exist.txt) = -ENOENT")
        XCTAssertTrue(calls("rename", "renameat", "renameat2").contains { $0.paths == ["wl_file.txt", "wl_renamed.txt"] && $0.ret == 0 },
                      "rename(wl_file.txt, wl_renamed.txt)")
        XCTAssertTrue(calls("mkdir", "mkdirat").contains { $0.paths == ["wl_dir"] && $0.ret == 0 }, "mkdir(wl_dir)")
        XCTAssertTrue(calls("rmdir", "unlinkat").contains { $0.paths == ["wl_dir"] && $0.ret == 0 }, "rmdir(wl_dir)")
        XCTAssertTrue(calls("unlink", "unlinkat").contains { $0.paths == ["wl_renamed.txt"] && $0.ret == 0 }, "unlink(wl_renamed.txt)")

        // TCP: connect to 127.0.0.1:port, accept from 127.0.0.1:client_port, ping/pong
        let tcpPort = UInt16(try XCTUnwrap(facts["tcp_port"])), clientPort = UInt16(try XCTUnwrap(facts["client_port"]))
        XCTAssertTrue(calls("bind").contains { $0.sockaddrs.compactMap(TestRecord.inet).contains { $0.addr == "127.0.0.1" } && $0.ret == 0 })
        XCTAssertTrue(calls("connect").contains { c in
            c.ret == 0 && c.sockaddrs.compactMap(TestRecord.inet).contains { $0.family == 2 && $0.addr == "127.0.0.1" && $0.port == tcpPort }
        }, "connect(127.0.0.1:\(tcpPort)) = 0")
        XCTAssertTrue(calls("accept", "accept4").contains { a in
            a.ret >= 3 && a.sockaddrs.compactMap(TestRecord.inet).contains { $0.addr == "127.0.0.1" && $0.port == clientPort }
        }, "accept() = fd, peer 127.0.0.1:\(clientPort)")
        XCTAssertTrue(calls("write").contains { $0.ret == 4 && $0.data == Array("ping".utf8) })
        XCTAssertTrue(calls("read").contains { $0.ret == 4 && $0.data == Array("ping".utf8) })
        XCTAssertTrue(calls("read").contains { $0.ret == 4 && $0.data == Array("pong".utf8) })

        // UDP: sendto 127.0.0.1:udp_port, recvfrom
        let udpPort = UInt16(try XCTUnwrap(facts["udp_port"]))
        XCTAssertTrue(calls("sendto").contains { s in
            s.ret == 9 && s.data == Array("udp-hello".utf8) &&
                s.sockaddrs.compactMap(TestRecord.inet).contains { $0.addr == "127.0.0.1" && $0.port == udpPort }
        }, "sendto(127.0.0.1:\(udpPort), udp-hello) = 9")
        XCTAssertTrue(calls("recvfrom").contains { r in
            r.ret == 9 && r.data == Array("udp-hello".utf8) && r.sockaddrs.compactMap(TestRecord.inet).contains { $0.addr == "127.0.0.1" }
        }, "recvfrom() = 9 from 127.0.0.1")

        // the thread: a fork record for a thread of the same process, and its failing open
        let threadForks = mine.filter { $0.type == 2 && $0.childPid == pid && $0.childTid != pid }
        let threadTid = try XCTUnwrap(threadForks.first?.childTid, "sched_process_fork of the pthread")
        XCTAssertTrue(sys.contains { $0.tid == threadTid && $0.paths == ["thread_marker_missing"] && $0.ret == -Int64(ENOENT) },
                      "the thread's own openat, attributed to tid \(threadTid)")

        // fork: the child exits 7
        let forkChild = UInt32(try XCTUnwrap(facts["fork_child"]))
        XCTAssertTrue(mine.contains { $0.type == 2 && $0.childPid == forkChild && $0.childTid == forkChild }, "sched_process_fork of \(forkChild)")
        XCTAssertTrue(calls("clone", "clone3", "fork", "vfork").contains { $0.ret == Int64(forkChild) }, "clone() = \(forkChild)")
        XCTAssertTrue(cap.records.contains { $0.type == 4 && $0.pid == forkChild && $0.exitCode == 7 << 8 && $0.groupDead == 1 },
                      "sched_process_exit of \(forkChild) with status 7")
        XCTAssertTrue(calls("wait4", "waitid").contains { $0.ret == Int64(forkChild) })

        // exec of /bin/true with the known argv
        let execChild = UInt32(try XCTUnwrap(facts["exec_child"]))
        let exec = try XCTUnwrap(cap.records.first { $0.type == 3 && $0.pid == execChild }, "sched_process_exec of \(execChild)")
        XCTAssertEqual(exec.argv, ["true", "kcap-arg1", "kcap arg 2"])
        XCTAssertEqual(exec.comm, "true")
        XCTAssertTrue(exec.paths.contains("/bin/true") || exec.paths.contains("/usr/bin/true"), "\(exec.paths)")
        let execve = cap.records.filter { $0.type == 1 && $0.pid == execChild && $0.nr == Self.nr["execve"] }
        // The program keeps the executed path from sched_process_exec for the successful execve's record.
        XCTAssertTrue(execve.contains { $0.ret == 0 && $0.paths.first == "/bin/true" },
                      "execve(/bin/true) = 0 in the child: \(execve.map { ($0.ret, $0.flags, $0.paths) })")
        XCTAssertTrue(cap.records.contains { $0.type == 4 && $0.pid == execChild && $0.exitCode == 0 })

        // exit(42)
        XCTAssertTrue(calls("exit_group").contains { $0.args[0] == 42 }, "exit_group(42)")
        XCTAssertTrue(mine.contains { $0.type == 4 && $0.tid == pid && $0.exitCode == 42 << 8 && $0.groupDead == 1 }, "sched_process_exit, status 42")

        // the start snapshot describes the command before it ran; nothing of other processes is recorded
        XCTAssertFalse(cap.snapshots.isEmpty)
        let foreign = cap.records.filter { ![pid, forkChild, execChild].contains($0.pid) }
        XCTAssertTrue(foreign.isEmpty, "only the command's tree is recorded, found pids \(Set(foreign.map { $0.pid }))")
    }

    func testFailingSyscallsCarryTheirErrno() throws {
        let (cap, result, facts, _) = try recordWorkload(steps: "fail")
        XCTAssertEqual(result.commandExitStatus, 42)
        XCTAssertEqual(result.dropped, 0)
        let pid = UInt32(try XCTUnwrap(facts["pid"]))
        let sys = cap.records.filter { $0.pid == pid && $0.type == 1 }
        func calls(_ names: String...) -> [TestRecord] {
            let nrs = Set(names.compactMap { Self.nr[$0] })
            return sys.filter { nrs.contains($0.nr) }
        }
        XCTAssertTrue(calls("open", "openat").contains { $0.paths == ["missing_dir/none.txt"] && $0.ret == -Int64(ENOENT) })
        XCTAssertTrue(calls("mkdir", "mkdirat").contains { $0.paths == ["."] && $0.ret == -Int64(EEXIST) })
        XCTAssertTrue(calls("read").contains { $0.args[0] == 987 && $0.ret == -Int64(EBADF) && $0.data == nil }, "no data item for a failed read")
        XCTAssertTrue(calls("unlink", "unlinkat").contains { $0.paths == ["never_created.txt"] && $0.ret == -Int64(ENOENT) })
        XCTAssertTrue(calls("rmdir", "unlinkat").contains { $0.paths == ["/"] && $0.ret < 0 })
        XCTAssertTrue(calls("connect").contains { c in
            c.ret == -Int64(ECONNREFUSED) && c.sockaddrs.compactMap(TestRecord.inet).contains { $0.addr == "127.0.0.1" && $0.port == 1 }
        }, "connect(127.0.0.1:1) = -ECONNREFUSED")
        XCTAssertTrue(calls("kill").contains { $0.args[0] == 999999 && $0.args[1] == 0 && $0.ret == -Int64(ESRCH) })
    }
}
