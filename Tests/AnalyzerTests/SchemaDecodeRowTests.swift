import XCTest
@testable import EventSchema

/// The BPF program's decode rows (`kcap_decode` in bpf/kcap.bpf.c: which syscalls get PATH, SOCKADDR, DATA,
/// FDPAIR and TUPLE items, at which argument) against the event table's parameter types, both ways, so the
/// recorder and the table cannot drift: an item the recorder writes must land on a parameter of its type, and a
/// parameter of a decoded type must have a decode row, unless listed below as a known gap.
final class SchemaDecodeRowTests: XCTestCase {
    /// One `DEC(name, op, a, b)` or `DEC3(name, op, a, b, c)` line.
    struct DecodeRow {
        var name: String
        var op: String
        var a: Int?
        var b: Int?
        var c: Int? = nil
    }

    /// What one decode row records: items that decode parameter `index` as one of `types` (a PATH item fills
    /// a path or another string), and whether a TUPLE item follows (of the fd in argument 0, or of the
    /// returned fd).
    struct Decoded {
        var params: [(index: Int, types: Set<ParamType>)] = []
        var tupleOfArg0 = false
        var tupleOfResult = false
    }

    /// Parameters of a decoded type (path, sockaddr, buffer, fd pair) that the recorder does not decode: they
    /// print as the pointer. `name.param`. Shrink this list by adding decode rows; a new entry is a reviewed gap.
    static let knownUndecoded: Set<String> = [
        // curated rows whose payload the recorder does not copy yet
        "fspick.path", "open_tree.filename", "open_tree_attr.filename", "utimensat.path",
        // generated rows whose prototypes name a path
        "fanotify_mark.pathname", "futimesat.filename",
        "move_mount.from_pathname", "move_mount.to_pathname", "quotactl.special",
        "swapoff.specialfile", "swapon.specialfile",
        "uselib.library", "utime.filename", "utimes.filename", "mount_setattr.path",
        "getxattrat.pathname", "setxattrat.pathname", "listxattrat.pathname", "removexattrat.pathname",
        "file_getattr.filename", "file_setattr.filename",
    ]

    static func source(_ path: String) throws -> String {
        try String(contentsOfFile: SchemaTableTests.root.appendingPathComponent(path).path, encoding: .utf8)
    }

    /// The rows of `kcap_decode`, parsed from the C initialiser.
    static func decodeRows() throws -> [DecodeRow] {
        let text = try source("bpf/kcap.bpf.c")
        guard let start = text.range(of: "kcap_decode[KCAP_NR_SLOTS] = {"),
              let end = text.range(of: "};", range: start.upperBound..<text.endIndex) else {
            XCTFail("no kcap_decode table in bpf/kcap.bpf.c")
            return []
        }
        var rows: [DecodeRow] = []
        for line in text[start.upperBound..<end.lowerBound].split(separator: "\n") {
            let t = line.trimmingCharacters(in: .whitespaces)
            let three = t.hasPrefix("DEC3(")
            guard t.hasPrefix("DEC(") || three else { continue }
            let fields = t.dropFirst(three ? 5 : 4).prefix { $0 != ")" }.split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == (three ? 5 : 4) else { XCTFail("unreadable decode row: \(t)"); continue }
            func arg(_ s: String) -> Int? { s == "NOARG" ? nil : Int(s) }
            rows.append(DecodeRow(name: fields[0], op: fields[1], a: arg(fields[2]), b: arg(fields[3]),
                                  c: three ? arg(fields[4]) : nil))
        }
        return rows
    }

    /// What each op of `decode()` in bpf/kcap.bpf.c records (see `enum kcap_op` there).
    static func decoded(_ row: DecodeRow) -> Decoded? {
        var d = Decoded()
        func at(_ i: Int?, _ t: ParamType...) { if let i { d.params.append((i, Set(t))) } }
        let string: [ParamType] = [.path, .string]
        func str(_ i: Int?) { if let i { d.params.append((i, Set(string))) } }
        switch row.op {
        case "KOP_PATH": str(row.a); str(row.b); str(row.c)
        case "KOP_OPEN": at(row.a, .path)
        case "KOP_EXEC": at(row.a, .path); at(row.b, .argv); at(row.c, .argv) // argv, and envp with --env
        case "KOP_XATTR_GET", "KOP_XATTR_SET": str(row.a); str(row.b); at(row.c, .buffer)
        case "KOP_GETCWD": at(row.a, .path)
        case "KOP_READLINK": at(row.a, .path); at(row.b, .path) // the path, then the target it names
        case "KOP_PRCTL": at(1, .prctlArg) // PR_SET_NAME/PR_GET_NAME's name
        case "KOP_MEMOUT": at(row.a, .waitStatus) // wait4's status: a MEMORY item
        case "KOP_MEMINOUT": // MEMORY items: what the caller passed (a), what the kernel wrote (b)
            let memory: [ParamType] = [.sigaction, .sigset, .rlimit, .epollEvents, .sysinfo]
            if let a = row.a { d.params.append((a, Set(memory))) }
            if let b = row.b { d.params.append((b, Set(memory))) }
        case "KOP_POLL": at(row.a, .pollfds)
        case "KOP_EPOLL_WAIT": at(row.a, .epollEvents) // the events the kernel wrote: a MEMORY item
        case "KOP_MEMLEN": at(row.a, .sockoptValue) // setsockopt's value, optlen bytes
        case "KOP_MMSG": at(row.a, .pointer) // the first mmsghdr: its name and data (the messageExtras)
        case "KOP_STAT", "KOP_STATX": at(row.a, .path); at(row.b, .pointer) // the stat buffer: an INODE item
        case "KOP_FSTAT": at(row.b, .pointer)
        case "KOP_SA_IN": at(row.a, .sockaddr); d.tupleOfArg0 = true
        case "KOP_SA_OUT": at(row.a, .sockaddr)
        case "KOP_ACCEPT": at(row.a, .sockaddr); d.tupleOfResult = true
        case "KOP_SENDTO", "KOP_RECVFROM": at(1, .buffer); at(4, .sockaddr); d.tupleOfArg0 = true
        case "KOP_MSG": at(row.a, .pointer) // the msghdr: its name and first iovec become items
        case "KOP_BUF", "KOP_IOV": at(row.a, .buffer)
        case "KOP_FDPAIR": at(row.a, .fdPair)
        case "KOP_CLONE3": at(row.a, .cloneArgs) // struct clone_args: a CLONE_ARGS item
        case "KOP_LISTEN": d.tupleOfArg0 = true
        default: return nil
        }
        return d
    }

    /// Every item a decode row writes lands on a parameter of the type that prints it.
    func testDecodeRowsMatchTheTablesParameterTypes() throws {
        let rows = try Self.decodeRows()
        XCTAssertGreaterThan(rows.count, 50)
        var names = Set<String>()
        for row in rows {
            XCTAssertTrue(names.insert(row.name).inserted, "\(row.name) has two decode rows")
            guard let info = EventTable.info(named: row.name), info.isSyscall else {
                XCTFail("decode row \(row.name) is no syscall of the event table"); continue
            }
            guard let d = Self.decoded(row) else {
                XCTFail("\(row.name): op \(row.op) is new: say here what it records"); continue
            }
            for (i, type) in d.params.map({ ($0.index, $0.types) }) {
                XCTAssertLessThan(i, info.params.count, "\(row.name): decode row names argument \(i)")
                guard i < info.params.count else { continue }
                XCTAssertTrue(type.contains(info.params[i].type),
                              "\(row.name): the recorder decodes argument \(i) (\(info.params[i].name)) as \(type)")
            }
            if d.tupleOfArg0 { XCTAssertEqual(info.params.first?.type, .fd, "\(row.name): tuple of argument 0") }
            if d.tupleOfResult { XCTAssertEqual(info.result, .fd, "\(row.name): tuple of the result") }
        }
    }

    /// Every parameter of a decoded type has a decode row, and every row that shows the tuple records one.
    func testEveryDecodedParameterTypeHasADecodeRow() throws {
        let rows = Dictionary(try Self.decodeRows().map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var gaps = Set<String>()
        for info in EventTable.all where info.isSyscall {
            let d = rows[info.name].flatMap(Self.decoded) ?? Decoded()
            for (i, p) in info.params.enumerated() where [.path, .sockaddr, .buffer, .fdPair, .argv, .waitStatus, .sigaction, .sigset, .rlimit, .pollfds,
                                                     .epollEvents, .sockoptValue, .cloneArgs, .sysinfo].contains(p.type) {
                if !d.params.contains(where: { $0.index == i && $0.types.contains(p.type) }) { gaps.insert("\(info.name).\(p.name)") }
            }
            if info.showsTuple {
                XCTAssertTrue(d.tupleOfArg0 || d.tupleOfResult, "\(info.name) shows a tuple the recorder does not record")
            }
        }
        let new = gaps.subtracting(Self.knownUndecoded)
        XCTAssertTrue(new.isEmpty, "parameters of a decoded type without a decode row: \(new.sorted())")
        let fixed = Self.knownUndecoded.subtracting(gaps)
        XCTAssertTrue(fixed.isEmpty, "decoded now, remove from knownUndecoded: \(fixed.sorted())")
    }

    /// bpf/kcap_syscall_nr.h numbers the decoded syscalls per arch; they are the table's numbers.
    func testBPFSyscallNumbersAreTheTables() throws {
        let text = try Self.source("bpf/kcap_syscall_nr.h")
        var arch: SyscallArch?
        var checked = 0
        for line in text.split(separator: "\n") {
            if line.hasPrefix("#if defined(__TARGET_ARCH_x86)") { arch = .x86_64; continue }
            if line.hasPrefix("#elif defined(__TARGET_ARCH_arm64)") { arch = .aarch64; continue }
            if line.hasPrefix("#else") { arch = nil; continue }
            guard let arch, line.hasPrefix("#define KCAP_NR_") else { continue }
            let parts = line.split(separator: " ")
            guard parts.count == 3 else { continue }
            let name = String(parts[1].dropFirst("KCAP_NR_".count))
            guard let info = EventTable.info(named: name) else { XCTFail("\(name) is not in the event table"); continue }
            XCTAssertEqual(info.number(on: arch), parts[2] == "KCAP_NR_ABSENT" ? nil : Int(parts[2]), "\(arch) \(name)")
            checked += 1
        }
        XCTAssertGreaterThan(checked, 100)
        // Every decode row's syscall is numbered there (the C compiler checks the reverse).
        for row in try Self.decodeRows() { XCTAssertTrue(text.contains("#define KCAP_NR_\(row.name) "), row.name) }
    }
}
