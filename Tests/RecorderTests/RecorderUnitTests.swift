import CaptureFormat
import EventSchema
import Foundation
import Analyzer
@testable import Recorder
import XCTest

/// The recorder's pure parts, without BPF: /proc parsing, snapshots of this process, names, parsers, the
/// drain-to-writer pipeline's drop accounting, and the committed fixtures.
final class RecorderUnitTests: XCTestCase {
    func testSnapshotOfThisProcessNamesItsFdsAndThreads() throws {
        let dir = try makeScratchDirectory(self)
        let filePath = dir + "/snap.txt"
        let file = open(filePath, O_CREAT | O_WRONLY | O_APPEND, 0o600)
        let dirFD = open(dir, O_RDONLY | O_DIRECTORY)
        var pipeFDs: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&pipeFDs), 0)
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = UInt32(0x7f000001).bigEndian
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = bind(listener, $0, len) } }
        XCTAssertEqual(listen(listener, 1), 0)
        withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(listener, $0, &len) } }
        let port = UInt16(bigEndian: addr.sin_port)
        let unixSock = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { for fd in [file, dirFD, pipeFDs[0], pipeFDs[1], listener, unixSock] { close(fd) } }

        let snap = ProcScanner().snapshot(pids: [getpid()])
        let me = UInt32(getpid())
        XCTAssertGreaterThan(snap.timestampNs, 0)
        let main = try XCTUnwrap(snap.threads.first { $0.tid == me })
        XCTAssertEqual(main.pid, me)
        XCTAssertEqual(main.ppid, UInt32(getppid()))
        XCTAssertEqual(main.uid, getuid())
        XCTAssertEqual(main.cwd, FileManager.default.currentDirectoryPath)
        XCTAssertEqual(main.exe, try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        XCTAssertFalse(main.args.isEmpty)
        XCTAssertGreaterThan(main.startTimeNs, 0)
        XCTAssertLessThan(main.startTimeNs, BootClock.nowNs(), "start time is in boot-time ns, before now")
        XCTAssertTrue(snap.threads.allSatisfy { $0.pid == me })

        func fd(_ n: Int32) -> FdInfo? { snap.fds.first { $0.fd == n } }
        let f = try XCTUnwrap(fd(file))
        XCTAssertEqual(f.kind, .file)
        XCTAssertEqual(f.name, filePath)
        XCTAssertEqual(Int32(f.openFlags) & (O_WRONLY | O_APPEND), O_WRONLY | O_APPEND)
        var st = stat()
        stat(filePath, &st)
        XCTAssertEqual(f.inode, UInt64(st.st_ino))
        XCTAssertEqual(fd(dirFD)?.kind, .directory)
        XCTAssertEqual(fd(pipeFDs[0])?.kind, .pipe)
        XCTAssertNotEqual(fd(pipeFDs[0])?.inode, 0)
        let l = try XCTUnwrap(fd(listener))
        XCTAssertEqual(l.kind, .ipv4)
        XCTAssertEqual(l.name, "127.0.0.1:\(port)")
        XCTAssertEqual(l.socket?.proto, 6)
        XCTAssertEqual(l.socket?.localPort, port)
        XCTAssertEqual(Array(l.socket?.localAddress.prefix(4) ?? []), [127, 0, 0, 1])
        XCTAssertEqual(fd(unixSock)?.kind, .unix)
    }

    func testVanishedProcessesAreSkipped() {
        let snap = ProcScanner().snapshot(pids: [Int32.max - 1])
        XCTAssertTrue(snap.threads.isEmpty && snap.fds.isEmpty)
    }

    func testFdLinkClassification() {
        XCTAssertEqual(ProcScanner.classify("/etc/hosts").0, .file)
        XCTAssertEqual(ProcScanner.classify("/memfd:jit (deleted)").0, .memfd)
        XCTAssertEqual(ProcScanner.classify("socket:[12345]").0, .other)
        XCTAssertEqual(ProcScanner.classify("socket:[12345]").1, 12345)
        XCTAssertEqual(ProcScanner.classify("pipe:[77]").0, .pipe)
        XCTAssertEqual(ProcScanner.classify("pipe:[77]").1, 77)
        XCTAssertEqual(ProcScanner.classify("anon_inode:[eventfd]").0, .event)
        XCTAssertEqual(ProcScanner.classify("anon_inode:[eventpoll]").0, .eventpoll)
        XCTAssertEqual(ProcScanner.classify("anon_inode:[signalfd]").0, .signalfd)
        XCTAssertEqual(ProcScanner.classify("anon_inode:[timerfd]").0, .timerfd)
        XCTAssertEqual(ProcScanner.classify("anon_inode:inotify").0, .inotify)
        XCTAssertEqual(ProcScanner.classify("anon_inode:bpf-map").0, .bpf)
        XCTAssertEqual(ProcScanner.classify("anon_inode:bpf_link").0, .bpf)
        XCTAssertEqual(ProcScanner.classify("anon_inode:[pidfd]").0, .pidfd)
        XCTAssertEqual(ProcScanner.classify("pidfd:[1]").0, .pidfd)
        XCTAssertEqual(ProcScanner.classify("anon_inode:[userfaultfd]").0, .userfaultfd)
        XCTAssertEqual(ProcScanner.classify("anon_inode:[io_uring]").0, .iouring)
        XCTAssertEqual(ProcScanner.classify("anon_inode:[fanotify]").0, .other)
    }

    func testContainerIDFromCgroup() {
        let id = String(repeating: "ab12", count: 16)
        XCTAssertEqual(ProcScanner.containerID(fromCgroup: "/system.slice/docker-\(id).scope"), String(id.prefix(12)))
        XCTAssertEqual(ProcScanner.containerID(fromCgroup: "/kubepods/besteffort/pod1/cri-containerd-\(id).scope"), String(id.prefix(12)))
        XCTAssertEqual(ProcScanner.containerID(fromCgroup: "/docker/\(id)"), String(id.prefix(12)))
        XCTAssertEqual(ProcScanner.containerID(fromCgroup: "/user.slice/user-0.slice/session-1.scope"), "")
    }

    func testProcNetEndpoints() throws {
        let v4 = try XCTUnwrap(SocketTable.endpoint("0100007F:1F90"))
        XCTAssertEqual(Array(v4.addr), [127, 0, 0, 1])
        XCTAssertEqual(v4.port, 8080)
        let v6 = try XCTUnwrap(SocketTable.endpoint("00000000000000000000000001000000:0050"))
        XCTAssertEqual(v6.addr.count, 16)
        XCTAssertEqual(SocketTable.address(v6.addr, family: 10), "::1")
        XCTAssertEqual(v6.port, 80)
        XCTAssertNil(SocketTable.endpoint("zz:1"))
        let t = SocketTuple(family: 2, proto: 6, localAddress: [127, 0, 0, 1], localPort: 40000, remoteAddress: [10, 0, 0, 2], remotePort: 80)
        XCTAssertEqual(SocketTable.render(t), "127.0.0.1:40000->10.0.0.2:80")
        let mapped = [UInt8](repeating: 0, count: 10) + [0xff, 0xff, 192, 168, 1, 9]
        XCTAssertEqual(SocketTable.address(mapped, family: 10), "::ffff:192.168.1.9")
        let full: [UInt8] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
        XCTAssertEqual(SocketTable.address(full, family: 10), "2001:db8::1")
    }

    func testAFullDiskIsOneLineNamingTheFileOnce() {
        let failed = CaptureError(.io(errno: ENOSPC), path: "/mnt/full/t.kcap", offset: 1_048_576,
                                  "writing the capture file failed: No space left on device")
        let line = RecorderError.writing(step: "flush capture", object: "/mnt/full/t.kcap", failed).description
        XCTAssertEqual(line.components(separatedBy: "/mnt/full/t.kcap").count - 1, 1, line)
        XCTAssertTrue(line.hasPrefix("flush capture /mnt/full/t.kcap: No space left on device (errno 28) [at byte 1048576]"), line)
        XCTAssertTrue(line.contains("the disk is full"), line)
        XCTAssertFalse(line.contains("\n"))
    }

    func testACommandThatIsNotAProgramSaysWhy() throws {
        let dir = try makeScratchDirectory(self)
        let plain = dir + "/plain.txt"
        FileManager.default.createFile(atPath: plain, contents: Data("text".utf8), attributes: [.posixPermissions: 0o644])
        let cases: [(String, Int32)] = [(plain, EACCES), (dir, EISDIR), (dir + "/missing", ENOENT),
                                        ("no-such-program-kcap", ENOENT), ("", ENOENT)]
        for (program, expected) in cases {
            XCTAssertThrowsError(try ChildProcess.resolve(program), program) { e in
                XCTAssertEqual((e as? RecorderError)?.errno, expected, "\(program): \(e)")
                XCTAssertTrue("\(e)".hasPrefix("find command \(program)".trimmingCharacters(in: .whitespaces)), "\(e)")
            }
        }
        XCTAssertTrue(try ChildProcess.resolve("sh").hasSuffix("/sh"))
    }

    func testInFlightSyscallFromProc() {
        let read = ProcScanner.inFlightSyscall("0 0x5 0x7ffd29a1e000 0x1000 0x0 0x0 0x0 0x7ffd29a1dff8 0x7f1c2b8e57e2\n")
        XCTAssertEqual(read?.nr, 0)
        XCTAssertEqual(read?.args, [5, 0x7ffd29a1e000, 0x1000, 0, 0, 0])
        XCTAssertEqual(read?.enteredNs, 0, "the entry time comes from the BPF side, not /proc")
        XCTAssertNil(ProcScanner.inFlightSyscall("-1 0x7ffd29a1dff8 0x7f1c2b8e57e2\n"), "blocked outside a syscall")
        XCTAssertNil(ProcScanner.inFlightSyscall("running\n"))
        XCTAssertNil(ProcScanner.inFlightSyscall(""))
    }

    func testSnapshotOfASleepingThreadNamesItsSyscall() throws {
        // A child that blocks in nanosleep/clock_nanosleep: /proc shows the call and its arguments.
        let child = try ChildProcess(command: ["/bin/sleep", "5"])
        try child.release()
        defer { kill(child.pid, SIGKILL); _ = child.wait(timeoutNs: 2_000_000_000) }
        var found: InFlightSyscall? = nil
        for _ in 0..<100 where found == nil {
            usleep(20_000)
            let snap = ProcScanner().snapshot(pids: [child.pid])
            found = snap.threads.first { $0.tid == UInt32(child.pid) }?.syscall
        }
        let table = try EventSelection.table(for: Doctor.machineName())
        XCTAssertNotNil(found, "sleep 5 is blocked in a syscall")
        XCTAssertTrue([table["nanosleep"], table["clock_nanosleep"]].contains(Int(found?.nr ?? -1)), "\(String(describing: found))")
    }

    func testBufferSizeIsSharedOutOverTheCPUsInPowersOfTwo() {
        XCTAssertEqual(CPUBuffers.perCPUSize(bufferSize: 64 << 20, cpus: 2), 32 << 20)
        XCTAssertEqual(CPUBuffers.perCPUSize(bufferSize: 64 << 20, cpus: 3), 16 << 20, "21.3 MiB rounds down")
        XCTAssertEqual(CPUBuffers.perCPUSize(bufferSize: 64 << 20, cpus: 4096), 64 << 10, "never below 64 KiB")
        XCTAssertEqual(CPUBuffers.perCPUSize(bufferSize: 8192, cpus: 1), 64 << 10)
        XCTAssertEqual(CPUBuffers.valueSize(forSize: 1 << 20), (1 << 20) + 8192, "room for a record that starts at the end")
    }

    func testRotationNames() {
        let p = RotationPolicy(maxBytes: 1)
        XCTAssertEqual(p.fileName(for: "trace.kcap", index: 0), "trace-000.kcap")
        XCTAssertEqual(p.fileName(for: "/var/tmp/trace.kcap", index: 12), "/var/tmp/trace-012.kcap")
        XCTAssertEqual(p.fileName(for: "/a.b/trace", index: 1), "/a.b/trace-001")
        XCTAssertEqual(p.fileName(for: "t.kcap", index: 1234), "t-1234.kcap")
        XCTAssertEqual(p.fileName(for: ".hidden", index: 3), ".hidden-003")
        XCTAssertEqual(RotationPolicy().fileName(for: "trace.kcap", index: 5), "trace.kcap")
    }

    func testEventSelection() throws {
        let table = try EventSelection.table(for: "x86_64")
        let file = try EventSelection("file", machine: "x86_64")
        XCTAssertTrue(file.contains(table["openat"]!))
        XCTAssertTrue(file.contains(table["close"]!))
        XCTAssertFalse(file.contains(table["connect"]!))
        let net = try EventSelection("net", machine: "x86_64")
        XCTAssertTrue(net.contains(table["connect"]!) && net.contains(table["accept4"]!))
        let two = try EventSelection("openat, close", machine: "x86_64")
        XCTAssertEqual(two.count, 2)
        let all = try EventSelection("all", machine: "x86_64")
        XCTAssertTrue(table.values.allSatisfy { all.contains($0) })
        XCTAssertTrue(all.contains(511), "numbers the table does not name are recorded too")
        XCTAssertGreaterThanOrEqual(two.words.count, 8)
        XCTAssertThrowsError(try EventSelection("opneat", machine: "x86_64")) { e in
            XCTAssertTrue("\(e)".contains("not a class"), "\(e)")
        }
        XCTAssertThrowsError(try EventSelection("", machine: "x86_64"))
        XCTAssertThrowsError(try EventSelection("all", machine: "mips"))
        let arm = try EventSelection("openat", machine: "aarch64")
        XCTAssertTrue(arm.contains(56))
    }

    /// `--events` names and classes come from Analyzer's event table: the same numbers as the analyzer uses,
    /// classes by category plus the bookkeeping the analyzer needs to name fds and resolve paths.
    func testEventClassesComeFromTheEventTable() throws {
        for machine in ["x86_64", "aarch64"] {
            let arch = SyscallArch(machine: machine)!
            let table = try EventSelection.table(for: machine)
            for row in EventTable.all {
                guard case .syscall = row.source else { continue }
                XCTAssertEqual(table[row.name], row.number(on: arch), "\(machine) \(row.name)")
            }
        }
        let table = try EventSelection.table(for: "x86_64")
        XCTAssertEqual(table["open"], 2)
        XCTAssertNil(try EventSelection.table(for: "aarch64")["open"], "aarch64 has no open(2)")
        func names(_ cls: String) throws -> Set<String> {
            let sel = try EventSelection(cls, machine: "x86_64")
            return Set(table.filter { sel.contains($0.value) }.map(\.key))
        }
        let file = try names("file"), net = try names("net"), process = try names("process")
        // every class: its category, and fd/cwd bookkeeping
        for name in ["openat", "read", "write", "newfstatat", "unlink", "rename", "poll", "epoll_wait"] { XCTAssertTrue(file.contains(name), name) }
        for name in ["connect", "accept4", "sendto", "recvmsg", "shutdown", "read", "write", "readv"] { XCTAssertTrue(net.contains(name), name) }
        for name in ["clone", "execve", "exit_group", "wait4", "setuid", "prctl", "kill", "tgkill"] { XCTAssertTrue(process.contains(name), name) }
        for cls in [file, net, process] {
            for name in ["close", "close_range", "dup", "dup2", "dup3", "fcntl", "execve", "chdir", "fchdir"] {
                XCTAssertTrue(cls.contains(name), name)
            }
        }
        // and not the rest
        XCTAssertFalse(file.contains("connect"))
        XCTAssertFalse(net.contains("openat"))
        XCTAssertFalse(process.contains("openat"))
        XCTAssertFalse(process.contains("rt_sigprocmask"))
        XCTAssertEqual(EventSelection.members(of: "nope"), nil)
    }

    func testCommandLineValues() throws {
        XCTAssertEqual(try DurationParser.nanoseconds("10"), 10_000_000_000)
        XCTAssertEqual(try DurationParser.nanoseconds("10s"), 10_000_000_000)
        XCTAssertEqual(try DurationParser.nanoseconds("500ms"), 500_000_000)
        XCTAssertEqual(try DurationParser.nanoseconds("2m"), 120_000_000_000)
        XCTAssertEqual(try DurationParser.nanoseconds("1.5h"), 5_400_000_000_000)
        XCTAssertThrowsError(try DurationParser.nanoseconds("soon"))
        XCTAssertThrowsError(try DurationParser.nanoseconds("-1s"))
        XCTAssertEqual(try SizeParser.bytes("64M"), 64 << 20)
        XCTAssertEqual(try SizeParser.bytes("1GiB"), 1 << 30)
        XCTAssertEqual(try SizeParser.bytes("4096"), 4096)
        XCTAssertThrowsError(try SizeParser.bytes("lots"))
        XCTAssertEqual(SizeParser.powerOfTwo(100_000), 131_072)
        XCTAssertEqual(SizeParser.powerOfTwo(1), 4096)
    }

    func testPipelineCountsWhatItCannotQueue() {
        // One free chunk besides the drainer's; a short wait for the writer, which never comes here.
        let pipeline = ChunkPipeline(chunks: 2, capacity: 1 << 16, maxWaitNs: 50_000_000)
        var record = [UInt8](repeating: 0, count: 32)
        record[0] = 1
        var chunk = EventChunk(capacity: 1 << 16)
        for _ in 0..<3 { XCTAssertTrue(record.withUnsafeBytes { chunk.append($0) }) }
        pipeline.seal(&chunk)
        XCTAssertTrue(chunk.isEmpty, "a fresh chunk after sealing")
        for _ in 0..<5 { XCTAssertTrue(record.withUnsafeBytes { chunk.append($0) }) }
        let before = BootClock.monotonicNs()
        pipeline.seal(&chunk) // no free chunk left: waits for the writer, then drops and counts
        XCTAssertGreaterThanOrEqual(BootClock.monotonicNs() - before, 50_000_000, "waited for the writer first")
        XCTAssertEqual(pipeline.userQueueDrops, 5)
        XCTAssertTrue(chunk.isEmpty)
        guard case .chunk(var first) = pipeline.next(deadlineNs: 0) else { return XCTFail("the first chunk is queued") }
        XCTAssertEqual(first.recordCount, 3)
        first.reset()
        pipeline.recycle(consume first)
        for _ in 0..<2 { XCTAssertTrue(record.withUnsafeBytes { chunk.append($0) }) }
        pipeline.seal(&chunk)
        XCTAssertEqual(pipeline.userQueueDrops, 5, "room again once the writer gave a chunk back")
        pipeline.close()
        guard case .chunk(let second) = pipeline.next(deadlineNs: 0) else { return XCTFail("second chunk") }
        XCTAssertEqual(second.recordCount, 2)
        guard case .closed = pipeline.next(deadlineNs: 0) else { return XCTFail("closed after the last chunk") }
    }

    /// A drainer facing an empty pool waits for the writer: a slow writer costs time, not events.
    func testDrainerWaitsForTheWriterInsteadOfDropping() {
        let pipeline = ChunkPipeline(chunks: 2, capacity: 1 << 16, maxWaitNs: 5_000_000_000)
        var record = [UInt8](repeating: 0, count: 32)
        record[0] = 1
        var chunk = EventChunk(capacity: 1 << 16)
        _ = record.withUnsafeBytes { chunk.append($0) }
        pipeline.seal(&chunk)
        _ = record.withUnsafeBytes { chunk.append($0) }
        // A writer that frees a chunk 100 ms later.
        let writer = Thread {
            Thread.sleep(forTimeInterval: 0.1)
            guard case .chunk(var c) = pipeline.next(deadlineNs: UInt64.max) else { return }
            c.reset()
            pipeline.recycle(consume c)
        }
        writer.start()
        pipeline.seal(&chunk)
        XCTAssertEqual(pipeline.userQueueDrops, 0, "nothing lost while the writer catches up")
        XCTAssertTrue(chunk.isEmpty)
    }

    /// Every committed fixture reads alone, intact, with its README, start snapshot and zero drops.
    func testFixturesAreIntact() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        let recorded = names.filter { FileManager.default.fileExists(atPath: root.appendingPathComponent("\($0)/README.md").path) &&
            (try? String(contentsOf: root.appendingPathComponent("\($0)/README.md"), encoding: .utf8))?.contains("tools/make-fixtures.sh") == true }
        try XCTSkipIf(recorded.isEmpty, "no recorded fixtures")
        // A fixture is its capture.kcap, or every capture in its directory (hosts: alpha.kcap and beta.kcap).
        let paths = try recorded.flatMap { name -> [(String, String)] in
            let files = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(name).path)
                .filter { $0.hasSuffix(".kcap") }.sorted()
            return files.map { ("\(name)/\($0)", root.appendingPathComponent("\(name)/\($0)").path) }
        }
        XCTAssertGreaterThan(paths.count, recorded.count)
        for (name, path) in paths {
            let c = try CaptureContents(path: path)
            XCTAssertTrue(c.finished, name)
            XCTAssertTrue(c.problems.isEmpty, "\(name): \(c.problems)")
            XCTAssertEqual(c.order.first, "S", name)
            XCTAssertFalse(c.records.isEmpty, name)
            XCTAssertEqual(c.counters.last?.dropRingFull, 0, name)
            XCTAssertEqual(c.counters.last?.eventsWritten, UInt64(c.records.count), name)
            XCTAssertLessThan(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? .max, 200 * 1024, name)
        }
    }
}

/// Sockets' states as the snapshot reads them from /proc/PID/net (format 1.3).
final class SocketTableStateTests: XCTestCase {
    func testStatesFromProcNet() throws {
        let dir = NSTemporaryDirectory() + "kcap-net-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tcp = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 101 1 0000000000000000 100 0 0 10 0
               1: 0100007F:9C40 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 102 1 0000000000000000 20 4 30 10 -1
               2: 0100007F:9C41 0100007F:1F90 08 00000000:00000000 00:00000000 00000000     0        0 103 1 0000000000000000 20 4 30 10 -1
            """
        let udp = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
               0: 0100007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 104 2 0000000000000000 0
               1: 0100007F:A000 0100007F:0035 01 00000000:00000000 00:00000000 00000000     0        0 105 2 0000000000000000 0
            """
        let unix = """
            Num       RefCount Protocol Flags    Type St Inode Path
            0000000000000000: 00000002 00000000 00010000 0001 01 106 /run/listen.sock
            0000000000000000: 00000003 00000000 00000000 0001 03 107 /run/listen.sock
            0000000000000000: 00000002 00000000 00000000 0002 01 108
            """
        try tcp.write(toFile: dir + "/tcp", atomically: true, encoding: .utf8)
        try udp.write(toFile: dir + "/udp", atomically: true, encoding: .utf8)
        try unix.write(toFile: dir + "/unix", atomically: true, encoding: .utf8)
        let table = SocketTable(netDir: dir)
        let expected: [UInt64: SocketState] = [101: .listening, 102: .connected, 103: .connected, 104: .unconnected,
                                               105: .connected, 106: .listening, 107: .connected, 108: .unconnected]
        for (inode, state) in expected { XCTAssertEqual(table.byInode[inode]?.state, state, "inode \(inode)") }
    }
}
