import XCTest
import CaptureFormat
import EventSchema
@testable import Analyzer

final class SchemaFormatterTests: XCTestCase {
    typealias F = ArgFormatter

    func testOpenFlags() {
        XCTAssertEqual(F.openFlags(0), "O_RDONLY")
        XCTAssertEqual(F.openFlags(0o2000000), "O_RDONLY|O_CLOEXEC")
        XCTAssertEqual(F.openFlags(0o1 | 0o100 | 0o1000), "O_WRONLY|O_CREAT|O_TRUNC")
        XCTAssertEqual(F.openFlags(0o2 | 0o4000 | 0o2000000), "O_RDWR|O_NONBLOCK|O_CLOEXEC")
        XCTAssertEqual(F.openFlags(0o4010000), "O_RDONLY|O_SYNC", "O_SYNC's two bits print once")
        XCTAssertEqual(F.openFlags(0o10000), "O_RDONLY|O_DSYNC")
        XCTAssertEqual(F.openFlags(0o20200002), "O_RDWR|O_TMPFILE", "O_TMPFILE includes O_DIRECTORY")
        XCTAssertEqual(F.openFlags(0o200000 | 0o400000), "O_RDONLY|O_DIRECTORY|O_NOFOLLOW")
        XCTAssertEqual(F.fdFlags(0), "0", "pipe2/dup3 flags have no access mode")
        XCTAssertEqual(F.fdFlags(0o2000000 | 0o4000), "O_NONBLOCK|O_CLOEXEC")
        XCTAssertEqual(F.fdFlags(1), "0x1", "EFD_SEMAPHORE is not O_WRONLY")
        XCTAssertEqual(F.openFlags(0o40000 | 0o100000, arch: .aarch64), "O_RDONLY|O_DIRECTORY|O_NOFOLLOW")
        XCTAssertEqual(F.openFlags(0o200000, arch: .aarch64), "O_RDONLY|O_DIRECT")
        XCTAssertEqual(F.openFlags(0o100000000), "O_RDONLY|0x1000000", "unknown bits stay visible in hex")
        XCTAssertEqual(F.openFlags(3), "O_ACCMODE")
    }

    func testAtFlagsAndDirfd() {
        XCTAssertEqual(F.atFlags(0), "0")
        XCTAssertEqual(F.atFlags(0x100), "AT_SYMLINK_NOFOLLOW")
        XCTAssertEqual(F.atFlags(0x200, eventName: "unlinkat"), "AT_REMOVEDIR")
        XCTAssertEqual(F.atFlags(0x200, eventName: "faccessat2"), "AT_EACCESS")
        XCTAssertEqual(F.atFlags(0x1000 | 0x100), "AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH")
        XCTAssertEqual(F.dirfd(UInt64(bitPattern: -100)), "AT_FDCWD")
        XCTAssertEqual(F.dirfd(0xffff_ff9c), "AT_FDCWD", "a 32-bit -100 in a 64-bit register")
        XCTAssertEqual(F.dirfd(5), "5")
    }

    func testCloneFlags() {
        XCTAssertEqual(F.cloneFlags(17), "SIGCHLD", "fork() through clone")
        XCTAssertEqual(F.cloneFlags(0x3d0f00),
                       "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID")
        XCTAssertEqual(F.cloneFlags(0x01200000 | 17), "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD")
        XCTAssertEqual(F.cloneFlags(0x20000000 | 0x40000000), "CLONE_NEWPID|CLONE_NEWNET")
        XCTAssertEqual(F.cloneFlags(0), "0")
    }

    func testMmapProtAndFlags() {
        XCTAssertEqual(F.mmapProt(0), "PROT_NONE")
        XCTAssertEqual(F.mmapProt(3), "PROT_READ|PROT_WRITE")
        XCTAssertEqual(F.mmapProt(5), "PROT_READ|PROT_EXEC")
        XCTAssertEqual(F.mmapFlags(0x22), "MAP_PRIVATE|MAP_ANONYMOUS")
        XCTAssertEqual(F.mmapFlags(0x812), "MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE")
        XCTAssertEqual(F.mmapFlags(0x1), "MAP_SHARED")
        XCTAssertEqual(F.mmapFlags(0x20022), "MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK")
    }

    func testSocketFamilyAndType() {
        XCTAssertEqual(F.socketFamily(2), "AF_INET")
        XCTAssertEqual(F.socketFamily(10), "AF_INET6")
        XCTAssertEqual(F.socketFamily(1), "AF_UNIX")
        XCTAssertEqual(F.socketFamily(16), "AF_NETLINK")
        XCTAssertEqual(F.socketFamily(99), "AF_99")
        XCTAssertEqual(F.socketType(1), "SOCK_STREAM")
        XCTAssertEqual(F.socketType(2 | 0o2000000 | 0o4000), "SOCK_DGRAM|SOCK_NONBLOCK|SOCK_CLOEXEC")
        XCTAssertEqual(F.socketType(0o2000000), "SOCK_CLOEXEC", "accept4 flags alone")
        XCTAssertEqual(F.socketType(0), "0")
    }

    func testModeErrnoSignal() {
        XCTAssertEqual(F.mode(0o644), "0644")
        XCTAssertEqual(F.mode(0o755), "0755")
        XCTAssertEqual(F.mode(0o100644), "0100644")
        XCTAssertEqual(F.mode(0), "0")
        XCTAssertEqual(F.errnoName(2), "ENOENT")
        XCTAssertEqual(F.errnoName(13), "EACCES")
        XCTAssertEqual(F.errnoName(111), "ECONNREFUSED")
        XCTAssertEqual(F.errnoName(512), "ERESTARTSYS")
        XCTAssertNil(F.errnoName(4000))
        XCTAssertEqual(F.errnoValue("EAGAIN"), 11)
        XCTAssertEqual(F.result(-2, type: .fd), "-2(ENOENT)")
        XCTAssertEqual(F.result(-4000, type: .errno), "-4000")
        XCTAssertEqual(F.result(3, type: .fd), "3")
        XCTAssertEqual(F.result(0x7f00_0000_1000, type: .pointer), "0x7f0000001000")
        XCTAssertEqual(F.result(-12, type: .pointer), "-12(ENOMEM)")
        XCTAssertEqual(F.signalName(15), "SIGTERM")
        XCTAssertEqual(F.signalName(9), "SIGKILL")
        XCTAssertEqual(F.signalName(0), "0")
        XCTAssertEqual(F.signalName(32), "SIGRTMIN")
        XCTAssertEqual(F.signalName(33), "SIGRT_1")
        XCTAssertEqual(F.signalName(34), "SIGRT_2", "glibc's SIGRTMIN, named as strace names it")
        XCTAssertEqual(F.signalName(64), "SIGRT_32")
        XCTAssertEqual(F.signalName(65), "65")
    }

    func testBuffer() {
        let text = Array("GET / HTTP/1.1\r\nHost: x\r\n".utf8)
        text.withUnsafeBytes { b in
            XCTAssertEqual(F.buffer(b), "GET / HTTP/1.1..Host: x..")
            XCTAssertEqual(F.buffer(b, limit: 5), "GET /...")
            XCTAssertEqual(F.buffer(b, limit: 200, truncated: true), "GET / HTTP/1.1..Host: x.....")
        }
        ([0x00, 0x7f, 0x80, 0xff, 0x41] as [UInt8]).withUnsafeBytes { (b: UnsafeRawBufferPointer) in
            XCTAssertEqual(F.buffer(b), "....A", "control, DEL and high bytes print as dots")
        }
        [UInt8]().withUnsafeBytes { XCTAssertEqual(F.buffer($0), "") }
    }

    func testSmallValueTables() {
        XCTAssertEqual(F.format(.fcntlCmd, raw: 1030), "F_DUPFD_CLOEXEC")
        XCTAssertEqual(F.format(.fcntlCmd, raw: 4), "F_SETFL")
        XCTAssertEqual(F.format(.whence, raw: 2), "SEEK_END")
        XCTAssertEqual(F.format(.shutdownHow, raw: 2), "SHUT_RDWR")
        XCTAssertEqual(F.format(.sigprocmaskHow, raw: 0), "SIG_BLOCK")
        XCTAssertEqual(F.format(.sigprocmaskHow, raw: 1), "SIG_UNBLOCK")
        XCTAssertEqual(F.format(.sigprocmaskHow, raw: 2), "SIG_SETMASK")
        XCTAssertEqual(F.format(.sigprocmaskHow, raw: 7), "7")
        // rt_sigprocmask's how is an int in the prototype; the catalog gives it its table.
        XCTAssertEqual(EventTable.info(named: "rt_sigprocmask")?.params.first, ParamInfo("how", .sigprocmaskHow))
        XCTAssertEqual(F.format(.msgFlags, raw: 0x4040), "MSG_DONTWAIT|MSG_NOSIGNAL")
        XCTAssertEqual(F.format(.msgFlags, raw: 0), "0")
        XCTAssertEqual(F.format(.accessMode, raw: 0), "F_OK")
        XCTAssertEqual(F.format(.accessMode, raw: 6), "R_OK|W_OK")
        XCTAssertEqual(F.format(.waitOptions, raw: 1 | 0x40000000), "WNOHANG|__WALL")
        XCTAssertEqual(F.format(.fd, raw: 0xffff_ffff), "-1")
        XCTAssertEqual(F.format(.pid, raw: UInt64(bitPattern: -1)), "-1")
        XCTAssertEqual(F.format(.int, raw: UInt64(bitPattern: -5)), "-5")
        XCTAssertEqual(F.format(.size, raw: 4096), "4096")
        XCTAssertEqual(F.format(.pointer, raw: 0), "NULL")
        XCTAssertEqual(F.format(.pointer, raw: 0x7ffd_1000), "0x7ffd1000")
        XCTAssertEqual(F.format(.path, raw: 0x1000), "0x1000", "no PATH item: the pointer")
        XCTAssertEqual(F.format(.signal, raw: 15), "SIGTERM")
    }

    /// The arguments as the default output prints them: the record run through the engine and the printer
    /// that `kcap read` uses (no snapshot, so fds carry no names).
    private func printedArgs(_ record: [UInt8], machine: String = "x86_64") -> String {
        let engine = Engine(machine: machine)
        let out = OutputBuffer()
        var printer = ArgsPrinter(out: out)
        record.withUnsafeBytes { _ = engine.process(RecordView(bytes: $0), into: &printer) }
        return out.string
    }

    private struct ArgsPrinter: EventConsumer {
        let out: OutputBuffer
        mutating func consume(_ event: Event) -> Bool {
            TestPrinter.printer(for: event.engine).appendArgs(event, to: out)
            return true
        }
    }

    func testPrintedArgumentsOfRecords() throws {
        typealias R = SchemaTestRecords
        // openat(AT_FDCWD, "/etc/hosts", O_RDONLY|O_CLOEXEC, 0) = 3 on x86_64
        let openat = R.syscall(nr: 257, ret: 3, args: [UInt64(bitPattern: -100), 0x5000, 0o2000000, 0],
                               items: [R.item(1, arg: 1, Array("/etc/hosts".utf8))])
        XCTAssertEqual(printedArgs(openat),
                       "fd=3(<f>/etc/hosts) dirfd=-100(AT_FDCWD) name=/etc/hosts flags=O_RDONLY|O_CLOEXEC mode=0 latency=500")
        // connect(3, {127.0.0.1:80}, 16) on aarch64 (nr 203) with the socket's tuple
        var tuple: [UInt8] = []
        R.put(&tuple, UInt16(2)); R.put(&tuple, UInt16(6)); R.put(&tuple, UInt16(40000)); R.put(&tuple, UInt16(80))
        tuple += [127, 0, 0, 1] + [UInt8](repeating: 0, count: 12) + [127, 0, 0, 1] + [UInt8](repeating: 0, count: 12)
        let connect = R.syscall(nr: 203, ret: 0, args: [3, 0x6000, 16],
                                items: [R.item(2, arg: 1, R.sockaddrIn([127, 0, 0, 1], port: 80)),
                                        R.item(6, arg: 0xff, tuple)])
        let c = printedArgs(connect, machine: "aarch64")
        XCTAssertTrue(c.hasPrefix("res=0 fd=3"), c)
        XCTAssertTrue(c.contains(" addr=127.0.0.1:80 addrlen=16 tuple=127.0.0.1:40000->127.0.0.1:80"), c)
        // write(1, "hi\n", 3) with a DATA item: the newline is shown as a dot
        let write = R.syscall(nr: 1, ret: 3, args: [1, 0x7000, 3], items: [R.item(3, arg: 1, Array("hi\n".utf8))])
        XCTAssertEqual(printedArgs(write), "res=3 fd=1(<NA>) data=hi. size=3 latency=500", "an fd the capture never named")
        // clone on aarch64 takes tls before child_tid
        let clone = R.syscall(nr: 220, ret: 500, args: [0x1200011, 0, 0x10, 0x20, 0x30])
        let cl = printedArgs(clone, machine: "aarch64")
        XCTAssertTrue(cl.contains(" flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD newsp=NULL parent_tid=0x10 tls=0x20 child_tid=0x30"), cl)
        // An unknown syscall number shows six raw arguments.
        let unknown = printedArgs(R.syscall(nr: 499, ret: 0, args: [1]))
        XCTAssertEqual(unknown, "res=0 arg0=0x1 arg1=0x0 arg2=0x0 arg3=0x0 arg4=0x0 arg5=0x0 latency=500")
    }

    /// Every syscall of both arches prints edge-case raw values (0, -1, all ones, huge) without trapping,
    /// naming every table parameter in order, and the same text on a second run.
    func testEverySyscallPrintsEdgeValues() throws {
        typealias R = SchemaTestRecords
        let edges: [UInt64] = [0, UInt64.max, 0x8000_0000_0000_0000, 0xffff_ffff, 0x7fff_ffff, 1]
        for arch in SyscallArch.allCases {
            let machine = arch == .x86_64 ? "x86_64" : "aarch64"
            for row in EventTable.all {
                guard let nr = row.number(on: arch) else { continue }
                for e in edges {
                    let rec = R.syscall(nr: UInt16(nr), ret: Int64(bitPattern: e), args: [UInt64](repeating: e, count: 6))
                    let text = printedArgs(rec, machine: machine)
                    // exit and exit_group show no result: their first parameter starts the text.
                    var rest = Substring(" " + text)
                    for p in EventTable.params(row, arch: arch) {
                        guard let r = rest.range(of: " \(p.name)=") else {
                            XCTFail("\(arch) \(row.name): no \(p.name)= in \(text)"); break
                        }
                        rest = rest[r.upperBound...]
                    }
                    XCTAssertEqual(text, printedArgs(rec, machine: machine))
                    XCTAssertFalse(F.result(Int64(bitPattern: e), type: row.result).isEmpty)
                }
            }
        }
    }

    // MARK: the symbol tables against the installed kernel UAPI headers (facts must match the kernel's)

    private func defines(_ path: String, _ pattern: String) throws -> [(String, UInt64)] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw XCTSkip("\(path) not installed (linux-libc-dev)")
        }
        let regex = try NSRegularExpression(pattern: pattern)
        var out: [(String, UInt64)] = []
        for line in text.split(separator: "\n") {
            let s = String(line)
            guard let m = regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)),
                  let nameRange = Range(m.range(at: 1), in: s), let valueRange = Range(m.range(at: 2), in: s)
            else { continue }
            var v = String(s[valueRange]).lowercased().replacingOccurrences(of: "ull", with: "")
            v = v.replacingOccurrences(of: "ul", with: "").replacingOccurrences(of: "u", with: "")
            let value: UInt64?
            if v.hasPrefix("0x") { value = UInt64(v.dropFirst(2), radix: 16) }
            else if v.hasPrefix("0") && v.count > 1 { value = UInt64(v.dropFirst(), radix: 8) }
            else { value = UInt64(v) }
            if let value { out.append((String(s[nameRange]), value)) }
        }
        return out
    }

    func testErrnoNamesMatchHeaders() throws {
        let all = try defines("/usr/include/asm-generic/errno-base.h", #"#define\s+(E\w+)\s+(\d+)"#)
            + defines("/usr/include/asm-generic/errno.h", #"#define\s+(E\w+)\s+(\d+)"#)
        XCTAssertGreaterThan(all.count, 120)
        for (name, value) in all {
            XCTAssertEqual(SymbolTables.errnos.name(Int64(value)), name, "errno \(value)")
        }
    }

    func testSignalNamesMatchHeaders() throws {
        let all = try defines("/usr/include/x86_64-linux-gnu/asm/signal.h", #"#define\s+(SIG\w+)\s+(\d+)\s*$"#)
        for (name, value) in all where value >= 1 && value <= 31 {
            let known = SymbolTables.signals.name(Int64(value))
            XCTAssertNotNil(known, name)
            // SIGIOT/SIGLOST are aliases of 6/29; the table prints the common name.
            if !["SIGIOT", "SIGLOST", "SIGUNUSED"].contains(name) { XCTAssertEqual(known, name) }
        }
    }

    func testOpenCloneMmapValuesMatchHeaders() throws {
        var named: [String: UInt64] = [:]
        for (v, n) in SymbolTables.openFlagsX86_64.names { named[n] = v }
        for (v, n) in SymbolTables.cloneFlags.names { named[n] = v }
        for (v, n) in SymbolTables.mmapProt.names { named[n] = v }
        for (v, n) in SymbolTables.mmapFlags.names { named[n] = v }
        let fromHeaders = try defines("/usr/include/asm-generic/fcntl.h", #"#define\s+(O_\w+)\s+(0[0-7]+)"#)
            + defines("/usr/include/linux/sched.h", #"#define\s+(CLONE_\w+)\s+(0x[0-9a-fA-F]+U*L*)"#)
            + defines("/usr/include/asm-generic/mman-common.h", #"#define\s+((?:PROT|MAP)_\w+)\s+(0x[0-9a-fA-F]+|\d+)"#)
            + defines("/usr/include/x86_64-linux-gnu/asm/mman.h", #"#define\s+(MAP_\w+)\s+(0x[0-9a-fA-F]+)"#)
        var checked = 0
        for (name, value) in fromHeaders {
            guard let mine = named[name] else { continue }
            XCTAssertEqual(mine, value, name)
            checked += 1
        }
        XCTAssertGreaterThan(checked, 40, "the header parse found the constants")
    }

    func testAddressFamiliesMatchHeaders() throws {
        let pf = try defines("/usr/include/x86_64-linux-gnu/bits/socket.h", #"#define\s+PF_(\w+)\s+(\d+)"#)
        var checked = 0
        for (name, value) in pf where value <= 45 {
            if let mine = SymbolTables.socketFamilies.name(Int64(value)), mine == "AF_" + name { checked += 1 }
        }
        XCTAssertGreaterThan(checked, 35)
    }
}
