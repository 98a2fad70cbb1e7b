import XCTest
import KcapTestSupport
import EventSchema
import CaptureFormat
@testable import Analyzer

/// What issue 10 added to the decoding: symbolic arguments, the payloads the recorder reads (argv, out-strings,
/// every iovec, wait statuses), signal deliveries, calls without a result, the engine's new effects, and the
/// buffer formats of `-A` and `-X`. Synthetic records through the real engine and printer.
final class DecodingDepthTests: XCTestCase {
    typealias B = RecordBuilder
    typealias F = ArgFormatter

    var engine = Engine(machine: "x86_64")
    var ts: UInt64 = 1_000

    /// One event as the default line's arguments, the lean JSON `evt.args` object and the thread's comm.
    struct Seen { var args: String; var json: String; var comm: String; var fdName: String?; var type: String }

    struct Printing: EventConsumer {
        var seen: [Seen] = []
        var format: EventPrinter.BufferFormat = .dots
        mutating func consume(_ e: Event) -> Bool {
            let printer = TestPrinter.printer(for: e.engine)
            printer.bufferFormat = format
            let out = OutputBuffer(), json = OutputBuffer()
            printer.appendArgs(e, to: out)
            printer.appendArgsObject(e, scratch: OutputBuffer(), to: json)
            printer.bufferFormat = .dots
            seen.append(Seen(args: out.string, json: json.string, comm: e.thread.comm, fdName: e.fdName, type: e.typeName))
            return true
        }
    }

    @discardableResult
    func feed(_ record: [UInt8], format: EventPrinter.BufferFormat = .dots) -> Seen? {
        var p = Printing(format: format)
        record.withUnsafeBytes { _ = engine.process(RecordView(bytes: $0), into: &p) }
        return p.seen.last
    }

    @discardableResult
    func sys(_ name: String, tid: UInt32 = 100, ret: Int64, _ args: [Int64] = [], items: [B.ItemSpec] = [],
             format: EventPrinter.BufferFormat = .dots) -> Seen? {
        ts += 1_000
        return feed(B.syscall(ts: ts, tid: tid, pid: 100, nr: SyntheticCapture.nr(name), ret: ret, args: args.map(B.arg),
                              items: items), format: format)
    }

    // MARK: symbol tables

    func testSymbolTables() {
        XCTAssertEqual(F.format(.ioctlRequest, raw: 0x5401), "TCGETS")
        XCTAssertEqual(F.format(.ioctlRequest, raw: 0x541b), "FIONREAD", "FIONREAD before its alias TIOCINQ")
        XCTAssertEqual(F.format(.ioctlRequest, raw: 0xdead), "0xdead")
        XCTAssertEqual(F.format(.futexOp, raw: 129), "FUTEX_WAKE_PRIVATE")
        XCTAssertEqual(F.format(.futexOp, raw: 393), "FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME")
        XCTAssertEqual(F.format(.futexOp, raw: 0), "FUTEX_WAIT")
        XCTAssertEqual(F.format(.futexVal3, raw: 0xffff_ffff), "FUTEX_BITSET_MATCH_ANY")
        XCTAssertEqual(F.format(.sockoptLevel, raw: 1), "SOL_SOCKET")
        XCTAssertEqual(F.format(.sockoptLevel, raw: 6), "SOL_TCP")
        XCTAssertEqual(F.format(.sockoptName, raw: 1, context: 6), "TCP_NODELAY")
        XCTAssertEqual(F.format(.sockoptName, raw: 2, context: 1), "SO_REUSEADDR")
        XCTAssertEqual(F.format(.sockoptName, raw: 1, context: 0), "IP_TOS")
        XCTAssertEqual(F.format(.sockoptName, raw: 26, context: 41), "IPV6_V6ONLY")
        XCTAssertEqual(F.format(.sockoptName, raw: 7, context: 999), "7", "an unknown level's options are numbers")
        XCTAssertEqual(F.format(.socketProto, raw: 6, context: 2), "IPPROTO_TCP")
        XCTAssertEqual(F.format(.socketProto, raw: 0, context: 10), "IPPROTO_IP")
        XCTAssertEqual(F.format(.socketProto, raw: 0, context: 1), "0", "AF_UNIX has no protocol names")
        XCTAssertEqual(F.format(.fcntlArg, raw: 0o4002, context: 4), "O_RDWR|O_NONBLOCK")
        XCTAssertEqual(F.format(.fcntlArg, raw: 1, context: 2), "FD_CLOEXEC")
        XCTAssertEqual(F.format(.fcntlArg, raw: 10, context: 1030), "10", "F_DUPFD_CLOEXEC's lowest fd")
        XCTAssertEqual(F.format(.fcntlArg, raw: 3, context: 1033), "F_SEAL_SEAL|F_SEAL_SHRINK")
        XCTAssertEqual(F.format(.clockId, raw: 1), "CLOCK_MONOTONIC")
        XCTAssertEqual(F.format(.epollCtlOp, raw: 1), "EPOLL_CTL_ADD")
        XCTAssertEqual(F.format(.madviseAdvice, raw: 4), "MADV_DONTNEED")
        XCTAssertEqual(F.format(.fadviseAdvice, raw: 2), "POSIX_FADV_SEQUENTIAL")
        XCTAssertEqual(F.format(.rlimitResource, raw: 7), "RLIMIT_NOFILE")
        XCTAssertEqual(F.format(.archPrctlOption, raw: 0x1002), "ARCH_SET_FS")
        XCTAssertEqual(F.format(.flockOperation, raw: 6), "LOCK_EX|LOCK_NB")
        XCTAssertEqual(F.format(.prctlOption, raw: 15), "PR_SET_NAME")
        XCTAssertEqual(F.format(.prctlArg, raw: 9, context: 1), "SIGKILL", "PR_SET_PDEATHSIG's signal")
        XCTAssertEqual(F.format(.getrandomFlags, raw: 1), "GRND_NONBLOCK")
        XCTAssertEqual(F.format(.memfdFlags, raw: 3), "MFD_CLOEXEC|MFD_ALLOW_SEALING")
        XCTAssertEqual(F.format(.statxMask, raw: 0x25e), "STATX_MODE|STATX_NLINK|STATX_UID|STATX_GID|STATX_MTIME|STATX_SIZE")
        XCTAssertEqual(F.format(.statxMask, raw: 0x7ff), "STATX_BASIC_STATS")
        XCTAssertEqual(F.format(.statxFlags, raw: 0x900), "AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW|AT_NO_AUTOMOUNT")
        XCTAssertEqual(F.format(.statxFlags, raw: 0x2000), "AT_STATX_FORCE_SYNC")
        XCTAssertEqual(F.format(.epollCreateFlags, raw: 0o2000000), "EPOLL_CLOEXEC")
        XCTAssertEqual(F.format(.eventfdFlags, raw: 0o2004000), "EFD_CLOEXEC|EFD_NONBLOCK")
        XCTAssertEqual(F.format(.timerfdFlags, raw: 0o2000000), "TFD_CLOEXEC")
        XCTAssertEqual(F.format(.signalfdFlags, raw: 0o4000), "SFD_NONBLOCK")
        XCTAssertEqual(F.format(.inotifyFlags, raw: 0o2000000), "IN_CLOEXEC")
        XCTAssertEqual(F.signalCode(1, signal: 17), "CLD_EXITED")
        XCTAssertEqual(F.signalCode(1, signal: 11), "SEGV_MAPERR")
        XCTAssertEqual(F.signalCode(0, signal: 10), "SI_USER")
        XCTAssertEqual(F.signalCode(-6, signal: 12), "SI_TKILL")
        XCTAssertEqual(F.signalCode(0x80, signal: 11), "SI_KERNEL")
        XCTAssertEqual(F.signalHandler(0), "SIG_DFL")
        XCTAssertEqual(F.signalHandler(1), "SIG_IGN")
        XCTAssertEqual(F.signalHandler(0x55aa), "0x55aa")
    }

    func testWaitStatusAsStracePrintsIt() {
        XCTAssertEqual(F.waitStatus(0), "{WIFEXITED(s) && WEXITSTATUS(s) == 0}")
        XCTAssertEqual(F.waitStatus(3 << 8), "{WIFEXITED(s) && WEXITSTATUS(s) == 3}")
        XCTAssertEqual(F.waitStatus(15), "{WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM}")
        XCTAssertEqual(F.waitStatus(11 | 0x80), "{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV && WCOREDUMP(s)}")
        XCTAssertEqual(F.waitStatus(19 << 8 | 0x7f), "{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}")
    }

    /// Every parameter type a table row uses prints for every raw value without trapping.
    func testEveryNewTypeFormatsEdgeValues() {
        let types: [ParamType] = [.ioctlRequest, .futexOp, .futexVal3, .sockoptLevel, .sockoptName, .socketProto, .fcntlArg,
                                  .clockId, .epollCtlOp, .madviseAdvice, .fadviseAdvice, .rlimitResource, .archPrctlOption,
                                  .flockOperation, .prctlOption, .prctlArg, .getrandomFlags, .memfdFlags, .statxMask,
                                  .statxFlags, .epollCreateFlags, .eventfdFlags, .signalfdFlags, .timerfdFlags,
                                  .inotifyFlags, .waitStatus, .argv, .sigCode, .sigHandler, .void]
        for t in types {
            for raw: UInt64 in [0, 1, UInt64.max, 0x8000_0000, 0xffff_ffff] {
                for context: UInt64 in [0, 1, 4, 15, UInt64.max] {
                    _ = F.format(t, raw: raw, context: context)
                }
            }
        }
    }

    // MARK: payloads on the line and in JSON

    func testExecArgvOnSuccessAndFailure() throws {
        let failed = try XCTUnwrap(sys("execve", ret: -2, [0x10, 0x20, 0x30],
                                       items: [.path("/usr/local/bin/ls", arg: 0), .strings(["ls", "-la", "/etc"], arg: 1)]))
        XCTAssertEqual(failed.args, "res=-2(ENOENT) filename=/usr/local/bin/ls argv=ls -la /etc envp=0x30 latency=1000")
        XCTAssertTrue(failed.json.contains(#""argv":["ls","-la","/etc"]"#), failed.json)
        let ok = try XCTUnwrap(sys("execve", ret: 0, [0, 0, 0],
                                   items: [.path("/usr/bin/ls", arg: 0), .strings(["ls", "a b"], arg: 1),
                                           .strings(["HOME=/root", "TERM=xterm"], arg: 2)]))
        XCTAssertEqual(ok.args, "res=0 filename=/usr/bin/ls argv=ls a b envp=HOME=/root TERM=xterm latency=1000")
        XCTAssertTrue(ok.json.contains(#""argv":["ls","a b"],"envp":["HOME=/root","TERM=xterm"]"#), ok.json)
        // An older capture's successful execve has no ARGV item: its zeroed registers print as before.
        let old = try XCTUnwrap(sys("execve", ret: 0, [0, 0, 0], items: [.path("/usr/bin/ls", arg: 0)]))
        XCTAssertEqual(old.args, "res=0 filename=/usr/bin/ls argv=NULL envp=NULL latency=1000")
    }

    func testOutStringsAndStatusItems() throws {
        let cwd = try XCTUnwrap(sys("getcwd", ret: 10, [0x100, 4096], items: [.path("/work/dir", arg: 0)]))
        XCTAssertEqual(cwd.args, "res=10 path=/work/dir size=4096 latency=1000")
        let link = try XCTUnwrap(sys("readlinkat", ret: 9, [-100, 0x100, 0x200, 4096],
                                     items: [.path("/etc/mtab", arg: 1), .path("../proc/", arg: 2)]))
        XCTAssertEqual(link.args, "res=9 dirfd=-100(AT_FDCWD) path=/etc/mtab buf=../proc/ bufsiz=4096 latency=1000")
        let xattr = try XCTUnwrap(sys("lgetxattr", ret: -61, [0x100, 0x200, 0, 0],
                                      items: [.path("/etc", arg: 0), .path("security.selinux", arg: 1)]))
        XCTAssertEqual(xattr.args, "res=-61(ENODATA) pathname=/etc name=security.selinux value= size=0 latency=1000", "no data moved: an empty value")
        let wait = try XCTUnwrap(sys("wait4", ret: 42, [-1, 0x300, 0, 0], items: [.memory(3 << 8, arg: 1)]))
        XCTAssertEqual(wait.args, "res=42 pid=-1 wstatus={WIFEXITED(s) && WEXITSTATUS(s) == 3} options=0 rusage=NULL latency=1000")
        let exit = try XCTUnwrap(sys("exit_group", ret: 0, [7]))
        XCTAssertEqual(exit.args, "status=7", "never returns: no res, no latency")
        XCTAssertEqual(exit.json, #"{"status":7}"#)
        let stat = try XCTUnwrap(sys("newfstatat", ret: 0, [3, 0x100, 0x200, 0x1000], items: [.path("", arg: 1)]))
        XCTAssertTrue(stat.json.contains(#""path":"""#), "an empty path is a value in JSON: \(stat.json)")
    }

    func testBuffersPrintNonASCIIAsDots() throws {
        let bytes: [UInt8] = Array("ok".utf8) + [0xc3, 0xa9, 0x7f, 0x0a] + Array("end".utf8)
        let r = try XCTUnwrap(sys("write", ret: Int64(bytes.count), [1, 0x100, Int64(bytes.count)], items: [.data(bytes)]))
        XCTAssertEqual(r.args, "res=9 fd=1(<NA>) data=ok....end size=9 latency=1000", "0x80 and above are not text alone")
        XCTAssertTrue(r.json.contains(#""data":"ok....end""#), r.json)
    }

    func testSendmsgShowsItsMessage() throws {
        let m = try XCTUnwrap(sys("sendmsg", ret: 13, [5, 0x100, 0],
                                  items: [.sockaddrIn("127.0.0.1", 9000), .data(Array("first second\n".utf8))]))
        XCTAssertEqual(m.args, "res=13 fd=5(<NA>) msg=0x100 flags=0 data=first second. addr=127.0.0.1:9000 latency=1000")
        XCTAssertTrue(m.json.contains(#""data":"first second.","addr":"127.0.0.1:9000"}"#), m.json)
        let plain = try XCTUnwrap(sys("recvmsg", ret: 0, [5, 0x100, 0]))
        XCTAssertEqual(plain.args, "res=0 fd=5(<NA>) msg=0x100 flags=0 latency=1000", "nothing read: no extras")
    }

    func testPrintASCIIAndHexASCII() throws {
        let bytes = Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8) + [0x00, 0xff, 0x41]
        let n = Int64(bytes.count)
        let a = try XCTUnwrap(sys("write", ret: n, [4, 0x100, n], items: [.data(bytes)], format: .ascii))
        XCTAssertEqual(a.args, "res=\(n) fd=4(<NA>) data=\nGET / HTTP/1.1\nHost: x\n\nA size=\(n) latency=1000")
        let x = try XCTUnwrap(sys("write", ret: n, [4, 0x100, n], items: [.data(bytes)], format: .hexASCII))
        XCTAssertEqual(x.args, "res=\(n) fd=4(<NA>) data=\n" +
                       "\t0x0000: 4745 5420 2f20 4854 5450 2f31 2e31 0d0a  GET / HTTP/1.1..\n" +
                       "\t0x0010: 486f 7374 3a20 780d 0a0d 0a00 ff41       Host: x......A\n" +
                       " size=\(n) latency=1000")
        let odd = try XCTUnwrap(sys("write", ret: 3, [4, 0x100, 3], items: [.data([0x61, 0x62, 0x63])], format: .hexASCII))
        // sysdig pads each missing 2-byte group with 5 spaces (an odd last byte takes 3 columns, as in sysdig)
        XCTAssertTrue(odd.args.contains("data=\n\t0x0000: 6162 63" + String(repeating: " ", count: 30) + "  abc\n size=3"), odd.args)
    }

    // MARK: signals

    func testSignalDeliveries() throws {
        let usr1 = try XCTUnwrap(feed(B.signal(ts: 2_000, tid: 100, pid: 100, sig: 10, code: 0, senderPid: 100,
                                               senderUid: 0, handler: 0x5555)))
        XCTAssertEqual(usr1.type, "signaldeliver")
        XCTAssertEqual(usr1.args, "sig=SIGUSR1 code=SI_USER spid=100 uid=0 handler=0x5555")
        XCTAssertEqual(usr1.json, #"{"sig":"SIGUSR1","code":"SI_USER","spid":100,"uid":0,"handler":"0x5555"}"#)
        let chld = try XCTUnwrap(feed(B.signal(ts: 3_000, tid: 100, pid: 100, sig: 17, code: 1, senderPid: 101, status: 3)))
        XCTAssertEqual(chld.args, "sig=SIGCHLD code=CLD_EXITED spid=101 uid=0 status=3 handler=SIG_DFL")
        let killed = try XCTUnwrap(feed(B.signal(ts: 3_500, tid: 100, pid: 100, sig: 17, code: 2, senderPid: 102, status: 15)))
        XCTAssertTrue(killed.args.contains("code=CLD_KILLED spid=102 uid=0 status=SIGTERM"), killed.args)
        let segv = try XCTUnwrap(feed(B.signal(ts: 4_000, tid: 100, pid: 100, sig: 11, code: 1, addr: 0x10)))
        XCTAssertEqual(segv.args, "sig=SIGSEGV code=SEGV_MAPERR addr=0x10 handler=SIG_DFL")
        let group = try XCTUnwrap(feed(B.signal(ts: 5_000, tid: 100, pid: 100, sig: 9, code: 0, hasInfo: false)))
        XCTAssertEqual(group.args, "sig=SIGKILL handler=SIG_DFL", "a group exit's SIGKILL has no siginfo")

        // evt.type and evt.arg.* filter them
        let f = try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: "x86_64"))
            .compile("evt.type = signaldeliver and evt.arg.sig = SIGCHLD and evt.rawarg.spid = 101", for: Event.self)
        struct Count: EventConsumer {
            let filter: EventFilter; var n = 0
            mutating func consume(_ e: Event) -> Bool { if filter.matches(e.fields) { n += 1 }; return true }
        }
        var c = Count(filter: f)
        for r in [B.signal(ts: 6_000, tid: 100, pid: 100, sig: 17, code: 1, senderPid: 101),
                  B.signal(ts: 7_000, tid: 100, pid: 100, sig: 17, code: 1, senderPid: 102),
                  B.signal(ts: 8_000, tid: 100, pid: 100, sig: 10, code: 0, senderPid: 101)] {
            r.withUnsafeBytes { _ = engine.process(RecordView(bytes: $0), into: &c) }
        }
        XCTAssertEqual(c.n, 1)
    }

    // MARK: engine effects

    func testPrctlSetNameRenamesTheThread() throws {
        feed(B.exec(ts: 500, tid: 100, pid: 100, ppid: 1, comm: "python3", path: "/usr/bin/python3", argv: ["python3"]))
        feed(B.fork(ts: 600, parentTid: 100, parentPid: 100, childTid: 101, childPid: 100, comm: "python3"))
        let p = try XCTUnwrap(sys("prctl", ret: 0, [15, 0x100, 0, 0, 0], items: [.path("kcap-worker-with-a-long-name", arg: 1)]))
        XCTAssertEqual(p.args, "res=0 option=PR_SET_NAME option_arg=kcap-worker-with-a-long-name arg3=0 arg4=0 arg5=0 latency=1000")
        XCTAssertEqual(p.comm, "kcap-worker-wit", "the kernel keeps 15 bytes")
        XCTAssertEqual(sys("getpid", ret: 100)?.comm, "kcap-worker-wit")
        // Another thread of the process keeps its name; a failed call or another option renames nothing.
        XCTAssertEqual(sys("getpid", tid: 101, ret: 100)?.comm, "python3")
        sys("prctl", ret: -14, [15, 0x100, 0, 0, 0])
        sys("prctl", ret: 0, [16, 0x100, 0, 0, 0], items: [.path("other", arg: 1)])
        XCTAssertEqual(sys("getpid", ret: 100)?.comm, "kcap-worker-wit")
    }

    func testMemfdNamesItsFd() throws {
        let m = try XCTUnwrap(sys("memfd_create", ret: 5, [0x100, 1], items: [.path("kcap-scratch", arg: 0)]))
        XCTAssertEqual(m.args, "fd=5(<f>memfd:kcap-scratch) name=kcap-scratch flags=MFD_CLOEXEC latency=1000")
        XCTAssertEqual(sys("write", ret: 3, [5, 0x200, 3])?.fdName, "memfd:kcap-scratch")
    }

    func testDatagramDestinationNamesTheSocket() throws {
        sys("socket", ret: 4, [2, 2, 0])
        let sent = try XCTUnwrap(sys("sendto", ret: 5, [4, 0x100, 5, 0, 0x200, 16],
                                     items: [.data(Array("hello".utf8)), .sockaddrIn("127.0.0.1", 9000, arg: 4),
                                             .tuple(proto: 17, local: "0.0.0.0", localPort: 40000, remote: "0.0.0.0", remotePort: 0)]))
        XCTAssertEqual(sent.fdName, "0.0.0.0:40000->127.0.0.1:9000")
        // sendmsg's destination too (its SOCKADDR item decodes the msghdr, argument 1)
        sys("socket", ret: 6, [2, 2, 0])
        let msg = try XCTUnwrap(sys("sendmsg", ret: 2, [6, 0x100, 0],
                                    items: [.sockaddrIn("10.0.0.2", 53), .data(Array("hi".utf8)),
                                            .tuple(proto: 17, local: "10.0.0.1", localPort: 5353, remote: "0.0.0.0", remotePort: 0)]))
        XCTAssertEqual(msg.fdName, "10.0.0.1:5353->10.0.0.2:53")
        // A TCP socket keeps its connection's name.
        sys("socket", ret: 7, [2, 1, 0])
        sys("connect", ret: 0, [7, 0x100, 16], items: [.sockaddrIn("10.0.0.9", 80),
                                                       .tuple(local: "10.0.0.1", localPort: 50000, remote: "10.0.0.9", remotePort: 80)])
        let tcp = try XCTUnwrap(sys("sendto", ret: 1, [7, 0x100, 1, 0, 0x200, 16], items: [.sockaddrIn("10.0.0.7", 81, arg: 4)]))
        XCTAssertEqual(tcp.fdName, "10.0.0.1:50000->10.0.0.9:80")
    }

    /// A sysdig capture's interface list completes sysdig's tuples only (no sockaddr item): kcap's record keeps
    /// its wildcard local address whatever interfaces are known, a sysdig tuple takes the interface of the
    /// destination's subnet, and a socket bound to a port with no peer keeps its bind name.
    func testInterfacesCompleteSysdigTuplesOnly() throws {
        engine.networkInterfaces = NetworkInterfaces([([127, 0, 0, 1], [255, 0, 0, 0]), ([10, 0, 0, 1], [255, 255, 255, 0])])
        sys("socket", ret: 4, [2, 2, 0])
        let kcap = try XCTUnwrap(sys("sendto", ret: 5, [4, 0x100, 5, 0, 0x200, 16],
                                     items: [.sockaddrIn("10.0.0.2", 9000, arg: 4),
                                             .tuple(proto: 17, local: "0.0.0.0", localPort: 40000, remote: "0.0.0.0", remotePort: 0)]))
        XCTAssertEqual(kcap.fdName, "0.0.0.0:40000->10.0.0.2:9000")
        sys("socket", ret: 5, [2, 2, 0])
        let sysdig = try XCTUnwrap(sys("sendto", ret: 5, [5, 0x100, 5, 0, 0x200, 16],
                                       items: [.tuple(proto: 17, local: "0.0.0.0", localPort: 40001, remote: "10.0.0.2", remotePort: 9000)]))
        XCTAssertEqual(sysdig.fdName, "10.0.0.1:40001->10.0.0.2:9000")
        sys("socket", ret: 6, [2, 2, 0])
        sys("bind", ret: 0, [6, 0x100, 16], items: [.sockaddrIn("0.0.0.0", 514), .tuple(proto: 17, local: "0.0.0.0", localPort: 514, remote: "0.0.0.0", remotePort: 0)])
        let bound = try XCTUnwrap(sys("sendto", ret: 5, [6, 0x100, 5, 0, 0x200, 16],
                                      items: [.tuple(proto: 17, local: "0.0.0.0", localPort: 514, remote: "127.0.0.1", remotePort: 514)]))
        XCTAssertEqual(bound.fdName, "0.0.0.0:514")
        engine.networkInterfaces = NetworkInterfaces()
        sys("socket", ret: 7, [2, 2, 0])
        let none = try XCTUnwrap(sys("sendto", ret: 5, [7, 0x100, 5, 0, 0x200, 16],
                                     items: [.tuple(proto: 17, local: "0.0.0.0", localPort: 40002, remote: "10.0.0.2", remotePort: 9000)]))
        XCTAssertNil(none.fdName, "no interface listed: not taken")
    }
}

extension DecodingDepthTests {
    /// Structures read through pointers print in strace's own notation, field for field.
    func testStructuresAsStracePrintsThem() throws {
        var act: [UInt8] = []
        for v: UInt64 in [0, 0x0400_0000 | 0x1000_0000, 0x7f00_0000_1000, 1 << 12] {
            withUnsafeBytes(of: v.littleEndian) { act += $0 }
        }
        let s = try XCTUnwrap(sys("rt_sigaction", ret: 0, [13, 0x100, 0, 8], items: [B.ItemSpec(.memory, arg: 1, act)]))
        XCTAssertEqual(s.args, "res=0 sig=SIGPIPE act={sa_handler=SIG_DFL, sa_mask=[PIPE], sa_flags=SA_RESTART|SA_RESTORER, " +
                       "sa_restorer=0x7f0000001000} oact=NULL sigsetsize=8 latency=1000")
        XCTAssertEqual(F.sigset(~(UInt64(3) << 31)), "~[RTMIN RT_1]", "all but 32 and 33: glibc's blocking mask")
        XCTAssertEqual(F.sigset(0), "[]")
        XCTAssertEqual(F.sigset(1 << 16 | 1 << 12), "[PIPE CHLD]")
        var rl: [UInt8] = []
        for v: UInt64 in [8 << 20, .max] { withUnsafeBytes(of: v.littleEndian) { rl += $0 } }
        let p = try XCTUnwrap(sys("prlimit64", ret: 0, [0, 3, 0, 0x200], items: [B.ItemSpec(.memory, arg: 3, rl)]))
        XCTAssertEqual(p.args, "res=0 pid=0 resource=RLIMIT_STACK new_rlim=NULL old_rlim={rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY} latency=1000")
        var ev: [UInt8] = []
        withUnsafeBytes(of: UInt32(1).littleEndian) { ev += $0 }
        withUnsafeBytes(of: UInt64(6).littleEndian) { ev += $0 }
        let ctl = try XCTUnwrap(sys("epoll_ctl", ret: 0, [7, 1, 6, 0x300], items: [B.ItemSpec(.memory, arg: 3, ev)]))
        XCTAssertTrue(ctl.args.contains("event={events=EPOLLIN, data={u32=6, u64=6}}"), ctl.args)
        let wait = try XCTUnwrap(sys("epoll_wait", ret: 2, [7, 0x300, 4, 1000], items: [B.ItemSpec(.memory, arg: 1, ev + ev)]))
        XCTAssertTrue(wait.args.contains("events=[{events=EPOLLIN, data={u32=6, u64=6}}, {events=EPOLLIN, data={u32=6, u64=6}}]"), wait.args)
        var pfd: [UInt8] = []
        withUnsafeBytes(of: Int32(3).littleEndian) { pfd += $0 }
        pfd += [1, 0, 1, 0]
        let poll = try XCTUnwrap(sys("poll", ret: 1, [0x400, 1, 0], items: [B.ItemSpec(.memory, arg: 0, pfd)]))
        XCTAssertTrue(poll.args.contains("fds=[{fd=3, events=POLLIN}] nfds=1"), poll.args)
        let opt = try XCTUnwrap(sys("setsockopt", ret: 0, [5, 6, 1, 0x500, 4], items: [B.ItemSpec(.memory, arg: 3, [1, 0, 0, 0])]))
        XCTAssertTrue(opt.args.contains("level=SOL_TCP optname=TCP_NODELAY optval=[1] optlen=4"), opt.args)
        var cl = [UInt8](repeating: 0, count: 88)
        withUnsafeBytes(of: UInt64(0x1200011 & ~0xff).littleEndian) { cl.replaceSubrange(0..<8, with: $0) }
        cl[32] = 17
        let clone = try XCTUnwrap(sys("clone3", ret: 200, [0x600, 88], items: [B.ItemSpec(.cloneArgs, arg: 0, cl)]))
        XCTAssertTrue(clone.args.contains("cl_args={flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID, child_tid=0x0, exit_signal=SIGCHLD, stack=0x0, stack_size=0x0} size=88"), clone.args)
    }

    /// A stat's INODE item of recorders since issue 10 carries the size, and statx's its mask and attributes;
    /// an open's (24 bytes, like every item of older captures) does not.
    func testStatSizeAndStatxFields() throws {
        func inode(size: UInt64, mask: UInt32, attributes: UInt64, arg: UInt8) -> B.ItemSpec {
            var b: [UInt8] = []
            withUnsafeBytes(of: UInt64(42).littleEndian) { b += $0 }
            for v: UInt32 in [1, 0o100644, 0, 0] { withUnsafeBytes(of: v.littleEndian) { b += $0 } }
            withUnsafeBytes(of: size.littleEndian) { b += $0 }
            withUnsafeBytes(of: mask.littleEndian) { b += $0 }
            b += [0, 0, 0, 0]
            withUnsafeBytes(of: attributes.littleEndian) { b += $0 }
            return B.ItemSpec(.inode, arg: arg, b)
        }
        let st = try XCTUnwrap(sys("newfstatat", ret: 0, [-100, 0x100, 0x200, 0],
                                   items: [.path("/etc/hosts", arg: 1), inode(size: 321, mask: 0, attributes: 0, arg: 2)]))
        XCTAssertTrue(st.args.hasSuffix("ino=42 file_mode=0100644 uid=0 gid=0 file_size=321 latency=1000"), st.args)
        XCTAssertTrue(st.json.contains(#""file_size":321"#), st.json)
        let sx = try XCTUnwrap(sys("statx", ret: 0, [-100, 0x100, 0x900, 0x25e, 0x200],
                                   items: [.path("/etc", arg: 1), inode(size: 4096, mask: 0x17ff, attributes: 0x2000, arg: 4)]))
        XCTAssertTrue(sx.args.contains("file_size=4096 stx_mask=STATX_BASIC_STATS|STATX_MNT_ID stx_attributes=STATX_ATTR_MOUNT_ROOT"), sx.args)
        let old = try XCTUnwrap(sys("newfstatat", ret: 0, [-100, 0x100, 0x200, 0],
                                    items: [.path("/etc/hosts", arg: 1), .inode(42, dev: 1, mode: 0o100644, uid: 0, gid: 0, arg: 2)]))
        XCTAssertFalse(old.args.contains("file_size"), "a 24-byte item has no size")
    }
}
