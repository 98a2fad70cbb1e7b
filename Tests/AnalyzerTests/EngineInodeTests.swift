import XCTest
import KcapTestSupport
import CaptureFormat
@testable import Analyzer

/// `fd.ino` and the file identity behind an fd: the INODE item of a successful open*/creat (arg 0xff), an
/// fstat's INODE item (arg 1), snapshots (inode only), and what reads and writes see through the fd.
final class EngineInodeTests: XCTestCase {
    typealias B = RecordBuilder

    struct Seen { var type: String; var fd: Int32; var ino: Int64?; var dev: Int64?; var major: Int64?; var minor: Int64?
                  var file: FileIdentity?; var inoText: String?; var uid: Int64?; var gid: Int64?; var mode: String?
                  var args: String? }
    struct Collect: EventConsumer {
        var seen: [Seen] = []
        mutating func consume(_ e: Event) -> Bool {
            let f = e.fields
            seen.append(Seen(type: e.typeName, fd: e.fd, ino: f.int(FieldRef(.fdIno)), dev: f.int(FieldRef(.fdDev)),
                             major: f.int(FieldRef(.fdDevMajor)), minor: f.int(FieldRef(.fdDevMinor)), file: e.fdFile,
                             inoText: f.string(FieldRef(.fdIno)), uid: f.int(FieldRef(.fdUid)), gid: f.int(FieldRef(.fdGid)),
                             mode: f.string(FieldRef(.fdMode)), args: f.string(FieldRef(.evtArgs))))
            return true
        }
    }

    var engine: Engine!
    var collect = Collect()
    var ts: UInt64 = 1_000

    override func setUp() {
        engine = Engine(machine: "x86_64")
        collect = Collect()
        engine.load(CaptureSnapshot(timestampNs: 1, threads: [ThreadInfo(tid: 100, pid: 100, cwd: "/etc")], fds: [
            FdInfo(pid: 100, fd: 0, kind: .file, name: "/dev/null", inode: 5),
            FdInfo(pid: 100, fd: 1, kind: .pipe, name: "pipe:[99]"),
        ]))
    }

    @discardableResult
    func sys(_ name: String, ret: Int64, _ args: [Int64] = [], items: [B.ItemSpec] = []) -> Seen? {
        ts += 1000
        let r = B.syscall(ts: ts, tid: 100, pid: 100, nr: SyntheticCapture.nr(name), ret: ret,
                          args: args.map { B.arg($0) }, items: items)
        let before = collect.seen.count
        r.withUnsafeBytes { _ = engine.process(RecordView(bytes: $0), into: &collect) }
        return collect.seen.count > before ? collect.seen.last : nil
    }

    func testOpenItemGivesTheFdItsInodeAndReadsAndWritesSeeIt() throws {
        let dev: UInt32 = 259 << 20 | 3
        let open = sys("openat", ret: 3, [-100, 0o2, 0], items: [.path("hosts", arg: 1),
            .inode(123_456_789_012, dev: dev, mode: 0o100640, uid: 1000, gid: 4)])
        XCTAssertEqual(open?.ino, 123_456_789_012)
        XCTAssertEqual(open?.inoText, "123456789012")
        XCTAssertEqual(open?.dev, Int64(dev))
        XCTAssertEqual(open?.major, 259)
        XCTAssertEqual(open?.minor, 3)
        // Kellect's read/write: inode, owner and mode of the file through the fd
        for name in ["read", "write"] {
            let e = try XCTUnwrap(sys(name, ret: 10, [3, 0x1000, 10]))
            XCTAssertEqual(e.ino, 123_456_789_012, name)
            XCTAssertEqual(e.file?.uid, 1000, name)
            XCTAssertEqual(e.file?.gid, 4, name)
            XCTAssertEqual(e.file?.mode, 0o100640, name)
            XCTAssertEqual(e.uid, 1000, name)
            XCTAssertEqual(e.gid, 4, name)
            XCTAssertEqual(e.mode, "0100640", name)
        }
        // dup keeps the identity; close still shows it, then it is gone
        sys("dup", ret: 7, [3])
        XCTAssertEqual(sys("read", ret: 1, [7])?.ino, 123_456_789_012)
        XCTAssertEqual(sys("close", ret: 0, [3])?.ino, 123_456_789_012)
        XCTAssertNil(sys("read", ret: -9, [3])?.ino)
    }

    func testNoItemMeansNoValue() {
        // an open recorded before the BPF program emitted INODE items, or whose item was lost
        let open = sys("openat", ret: 3, [-100, 0, 0], items: [.path("passwd", arg: 1)])
        XCTAssertNotNil(open)
        XCTAssertNil(open?.ino)
        XCTAssertNil(open?.inoText)
        XCTAssertNil(sys("read", ret: 5, [3])?.dev)
        // a failed open has no fd and no inode
        XCTAssertNil(sys("openat", ret: -2, [-100, 0, 0], items: [.path("nope", arg: 1)])?.ino)
        // a non-fd item argument (a stat buffer of some other call) does not count as the open's
        sys("openat", ret: 4, [-100, 0, 0], items: [.path("group", arg: 1), .inode(9, dev: 1, mode: 0, uid: 0, gid: 0, arg: 2)])
        XCTAssertNil(sys("read", ret: 1, [4])?.ino)
    }

    func testSnapshotInodeAndFstatRefresh() {
        // fd 0 has its inode from the snapshot, but no device
        let r = sys("read", ret: 0, [0])
        XCTAssertEqual(r?.ino, 5)
        XCTAssertNil(r?.dev)
        XCTAssertNil(r?.uid, "a snapshot gives the inode alone, not the owner")
        XCTAssertNil(r?.gid)
        XCTAssertNil(r?.mode)
        // fstat's INODE item (arg 1, the stat buffer) fills in the rest
        sys("fstat", ret: 0, [0, 0x2000], items: [.inode(6, dev: 0x00100007, mode: 0o20666, uid: 0, gid: 0, arg: 1)])
        let after = sys("read", ret: 0, [0])
        XCTAssertEqual(after?.ino, 6)
        XCTAssertEqual(after?.major, 1)
        XCTAssertEqual(after?.minor, 7)
        XCTAssertEqual(after?.file?.mode, 0o20666)
        XCTAssertEqual(after?.mode, "020666")
        XCTAssertEqual(after?.uid, 0)
        // a failed fstat changes nothing; an fstat of an unknown fd adds nothing
        sys("fstat", ret: -9, [0, 0x2000], items: [.inode(77, dev: 1, mode: 0, uid: 0, gid: 0, arg: 1)])
        XCTAssertEqual(sys("read", ret: 0, [0])?.ino, 6)
        sys("fstat", ret: 0, [50, 0x2000], items: [.inode(78, dev: 1, mode: 0, uid: 0, gid: 0, arg: 1)])
        XCTAssertNil(engine.threads.process(100)?.fds[50])
        // the pipe from the snapshot has no inode the engine trusts (0)
        XCTAssertNil(sys("write", ret: 1, [1])?.ino)
    }

    /// Kellect's "File mode querying": the open*/stat* line shows the file's inode, mode and owner, after the
    /// parameters; calls without the item show nothing of it.
    func testDefaultLineShowsTheItem() throws {
        let open = try XCTUnwrap(sys("openat", ret: 3, [-100, 0x10, 0, 0o644], items: [.path("hosts", arg: 1),
            .inode(1234, dev: 1, mode: 0o100644, uid: 0, gid: 42)]))
        XCTAssertEqual(open.args, "fd=3(<f>/etc/hosts) dirfd=-100(AT_FDCWD) name=hosts flags=O_RDONLY mode=0644 ino=1234 file_mode=0100644 uid=0 gid=42 latency=1000")
        let stat = try XCTUnwrap(sys("newfstatat", ret: 0, [-100, 0x10, 0x2000, 0], items: [.path("/tmp", arg: 1),
            .inode(77, dev: 1, mode: 0o41777, uid: 0, gid: 0, arg: 2)]))
        XCTAssertEqual(stat.args, "res=0 dirfd=-100(AT_FDCWD) path=/tmp statbuf=0x2000 flags=0 ino=77 file_mode=041777 uid=0 gid=0 latency=1000")
        XCTAssertNil(stat.ino, "a path stat has no fd: fd.* stay empty")
        XCTAssertEqual(try XCTUnwrap(sys("read", ret: 1, [3, 0x1000, 1])).args?.contains("ino="), false)
        let failed = try XCTUnwrap(sys("stat", ret: -2, [0x10, 0x2000], items: [.path("/nope", arg: 0)]))
        XCTAssertEqual(failed.args, "res=-2(ENOENT) path=/nope statbuf=0x2000 latency=1000")
    }

    func testFilterOnFdIno() throws {
        sys("openat", ret: 3, [-100, 0, 0], items: [.path("hosts", arg: 1), .inode(42, dev: 1, mode: 0o100644, uid: 0, gid: 0)])
        let f = try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: "x86_64"))
            .compile("fd.ino = 42 and evt.type = read", for: Event.self)
        struct Count: EventConsumer {
            let filter: EventFilter; var n = 0
            mutating func consume(_ e: Event) -> Bool { if filter.matches(e.fields) { n += 1 }; return true }
        }
        var c = Count(filter: f)
        for (fd, ret) in [(Int64(3), Int64(4)), (0, 0), (3, 1)] {
            ts += 1000
            let r = B.syscall(ts: ts, tid: 100, pid: 100, nr: SyntheticCapture.nr("read"), ret: ret, args: [B.arg(fd)])
            r.withUnsafeBytes { _ = engine.process(RecordView(bytes: $0), into: &c) }
        }
        XCTAssertEqual(c.n, 2)
        for (text, n) in [("fd.mode = 0100644 and fd.uid = 0 and evt.type = read", 2), ("fd.mode = 0100600", 0),
                          ("fd.gid = 0 and fd.mode startswith 010", 2)] {
            var c = Count(filter: try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: "x86_64")).compile(text, for: Event.self))
            for (fd, ret) in [(Int64(3), Int64(4)), (0, 0), (3, 1)] {
                ts += 1000
                let r = B.syscall(ts: ts, tid: 100, pid: 100, nr: SyntheticCapture.nr("read"), ret: ret, args: [B.arg(fd)])
                r.withUnsafeBytes { _ = engine.process(RecordView(bytes: $0), into: &c) }
            }
            XCTAssertEqual(c.n, n, text)
        }
    }

    /// Real fixture: the files fixture's opens carry INODE items from the recorder's BPF program, so reads of
    /// files opened during the capture have an inode, and every fd of the same path agrees on it.
    func testRealFixtureOpensCarryInodes() throws {
        let path = GoldenTests.fixtures.appendingPathComponent("files/capture.kcap").path
        let replay = CaptureReplay(reader: try CaptureReader(path: path))
        struct ByPath: EventConsumer {
            var inodes: [String: Set<Int64>] = [:]
            var opens = 0, opensWithInode = 0
            mutating func consume(_ e: Event) -> Bool {
                guard e.kind == .syscall, e.typeName == "openat", !e.failed, let name = e.fdName else { return true }
                opens += 1
                if let ino = e.fields.int(FieldRef(.fdIno)) { opensWithInode += 1; inodes[name, default: []].insert(ino) }
                return true
            }
        }
        var c = ByPath()
        try replay.run(into: &c)
        XCTAssertGreaterThan(c.opens, 20)
        XCTAssertEqual(c.opensWithInode, c.opens, "every successful openat should carry an INODE item")
        XCTAssertEqual(c.inodes["/etc/ld.so.cache"]?.count, 1, "one file, one inode")
    }
}
