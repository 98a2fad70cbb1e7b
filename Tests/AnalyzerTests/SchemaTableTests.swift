import XCTest
import CaptureFormat
@testable import EventSchema
@testable import Analyzer

final class SchemaTableTests: XCTestCase {
    /// The package root, from this file's path (Tests/AnalyzerTests/...).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func testEveryRecordTypeHasAnEntry() {
        for type in RecordType.allCases where type != .syscall {
            let id = EventTable.id(record: type)
            XCTAssertNotNil(id, "\(type)")
            if let id, case let .record(t) = EventTable.all[id].source { XCTAssertEqual(t, type) }
            else { XCTFail("\(type) row is not a record event") }
        }
        XCTAssertEqual(EventTable.info(named: "procexit")?.category, .process)
        XCTAssertEqual(EventTable.info(named: "procfork")?.flags.contains(.changesProcessState), true)
    }

    /// Every syscall number of the installed x86_64 header resolves to the row of the same name.
    func testEveryX86SyscallNumberHasAnEntry() throws {
        let path = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw XCTSkip("\(path) missing") }
        var count = 0
        for line in text.split(separator: "\n") where line.hasPrefix("#define __NR_") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count == 3, let nr = Int(parts[2]) else { continue }
            let name = String(parts[1].dropFirst("__NR_".count))
            XCTAssertEqual(EventTable.info(syscall: nr, arch: .x86_64)?.name, name, "x86_64 \(nr)")
            count += 1
        }
        XCTAssertGreaterThan(count, 350)
        XCTAssertGreaterThanOrEqual(GeneratedSyscalls.x86_64Count, count)
    }

    /// Both architectures: every generated number maps back to its row, numbers are unique, and the committed
    /// generated file is what the generator makes from the installed headers now.
    func testEveryNumberOfBothArchesHasAnEntry() {
        for arch in SyscallArch.allCases {
            var seen: [Int: String] = [:]
            var count = 0
            for row in EventTable.all {
                guard let nr = row.number(on: arch) else { continue }
                XCTAssertNil(seen[nr], "\(arch) \(nr) used by \(seen[nr] ?? "") and \(row.name)")
                seen[nr] = row.name
                XCTAssertEqual(EventTable.info(syscall: nr, arch: arch)?.name, row.name)
                count += 1
            }
            XCTAssertEqual(count, arch == .x86_64 ? GeneratedSyscalls.x86_64Count : GeneratedSyscalls.aarch64Count)
        }
        // Spot checks of well-known numbers.
        XCTAssertEqual(EventTable.info(syscall: 257, arch: .x86_64)?.name, "openat")
        XCTAssertEqual(EventTable.info(syscall: 56, arch: .aarch64)?.name, "openat")
        XCTAssertEqual(EventTable.info(syscall: 221, arch: .aarch64)?.name, "execve")
        XCTAssertEqual(EventTable.info(syscall: 59, arch: .x86_64)?.name, "execve")
        XCTAssertEqual(EventTable.info(syscall: 203, arch: .aarch64)?.name, "connect")
        XCTAssertNil(EventTable.info(named: "open")?.number(on: .aarch64), "aarch64 has no open(2)")
        XCTAssertNil(EventTable.info(syscall: 511, arch: .x86_64))
        XCTAssertNil(EventTable.id(syscall: -1, arch: .x86_64))
        XCTAssertNil(EventTable.id(syscall: 100_000, arch: .aarch64))
    }

    func testGeneratedFileIsCurrent() throws {
        let script = Self.root.appendingPathComponent("tools/gen-syscall-table.py").path
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/cpp"),
              FileManager.default.fileExists(atPath: "/usr/include/asm-generic/unistd.h") else {
            throw XCTSkip("cpp or the kernel headers are missing")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", script, "--check"]
        let err = Pipe()
        p.standardError = err
        try p.run()
        p.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(p.terminationStatus, 0, message)
    }

    /// GeneratedSymbols.swift is what tools/gen-symbol-tables.py makes from the installed headers (it compiles a
    /// program printing the values, so it needs cc).
    func testGeneratedSymbolsAreCurrent() throws {
        let script = Self.root.appendingPathComponent("tools/gen-symbol-tables.py").path
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/cc"),
              FileManager.default.fileExists(atPath: "/usr/include/linux/futex.h") else {
            throw XCTSkip("cc or the kernel headers are missing")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", script, "--check"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        let message = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(p.terminationStatus, 0, message)
    }

    func testCuratedRowsRefineGeneratedRows() {
        let generated = Dictionary(uniqueKeysWithValues: GeneratedSyscalls.rows.map { ($0.name, $0) })
        var names = Set<String>()
        for c in SyscallCatalog.curated {
            XCTAssertTrue(names.insert(c.name).inserted, "\(c.name) curated twice")
            guard let g = generated[c.name] else { XCTFail("curated \(c.name) is no syscall"); continue }
            if let params = c.params {
                XCTAssertEqual(params.count, g.params.count, "\(c.name): curated parameters must follow the prototype")
            }
        }
        XCTAssertEqual(SyscallCatalog.cloneAArch64Params.count, generated["clone"]?.params.count)
    }

    func testNamesAndParamsAreWellFormed() {
        var names = Set<String>()
        for row in EventTable.all {
            XCTAssertTrue(names.insert(row.name).inserted, "duplicate event \(row.name)")
            if row.isSyscall { XCTAssertLessThanOrEqual(row.params.count, 6, row.name) }
            XCTAssertEqual(Set(row.params.map(\.name)).count, row.params.count, "\(row.name) repeats a parameter name")
            XCTAssertFalse(row.name.isEmpty)
        }
    }

    /// The syscalls the recorder decodes payloads for (issue 3) and Kellect's event list are curated, with the
    /// parameter types their payloads need.
    func testImportantSyscallsAreCurated() {
        let required = """
        open openat openat2 creat execve execveat unlink unlinkat rename renameat renameat2 mkdir mkdirat rmdir \
        chdir fchdir chmod fchmodat stat lstat newfstatat statx access faccessat readlink symlink link truncate \
        connect bind accept accept4 sendto recvfrom sendmsg recvmsg getsockname getpeername read write pread64 \
        pwrite64 readv writev clone clone3 fork vfork kill tgkill tkill exit exit_group dup dup2 dup3 fcntl \
        close close_range socket listen shutdown poll epoll_wait epoll_ctl epoll_create1 mmap munmap mprotect \
        wait4 setuid setgid setresuid setreuid ioctl lseek getdents getdents64 sendfile splice pipe pipe2 \
        socketpair
        """.split(separator: " ").map(String.init)
        for name in required {
            guard let info = EventTable.info(named: name) else { XCTFail("\(name) missing"); continue }
            XCTAssertTrue(info.curated, "\(name) is not curated")
        }
        func types(_ n: String) -> [ParamType] { EventTable.info(named: n)?.params.map(\.type) ?? [] }
        XCTAssertEqual(types("openat"), [.dirfd, .path, .openFlags, .mode])
        XCTAssertEqual(types("connect"), [.fd, .sockaddr, .int])
        XCTAssertEqual(types("sendto"), [.fd, .buffer, .size, .msgFlags, .sockaddr, .int])
        XCTAssertEqual(types("clone").first, .cloneFlags)
        XCTAssertEqual(types("kill"), [.pid, .signal])
        XCTAssertEqual(types("mmap"), [.pointer, .size, .mmapProt, .mmapFlags, .fd, .uint])
        XCTAssertEqual(types("socket"), [.socketFamily, .socketType, .socketProto])
        let read = EventTable.info(named: "read")!
        XCTAssertTrue(read.flags.contains(.isIORead))
        XCTAssertTrue(EventTable.info(named: "write")!.flags.contains(.isIOWrite))
        XCTAssertTrue(EventTable.info(named: "close")!.flags.contains(.closesFd))
        XCTAssertTrue(EventTable.info(named: "openat")!.flags.contains(.createsFd))
        XCTAssertEqual(EventTable.info(named: "openat")!.result, .fd)
        XCTAssertEqual(EventTable.info(named: "connect")!.category, .net)
        XCTAssertEqual(EventTable.info(named: "mmap")!.category, .memory)
        XCTAssertEqual(EventTable.info(named: "kill")!.category, .signal)
        XCTAssertEqual(EventTable.info(named: "pipe")!.category, .ipc)
        XCTAssertEqual(EventTable.info(named: "nanosleep")!.category, .time)
    }

    func testUncuratedRowsCarryPrototypeNames() {
        let row = EventTable.info(named: "inotify_add_watch")!
        XCTAssertFalse(row.curated)
        XCTAssertEqual(row.params.map(\.name), ["fd", "pathname", "mask"])
        XCTAssertTrue(row.flags.contains(.usesFd), "an fd parameter makes an uncurated call an fd user")
    }

    func testArchFromMachine() {
        XCTAssertEqual(SyscallArch(machine: "x86_64"), .x86_64)
        XCTAssertEqual(SyscallArch(machine: "aarch64"), .aarch64)
        XCTAssertEqual(SyscallArch(machine: "arm64"), .aarch64)
        XCTAssertNil(SyscallArch(machine: "riscv64"))
    }
}
