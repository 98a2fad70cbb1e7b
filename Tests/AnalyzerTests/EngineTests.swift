import XCTest
import KcapTestSupport
import EventSchema
import CaptureFormat
@testable import Analyzer

/// What a test keeps of each event (events are views valid only inside `consume`).
struct SeenEvent: Equatable {
    var number: UInt64
    var type: String
    var tid: UInt32
    var comm: String
    var fd: Int32
    var fdName: String?
    var fdKind: FdKind?
}

struct Collector: EventConsumer {
    var seen: [SeenEvent] = []
    mutating func consume(_ e: Event) -> Bool {
        seen.append(SeenEvent(number: e.number, type: e.typeName, tid: e.tid, comm: e.thread.comm, fd: e.fd,
                              fdName: e.fdName, fdKind: e.fdEntry?.kind))
        return true
    }
}

/// Synthetic record sequences per syscall family, asserting the engine's tables and what events show.
final class EngineTests: XCTestCase {
    /// An open's fd is a directory by the O_DIRECTORY of the capture's architecture: arm64 spells it 0o40000
    /// (asm/fcntl.h), and its 0o200000 is O_DIRECT, a plain file.
    func testOpenDirectoryFlagFollowsTheArchitecture() {
        typealias B = RecordBuilder
        let openat = EventTable.info(named: "openat")!
        for (machine, flags, kind) in [("aarch64", UInt64(0o40000), FdKind.directory), ("aarch64", 0o200000, .file),
                                       ("x86_64", 0o200000, .directory), ("x86_64", 0o40000, .file)] {
            let engine = Engine(machine: machine)
            var c = Collector()
            let nr = openat.number(on: SyscallArch(machine: machine)!)!
            let rec = B.syscall(ts: 1_000, tid: 7, pid: 7, nr: nr, ret: 3, args: [B.arg(-100), 0x5000, flags, 0],
                                items: [.path("/etc", arg: 1)])
            rec.withUnsafeBytes { _ = engine.process(RecordView(bytes: $0), into: &c) }
            XCTAssertEqual(engine.threads.process(7)?.fds[3]?.kind, kind, "\(machine) flags \(String(flags, radix: 8))")
        }
    }

    /// The engine's per-number arrays are the event table's effect, fd source and close-on-exec columns of the
    /// machine's numbers (the engine keeps no list of names of its own).
    func testEffectTableIsTheEventTablesColumns() {
        for machine in ["x86_64", "aarch64"] {
            let table = SyscallEffectTable(machine: machine)
            let arch = SyscallArch(machine: machine)!
            var withEffect = 0
            for nr in 0..<SyscallEffectTable.size {
                let row = EventTable.info(syscall: nr, arch: arch)
                XCTAssertEqual(table.effect(UInt16(nr)), row?.effect ?? .none, "\(machine) \(nr)")
                XCTAssertEqual(table.fdSource(UInt16(nr)), row?.fdSource ?? .none, "\(machine) \(nr)")
                XCTAssertEqual(table.cloexec[nr], row?.cloexec ?? .never, "\(machine) \(nr)")
                if table.effect(UInt16(nr)) != .none { withEffect += 1 }
            }
            XCTAssertGreaterThan(withEffect, 30, machine)
        }
        let x86 = SyscallEffectTable(machine: "x86_64"), arm = SyscallEffectTable(machine: "aarch64")
        XCTAssertEqual(x86.effect(257), .openat)   // openat on x86_64
        XCTAssertEqual(arm.effect(56), .openat)    // openat on aarch64
        XCTAssertEqual(arm.effect(2), .none)       // no open(2) on aarch64: 2 is io_submit there
        XCTAssertEqual(x86.fdSource(0), .arg0)     // read
        XCTAssertEqual(x86.fdSource(41), .result)  // socket
        XCTAssertEqual(x86.effect(435), .clone3)
        XCTAssertEqual(SyscallEffectTable(machine: "sparc64").effect(257), .openat, "unknown machines get x86_64's")
    }

    /// The close-on-exec rules the engine applies, on raw arguments.
    func testCloexecRulesReadTheirArgument() {
        let x86 = SyscallEffectTable(machine: "x86_64")
        func rule(_ name: String) -> CloexecRule { x86.cloexec[nr(name)] }
        func args(_ values: [UInt64]) -> (Int) -> UInt64 { { $0 < values.count ? values[$0] : 0 } }
        XCTAssertTrue(rule("openat").isCloexec(args([0, 0, UInt64(Linux.O_CLOEXEC)])))
        XCTAssertFalse(rule("openat").isCloexec(args([0, UInt64(Linux.O_CLOEXEC), 0])))
        XCTAssertTrue(rule("fcntl").isCloexec(args([3, UInt64(Linux.F_DUPFD_CLOEXEC)])))
        XCTAssertFalse(rule("fcntl").isCloexec(args([3, UInt64(Linux.F_DUPFD)])))
        XCTAssertTrue(rule("pidfd_open").isCloexec(args([])))
        XCTAssertFalse(rule("dup2").isCloexec(args([1, 2, UInt64(Linux.O_CLOEXEC)])))
        XCTAssertTrue(rule("perf_event_open").isCloexec(args([0, 0, 0, 0, UInt64(Linux.PERF_FLAG_FD_CLOEXEC)])))
    }

    typealias B = RecordBuilder
    let pid: UInt32 = 100
    var ts: UInt64 = 1_000_000_000
    var engine: Engine!
    var collector = Collector()

    func nr(_ name: String) -> Int {
        SyscallEffectTable.number(of: name, machine: "x86_64")!
    }

    override func setUp() {
        engine = Engine(machine: "x86_64")
        collector = Collector()
        engine.load(CaptureSnapshot(timestampNs: 1, threads: [
            ThreadInfo(tid: 100, pid: 100, ppid: 1, uid: 1000, gid: 1000, comm: "app", exe: "/usr/bin/app",
                       args: ["app", "-v"], cwd: "/etc"),
            ThreadInfo(tid: 101, pid: 100, ppid: 1, comm: "app-worker", exe: "/usr/bin/app", cwd: "/etc"),
        ], fds: [
            FdInfo(pid: 100, fd: 0, kind: .file, name: "/dev/null"),
            FdInfo(pid: 100, fd: 1, kind: .pipe),
        ]))
    }

    @discardableResult
    func feed(_ record: [UInt8]) -> SeenEvent? {
        let before = collector.seen.count
        record.withUnsafeBytes { _ = engine.process(RecordView(bytes: $0), into: &collector) }
        return collector.seen.count > before ? collector.seen.last : nil
    }

    func sys(_ name: String, tid: UInt32 = 100, pid: UInt32? = nil, ret: Int64, _ args: [Int64] = [],
             items: [B.ItemSpec] = []) -> SeenEvent? {
        ts += 1000
        return feed(B.syscall(ts: ts, tid: tid, pid: pid ?? self.pid, nr: nr(name), ret: ret,
                              args: args.map { B.arg($0) }, items: items))
    }

    var fds: FdTable { engine.threads.process(pid)!.fds }
    func name(_ fd: Int32, pid: UInt32? = nil) -> String? {
        guard let e = engine.threads.process(pid ?? self.pid)?.fds[fd], e.name >= 0 else { return nil }
        return engine.paths.string(e.name)
    }

    // MARK: open / close

    func testOpenResolvesAgainstCwdAndCloseIsAppliedAfterTheEvent() {
        let open = sys("openat", ret: 3, [-100, 0, 0o2000000], items: [.path("hosts", arg: 1)])
        XCTAssertEqual(open?.fdName, "/etc/hosts")
        XCTAssertEqual(open?.fd, 3)
        XCTAssertEqual(fds[3]?.kind, .file)
        XCTAssertEqual(fds[3]?.cloexec, true)
        XCTAssertEqual(sys("read", ret: 10, [3])?.fdName, "/etc/hosts")
        let close = sys("close", ret: 0, [3])
        XCTAssertEqual(close?.fdName, "/etc/hosts", "close still shows the fd's name")
        XCTAssertNil(fds[3])
        XCTAssertNil(sys("read", ret: -9, [3])?.fdName, "unknown fd after close")
    }

    func testOpenNormalisesAndUsesDirfd() {
        sys("open", ret: 4, [0, 0o200000], items: [.path("/usr//lib/./x/../", arg: 0)])
        XCTAssertEqual(name(4), "/usr/lib")
        XCTAssertEqual(fds[4]?.kind, .directory)
        sys("openat", ret: 5, [4, 0], items: [.path("libc.so.6", arg: 1)])
        XCTAssertEqual(name(5), "/usr/lib/libc.so.6")
        sys("creat", ret: 6, [0, 0o644], items: [.path("../tmp/out", arg: 0)])
        XCTAssertEqual(name(6), "/tmp/out")
        XCTAssertEqual(fds[6]!.openFlags & 0o1101, 0o1101)
    }

    func testFailedOpenNamesTheFileButAddsNoFd() {
        let e = sys("openat", ret: -2, [-100, 0], items: [.path("/nonexistent", arg: 1)])
        XCTAssertEqual(e?.fdName, "/nonexistent")
        XCTAssertEqual(e?.fd, -2)
        XCTAssertEqual(fds.count, 2)
    }

    func testCloseRangeAndCloexecRange() {
        for fd: Int64 in 3...6 { sys("openat", ret: fd, [-100, 0], items: [.path("/f\(fd)", arg: 1)]) }
        sys("close_range", ret: 0, [5, 0xffff_ffff, 4]) // CLOSE_RANGE_CLOEXEC
        XCTAssertEqual(fds[5]?.cloexec, true)
        XCTAssertEqual(fds[3]?.cloexec, false)
        sys("close_range", ret: 0, [4, 5, 0])
        XCTAssertEqual(fds.allFds(), [0, 1, 3, 6])
    }

    // MARK: dup

    func testDupFamily() {
        sys("openat", ret: 3, [-100, 0, 0o2000000], items: [.path("/etc/passwd", arg: 1)])
        sys("dup", ret: 7, [3])
        XCTAssertEqual(name(7), "/etc/passwd")
        XCTAssertEqual(fds[7]?.cloexec, false)
        sys("dup2", ret: 0, [3, 0])
        XCTAssertEqual(name(0), "/etc/passwd", "dup2 replaces the target")
        sys("dup3", ret: 9, [3, 9, 0o2000000])
        XCTAssertEqual(fds[9]?.cloexec, true)
        sys("fcntl", ret: 10, [3, 1030, 10]) // F_DUPFD_CLOEXEC
        XCTAssertEqual(name(10), "/etc/passwd")
        XCTAssertEqual(fds[10]?.cloexec, true)
        sys("fcntl", ret: 0, [10, 2, 0]) // F_SETFD 0
        XCTAssertEqual(fds[10]?.cloexec, false)
        sys("fcntl", ret: 0, [3, 3, 0]) // F_GETFL: nothing
        XCTAssertNil(fds[0 + 11])
        sys("dup2", ret: 12, [55, 12])
        XCTAssertNil(fds[12], "dup of an unknown fd leaves the target unknown")
    }

    // MARK: pipe / socketpair / anonymous fds

    func testPipesAndSocketpairs() {
        sys("pipe2", ret: 0, [0, 0o2000000], items: [.fdPair(3, 4)])
        XCTAssertEqual(fds[3]?.kind, .pipe)
        XCTAssertEqual(fds[4]?.kind, .pipe)
        XCTAssertEqual(fds[4]?.cloexec, true)
        sys("socketpair", ret: 0, [1, 1, 0, 0], items: [.fdPair(5, 6, arg: 3)])
        XCTAssertEqual(fds[5]?.kind, .unix)
        XCTAssertEqual(fds[6]?.kind, .unix)
        sys("pipe2", ret: -24, [0, 0], items: [])
        XCTAssertEqual(fds.count, 6)
        sys("eventfd2", ret: 7, [0, 0])
        sys("epoll_create1", ret: 8, [0o2000000])
        sys("timerfd_create", ret: 9, [1, 0])
        sys("signalfd4", ret: 10, [-1, 0, 8, 0])
        sys("inotify_init1", ret: 11, [0])
        sys("memfd_create", ret: 12, [0, 1], items: [.path("jit", arg: 0)])
        XCTAssertEqual([7, 8, 9, 10, 11, 12].map { fds[$0]?.kind }, [.event, .eventpoll, .timerfd, .signalfd, .inotify, .memfd])
        XCTAssertEqual(fds[8]?.cloexec, true)
        XCTAssertEqual(name(12), "memfd:jit")
        XCTAssertEqual(fds[12]?.cloexec, true)
    }

    // MARK: sockets

    func testSocketConnectWithTuple() {
        sys("socket", ret: 3, [2, 1 | 0o2000000, 0])
        XCTAssertEqual(fds[3]?.kind, .ipv4)
        XCTAssertEqual(fds[3]?.tuple.proto, 6)
        let e = sys("connect", ret: 0, [3], items: [
            .sockaddrIn("127.0.0.1", 80),
            .tuple(local: "127.0.0.1", localPort: 40000, remote: "127.0.0.1", remotePort: 80),
        ])
        XCTAssertEqual(e?.fdName, "127.0.0.1:40000->127.0.0.1:80")
        XCTAssertEqual(sys("write", ret: 5, [3])?.fdName, "127.0.0.1:40000->127.0.0.1:80")
    }

    func testConnectInProgressFromSockaddrOnly() {
        sys("socket", ret: 4, [2, 2, 0])
        XCTAssertEqual(fds[4]?.tuple.proto, 17)
        sys("connect", ret: -115, [4], items: [.sockaddrIn("10.0.0.2", 53)])
        XCTAssertEqual(fds[4]?.tuple.remotePort, 53)
        XCTAssertEqual(FdNameRenderer.tupleName(fds[4]!), "0.0.0.0:0->10.0.0.2:53")
        sys("socket", ret: 5, [2, 1, 0])
        sys("connect", ret: -111, [5], items: [.sockaddrIn("10.0.0.3", 80)])
        XCTAssertEqual(fds[5]?.tuple.remotePort, 0, "a refused connect changes nothing")
    }

    func testBindListenAcceptServerSide() {
        sys("socket", ret: 3, [2, 1, 0])
        sys("bind", ret: 0, [3], items: [.sockaddrIn("0.0.0.0", 8080)])
        XCTAssertEqual(FdNameRenderer.tupleName(fds[3]!), "0.0.0.0:8080")
        sys("listen", ret: 0, [3, 128])
        let a = sys("accept4", ret: 4, [3, 0, 0, 0o2000000], items: [
            .sockaddrIn("192.168.1.9", 51000),
            .tuple(local: "192.168.1.2", localPort: 8080, remote: "192.168.1.9", remotePort: 51000),
        ])
        XCTAssertEqual(a?.fd, 4)
        XCTAssertEqual(a?.fdName, "192.168.1.9:51000->192.168.1.2:8080", "client->server")
        XCTAssertEqual(fds[4]?.cloexec, true)
        sys("accept", ret: 5, [3], items: [.sockaddrIn("192.168.1.10", 52000)])
        XCTAssertEqual(FdNameRenderer.tupleName(fds[5]!), "192.168.1.10:52000->0.0.0.0:8080")
    }

    func testUnixSocketConnectNamesThePath() {
        sys("socket", ret: 3, [1, 1, 0])
        let e = sys("connect", ret: 0, [3], items: [.sockaddrUn("/run/dbus/system_bus_socket")])
        XCTAssertEqual(e?.fdName, "/run/dbus/system_bus_socket")
        XCTAssertEqual(e?.fdKind, .unix)
    }

    /// The recorder attaches a tuple to every socket call, AF_UNIX included (family 1, no addresses): the
    /// path still comes from the sockaddr, for bind and connect, and an accepted fd takes the listener's.
    func testUnixSocketWithATupleStillNamesThePath() {
        let unixTuple = RecordBuilder.ItemSpec.tuple(family: 1, proto: 0, local: "0.0.0.0", localPort: 0, remote: "0.0.0.0", remotePort: 0)
        sys("socket", ret: 3, [1, 1, 0])
        sys("bind", ret: 0, [3], items: [.sockaddrUn("/tmp/app.sock"), unixTuple])
        XCTAssertEqual(fds[3]?.kind, .unix)
        let accepted = sys("accept4", ret: 4, [3], items: [unixTuple])
        XCTAssertEqual(accepted?.fdName, "/tmp/app.sock")
        sys("socket", ret: 5, [1, 1, 0])
        let c = sys("connect", ret: 0, [5], items: [.sockaddrUn("/run/dbus/system_bus_socket"), unixTuple])
        XCTAssertEqual(c?.fdName, "/run/dbus/system_bus_socket")
        XCTAssertEqual(c?.fdKind, .unix)
    }

    // MARK: fork / clone / exec / exit

    func testForkCopiesAndThreadsShare() {
        sys("openat", ret: 3, [-100, 0], items: [.path("/a", arg: 1)])
        ts += 10
        feed(B.fork(ts: ts, parentTid: 100, parentPid: 100, childTid: 200, childPid: 200, comm: "app"))
        feed(B.fork(ts: ts + 1, parentTid: 100, parentPid: 100, childTid: 102, childPid: 100, comm: "app-t"))
        let child = engine.threads.thread(200)!
        XCTAssertEqual(child.process.ppid, 100)
        XCTAssertEqual(child.process.exe, "/usr/bin/app")
        XCTAssertEqual(engine.paths.string(child.process.cwd), "/etc")
        XCTAssertEqual(name(3, pid: 200), "/a")
        // the child's table is a copy: a close in the child leaves the parent's fd
        sys("close", tid: 200, pid: 200, ret: 0, [3])
        XCTAssertNil(engine.threads.process(200)!.fds[3])
        XCTAssertEqual(name(3), "/a")
        // a thread shares the table
        sys("openat", tid: 102, ret: 8, [-100, 0], items: [.path("/b", arg: 1)])
        XCTAssertEqual(name(8), "/b")
        XCTAssertTrue(engine.threads.thread(102)!.process === engine.threads.thread(100)!.process)
        XCTAssertEqual(engine.threads.thread(102)!.comm, "app-t")
    }

    func testCloneFilesSharesTheTable() {
        ts += 10
        feed(B.fork(ts: ts, parentTid: 100, parentPid: 100, childTid: 300, childPid: 300, comm: "app"))
        sys("clone", ret: 300, [0x400 | 17]) // CLONE_FILES | SIGCHLD
        sys("openat", tid: 300, pid: 300, ret: 3, [-100, 0], items: [.path("/shared", arg: 1)])
        XCTAssertEqual(name(3), "/shared", "the parent sees the child's open")
    }

    func testCloneWithoutForkRecordMakesTheChild() {
        sys("clone", ret: 400, [17])
        let child = engine.threads.thread(400)
        XCTAssertNotNil(child)
        XCTAssertEqual(child?.process.pid, 400)
        XCTAssertEqual(child?.process.ppid, 100)
        sys("clone", ret: 401, [0x10000 | 0x400 | 0x100]) // CLONE_THREAD|CLONE_FILES|CLONE_VM
        XCTAssertEqual(engine.threads.thread(401)?.process.pid, 100)
    }

    func testExecClosesCloexecFdsAndUpdatesTheImage() {
        sys("openat", ret: 3, [-100, 0, 0o2000000], items: [.path("/keep-not", arg: 1)])
        sys("openat", ret: 4, [-100, 0], items: [.path("/keep", arg: 1)])
        ts += 10
        let e = feed(B.exec(ts: ts, tid: 100, pid: 100, ppid: 1, uid: 0, gid: 0, comm: "cat", path: "/bin/cat",
                            argv: ["cat", "/etc/hosts"]))
        XCTAssertEqual(e?.type, "procexec")
        XCTAssertEqual(e?.comm, "cat")
        let p = engine.threads.process(100)!
        XCTAssertEqual(p.exe, "/bin/cat")
        XCTAssertEqual(p.args, ["cat", "/etc/hosts"])
        XCTAssertNil(p.fds[3])
        XCTAssertEqual(name(4), "/keep")
        let sc = sys("execve", ret: 0, [0, 0, 0], items: [.path("/bin/cat", arg: 0)])
        XCTAssertEqual(sc?.comm, "cat")
    }

    func testExecveWithoutProcExecRecord() {
        sys("openat", ret: 3, [-100, 0, 0o2000000], items: [.path("/x", arg: 1)])
        sys("execve", ret: 0, [0, 0, 0], items: [.path("/usr/bin/python3", arg: 0), .argv(["python3", "-c", "1"])])
        XCTAssertEqual(engine.threads.thread(100)?.comm, "python3")
        XCTAssertEqual(engine.threads.process(100)?.args, ["python3", "-c", "1"])
        XCTAssertNil(fds[3])
    }

    func testExitRemovesThreadAfterTheEvent() {
        ts += 10
        let e = feed(B.exit(ts: ts, tid: 101, pid: 100, code: 0, groupDead: false))
        XCTAssertEqual(e?.type, "procexit")
        XCTAssertEqual(e?.comm, "app-worker", "the exit event still shows the thread")
        XCTAssertNil(engine.threads.thread(101))
        XCTAssertNotNil(engine.threads.process(100))
        feed(B.exit(ts: ts + 1, tid: 100, pid: 100, code: 0, groupDead: true))
        XCTAssertNil(engine.threads.thread(100))
        XCTAssertNil(engine.threads.process(100))
        // a later record of a gone tid makes an unknown thread, never a guess
        let late = sys("getppid", tid: 100, ret: 1)
        XCTAssertEqual(late?.comm, "")
        XCTAssertFalse(engine.threads.process(100)!.isKnown)
    }

    // MARK: chdir / rename

    func testChdirAndFchdir() {
        sys("chdir", ret: 0, [0], items: [.path("../var/log", arg: 0)])
        XCTAssertEqual(engine.paths.string(engine.threads.process(100)!.cwd), "/var/log")
        sys("openat", ret: 3, [-100, 0], items: [.path("syslog", arg: 1)])
        XCTAssertEqual(name(3), "/var/log/syslog")
        sys("chdir", ret: -2, [0], items: [.path("/nope", arg: 0)])
        XCTAssertEqual(engine.paths.string(engine.threads.process(100)!.cwd), "/var/log")
        sys("open", ret: 4, [0, 0o200000], items: [.path("/tmp", arg: 0)])
        sys("fchdir", ret: 0, [4])
        XCTAssertEqual(engine.paths.string(engine.threads.process(100)!.cwd), "/tmp")
    }

    func testRenameChangesNoTable() {
        sys("openat", ret: 3, [-100, 0], items: [.path("/tmp/a", arg: 1)])
        let e = feed(B.syscall(ts: ts + 1, tid: 100, pid: 100, nr: 82, ret: 0, items: [.path("/tmp/a", arg: 0), .path("/tmp/b", arg: 1)]))
        XCTAssertEqual(e?.type, "rename")
        XCTAssertNil(e?.fdName)
        XCTAssertEqual(name(3), "/tmp/a", "an open fd keeps the name it was opened with")
    }

    // MARK: snapshots, malformed input

    func testResyncSnapshotReplacesTablesAndDropsVanishedThreads() {
        sys("openat", ret: 3, [-100, 0], items: [.path("/a", arg: 1)])
        engine.load(CaptureSnapshot(timestampNs: ts + 100, threads: [
            ThreadInfo(tid: 100, pid: 100, ppid: 1, comm: "app2", exe: "/usr/bin/app", cwd: "/"),
        ], fds: [FdInfo(pid: 100, fd: 9, kind: .ipv4, name: "1.2.3.4:5->6.7.8.9:10",
                        socket: SocketTuple(family: 2, proto: 6, localAddress: [1, 2, 3, 4], localPort: 5,
                                            remoteAddress: [6, 7, 8, 9], remotePort: 10))]))
        XCTAssertNil(engine.threads.thread(101), "thread 101 is gone")
        XCTAssertEqual(engine.threads.thread(100)?.comm, "app2")
        XCTAssertEqual(fds.allFds(), [9])
        XCTAssertEqual(FdNameRenderer.tupleName(fds[9]!), "1.2.3.4:5->6.7.8.9:10")
    }

    func testMalformedAndUnknownRecordsAreSkipped() {
        feed([1, 2, 3])
        var short = B.syscall(ts: 1, tid: 1, pid: 1, nr: 0, ret: 0)
        short.removeLast(40)
        feed(short)
        var unknown = B.exit(ts: 1, tid: 1, pid: 1, code: 0, groupDead: false)
        unknown[16] = 99
        feed(unknown)
        XCTAssertEqual(engine.malformedRecords, 2)
        XCTAssertEqual(engine.unknownRecords, 1)
        XCTAssertTrue(collector.seen.isEmpty)
        // an item whose length runs past the record is ignored, not trusted
        var bad = B.syscall(ts: 2, tid: 100, pid: 100, nr: nr("openat"), ret: 3, args: [B.arg(-100)],
                            items: [.path("/etc/hosts", arg: 1)])
        bad[98] = 0xff
        feed(bad)
        XCTAssertEqual(fds[3]?.kind, .file)
        XCTAssertNil(name(3))
    }

    func testPathNormalisation() {
        let pool = PathPool()
        func r(_ path: String, base: String?) -> String {
            let b = base.map { pool.intern($0) } ?? PathPool.none
            return Array(path.utf8).withUnsafeBytes { pool.string(pool.resolve($0, base: b)) }
        }
        XCTAssertEqual(r("/a/b/../../..", base: nil), "/")
        XCTAssertEqual(r("/./x//y/", base: nil), "/x/y")
        XCTAssertEqual(r("../x", base: "/a/b"), "/a/x")
        XCTAssertEqual(r(".", base: "/a/b"), "/a/b")
        XCTAssertEqual(r("rel/only", base: nil), "rel/only", "no base: kept as passed, never guessed")
        XCTAssertEqual(r("/etc/hosts", base: "/x"), "/etc/hosts")
        XCTAssertEqual(pool.intern("/etc/hosts"), pool.intern("/etc/hosts"))
    }

    /// Issue 8: `openat(pipefd, "x/y")` trapped in `PathPool.normalise` ("pipe:[N]/x/y" is not absolute, so
    /// the in-place rewrite overran its buffer). A base that is not a directory path leaves the path as passed.
    func testRelativePathAgainstANonDirectoryFdIsKeptAsPassed() {
        sys("pipe2", ret: 0, [0, 0], items: [.fdPair(3, 4), .inode(777, dev: 12, mode: 0o010600, uid: 0, gid: 0)])
        XCTAssertEqual(name(3), "pipe:[777]", "the pipe is named from its inode, as in a real capture")
        XCTAssertEqual(sys("openat", ret: -20, [3, 0], items: [.path("x/y", arg: 1)])?.fdName, "x/y")
        XCTAssertEqual(sys("openat", ret: 5, [3, 0], items: [.path("./a//b/../c", arg: 1)])?.fdName, "./a//b/../c")
        sys("memfd_create", ret: 6, [0, 1], items: [.path("jit", arg: 0)])
        XCTAssertEqual(sys("openat", ret: -20, [6, 0], items: [.path("z", arg: 1)])?.fdName, "z")
        // fchdir to a pipe (it fails, but a hostile record may say it worked): the cwd is then no directory.
        sys("fchdir", ret: 0, [3])
        XCTAssertEqual(sys("openat", ret: 7, [-100, 0], items: [.path("w/../v", arg: 1)])?.fdName, "w/../v")
        sys("chdir", ret: 0, [], items: [.path("rel", arg: 0)])
        XCTAssertEqual(sys("openat", ret: 8, [-100, 0], items: [.path("q", arg: 1)])?.fdName, "q")
        XCTAssertEqual(sys("openat", ret: 9, [-100, 0], items: [.path("/abs//p", arg: 1)])?.fdName, "/abs/p")
    }

    /// `normalise` is safe for every input: anything not absolute is left alone; absolute paths never grow.
    func testNormaliseIsSafeForAnyInput() {
        var stack: [Int] = []
        for text in ["", "a", "pipe:[1]/x/y", "../..", "a//b/./c/..", "127.0.0.1:80->1.2.3.4:5/x", "memfd:jit/../.."] {
            var p = Array(text.utf8)
            PathPool.normalise(&p, stack: &stack)
            XCTAssertEqual(p, Array(text.utf8), text)
        }
        var rng = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = Array("/./a..b//".utf8)
        for _ in 0..<2000 {
            var p = (0..<Int.random(in: 0...24, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            p.insert(UInt8(ascii: "/"), at: 0)
            let n = p.count
            PathPool.normalise(&p, stack: &stack)
            XCTAssertTrue(p.first == UInt8(ascii: "/") && p.count <= n)
        }
    }

    func testIPv6Rendering() {
        var t = FdTuple()
        t.family = 10
        t.localPort = 443
        var addr = [UInt8](repeating: 0, count: 16); addr[15] = 1
        addr.withUnsafeBytes { t.setAddress($0, remote: false) }
        var e = FdEntry(kind: .ipv6, tuple: t)
        XCTAssertEqual(FdNameRenderer.tupleName(e), "::1:443")
        let a2: [UInt8] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2]
        a2.withUnsafeBytes { e.tuple.setAddress($0, remote: true) }
        e.tuple.remotePort = 80
        XCTAssertEqual(FdNameRenderer.tupleName(e), "::1:443->2001:db8::1:0:0:2:80")
    }
}
