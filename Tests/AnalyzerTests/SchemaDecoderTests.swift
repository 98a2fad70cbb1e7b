import XCTest
import EventSchema
import CaptureFormat
@testable import Analyzer

final class SchemaDecoderTests: XCTestCase {
    typealias R = SchemaTestRecords

    private func withBytes<T>(_ b: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try b.withUnsafeBytes(body)
    }

    func testSyscallRecordFields() throws {
        let rec = R.syscall(nr: 257, ret: 3, args: [UInt64(bitPattern: -100), 0x7fff_0000, 0o2000000 | 2, 0o644],
                            latency: 1234, items: [R.item(1, arg: 1, Array("/etc/hosts".utf8))])
        try withBytes(rec) { b in
            let s = try SyscallRecord(bytes: b)
            XCTAssertEqual(s.nr, 257)
            XCTAssertEqual(s.ret, 3)
            XCTAssertEqual(s.tid, 101)
            XCTAssertEqual(s.pid, 100)
            XCTAssertEqual(s.cpu, 1)
            XCTAssertEqual(s.timestampNs, 1_000)
            XCTAssertEqual(s.latencyNs, 1234)
            XCTAssertEqual(s.enterTimestampNs, 1_000 &- 1234)
            XCTAssertEqual(Int32(truncatingIfNeeded: s.arg(0)), -100)
            XCTAssertEqual(s.arg(2), 0o2000002)
            XCTAssertEqual(s.arg(6), 0, "out-of-range argument index reads as 0")
            XCTAssertEqual(s.args.count, 6)
            XCTAssertNil(s.errno)
            XCTAssertEqual(s.itemCount, 1)
            XCTAssertNoThrow(try s.items.validate())
            let path = try XCTUnwrap(s.items.first(.path, arg: 1))
            XCTAssertEqual(path.string, "/etc/hosts")
            XCTAssertEqual(path.argIndex, 1)
            XCTAssertNil(s.items.first(.path, arg: 0))
            XCTAssertEqual(s.header.length, rec.count)
            XCTAssertEqual(rec.count % 8, 0)
        }
    }

    func testFailedSyscallAndNoEnter() throws {
        let rec = R.syscall(nr: 2, ret: -2, latency: 0, flags: RecordFlags.noEnter.rawValue)
        try withBytes(rec) { b in
            let s = try SyscallRecord(bytes: b)
            XCTAssertEqual(s.errno, 2)
            XCTAssertNil(s.latencyNs)
            XCTAssertTrue(s.flags.contains(.noEnter))
        }
    }

    func testAllItemKindsDecode() throws {
        var tuple: [UInt8] = []
        R.put(&tuple, UInt16(2)); R.put(&tuple, UInt16(6)); R.put(&tuple, UInt16(40000)); R.put(&tuple, UInt16(80))
        tuple += [127, 0, 0, 1] + [UInt8](repeating: 0, count: 12) + [10, 0, 0, 2] + [UInt8](repeating: 0, count: 12)
        var pair: [UInt8] = []
        R.put(&pair, Int32(3)); R.put(&pair, Int32(4))
        var clone: [UInt8] = []
        R.put(&clone, UInt64(0x10000 | 0x100))
        let rec = R.syscall(nr: 42, ret: 0, items: [
            R.item(2, arg: 1, R.sockaddrIn([127, 0, 0, 1], port: 80)),
            R.item(3, arg: 1, Array("GET /\r\n".utf8)),
            R.item(5, arg: 0, pair),
            R.item(6, arg: 0xff, tuple),
            R.item(7, arg: 0, clone),
            R.item(4, arg: 0xff, Array("ls\0-l\0".utf8)),
            R.item(200, arg: 0xff, [1, 2, 3]),
        ])
        try withBytes(rec) { b in
            let s = try SyscallRecord(bytes: b)
            XCTAssertNoThrow(try s.items.validate())
            let all = Array(s.items)
            XCTAssertEqual(all.count, 7)
            XCTAssertEqual(all[0].socketAddress?.description, "127.0.0.1:80")
            XCTAssertEqual(all[1].data.count, 7)
            XCTAssertEqual(all[2].fdPair?.0, 3)
            XCTAssertEqual(all[2].fdPair?.1, 4)
            let t = try XCTUnwrap(all[3].tuple)
            XCTAssertEqual(t.description, "127.0.0.1:40000->10.0.0.2:80")
            XCTAssertEqual(t.protocolName, "tcp")
            XCTAssertNil(all[3].argIndex)
            XCTAssertEqual(all[4].cloneArgsFlags, 0x10100)
            XCTAssertEqual(all[5].argv, ["ls", "-l"])
            XCTAssertNil(all[6].kind, "unknown item kinds are kept as raw and skipped by callers")
        }
    }

    func testWrongTypeAndShortHeader() throws {
        let fork = R.fork(childTid: 5, childPid: 5, comm: "x")
        try fork.withUnsafeBytes { b in
            XCTAssertThrowsError(try SyscallRecord(bytes: b)) { e in
                XCTAssertEqual(e as? RecordDecodeError, .wrongType(expected: .syscall, found: 2))
            }
        }
        try [UInt8](repeating: 0, count: 10).withUnsafeBytes { b in
            var walker = RecordWalker(b)
            XCTAssertNil(walker.next(), "shorter than a header: no record")
            XCTAssertEqual(walker.stop, .partialHeader(left: 10))
            XCTAssertThrowsError(try ExitRecord(bytes: b))
        }
    }

    /// The walker's one-compare length test says what its three conditions say, for every 16-bit `hdr.len` and
    /// the ends of Int.
    func testPossibleLengthIsAtLeastAHeaderAtMostTheMaximumAndAligned() {
        for len in [Int.min, -1, Int.max] + Array(0...Int(UInt16.max) + 8) {
            let plain = len >= KcapABI.Header.size && len <= KcapABI.recordMax && len % KcapABI.recordAlign == 0
            XCTAssertEqual(RecordWalker.isPossible(length: len), plain, "hdr.len \(len)")
        }
    }

    /// The reader's chunk check (`skipAll`) ends where a walk by `next()` ends, with the same count and reason,
    /// on whole runs, every cut of one, and lengths that cannot be.
    func testSkipAllStopsWhereNextStops() throws {
        let first = R.syscall(nr: 0, ret: 5, items: [R.item(3, arg: 1, Array("hello".utf8))])
        let run = first + R.fork(childTid: 7, childPid: 7, comm: "bash") + R.exit(code: 256, groupDead: true)
        var cases: [[UInt8]] = (0...run.count).map { Array(run.prefix($0)) }
        for record in [0, first.count] {
            // hdr.len (offset 18): 0, over the maximum, unaligned, shorter than a header.
            for (offset, value) in [(18, UInt8(0)), (19, 0xff), (18, 7), (18, 16)] {
                var bad = run
                bad[record + offset] = value
                cases.append(bad)
            }
        }
        for bytes in cases {
            bytes.withUnsafeBytes { b in
                var stepped = RecordWalker(b)
                while stepped.next() != nil {}
                var skipped = RecordWalker(b)
                skipped.skipAll()
                XCTAssertEqual(skipped.count, stepped.count, "\(bytes.count) bytes")
                XCTAssertEqual(skipped.offset, stepped.offset, "\(bytes.count) bytes")
                XCTAssertEqual(skipped.stop, stepped.stop, "\(bytes.count) bytes")
            }
        }
    }

    /// Every prefix of every record type is rejected with an error (or, past the fixed part, decoded safely).
    func testEveryTruncationThrowsNeverTraps() throws {
        let records: [[UInt8]] = [
            R.syscall(nr: 0, ret: 5, items: [R.item(3, arg: 1, Array("hello".utf8))]),
            R.fork(childTid: 7, childPid: 7, comm: "bash"),
            R.exec(comm: "ls", filename: "/bin/ls", argv: ["ls", "-l"]),
            R.exit(code: 256, groupDead: true),
        ]
        for rec in records {
            for n in 0..<rec.count {
                let prefix = Array(rec.prefix(n))
                try prefix.withUnsafeBytes { b in
                    switch rec[16] {
                    case 1: XCTAssertThrowsError(try SyscallRecord(bytes: b), "syscall prefix \(n)")
                    case 2: XCTAssertThrowsError(try ForkRecord(bytes: b), "fork prefix \(n)")
                    case 3: XCTAssertThrowsError(try ExecRecord(bytes: b), "exec prefix \(n)")
                    default: XCTAssertThrowsError(try ExitRecord(bytes: b), "exit prefix \(n)")
                    }
                }
            }
        }
    }

    /// The fixed part of a syscall view is read without a check per field, so a view made unchecked from bytes
    /// too short for it must read zeros, never the memory after them; whole records read as written.
    func testUncheckedSyscallViewOfShortBytesReadsZeros() throws {
        let rec = R.syscall(nr: 257, ret: 3, items: [R.item(ItemKind.path.rawValue, arg: 1, Array("/etc".utf8))])
        for n in [0, 8, 24, 95] {
            // The bytes after the prefix are not zero: a read past the prefix would see them.
            var padded = Array(rec.prefix(n)) + [UInt8](repeating: 0xAB, count: 128)
            padded.withUnsafeMutableBytes { b in
                let r = SyscallRecord(unchecked: RecordView(bytes: UnsafeRawBufferPointer(rebasing: b[0..<n])))
                XCTAssertEqual(r.nr, 0, "prefix \(n)")
                XCTAssertEqual(r.ret, 0, "prefix \(n)")
                XCTAssertEqual(r.arg(5), 0, "prefix \(n)")
                XCTAssertEqual(r.rawLatencyNs, 0, "prefix \(n)")
                XCTAssertEqual(r.itemCount, 0, "prefix \(n)")
                XCTAssertNil(r.items.first(.path), "prefix \(n)")
            }
        }
        try rec.withUnsafeBytes { b in
            let r = SyscallRecord(unchecked: RecordView(bytes: b))
            XCTAssertEqual(r.nr, 257)
            XCTAssertEqual(r.ret, 3)
            XCTAssertEqual(r.itemCount, 1)
            XCTAssertEqual(r.items.first(.path)?.string, "/etc")
            XCTAssertEqual(try SyscallRecord(bytes: b).bytes.count, r.bytes.count)
        }
    }

    func testLengthFieldsAreBounded() throws {
        // hdr.len smaller than the fixed part, larger than the buffer, and beyond KCAP_RECORD_MAX.
        var rec = R.syscall(nr: 1, ret: 0)
        for bad in [UInt16(24), UInt16(95), UInt16(rec.count + 8), UInt16(9000)] {
            rec[18] = UInt8(bad & 0xff); rec[19] = UInt8(bad >> 8)
            try rec.withUnsafeBytes { b in XCTAssertThrowsError(try SyscallRecord(bytes: b), "len \(bad)") }
        }
    }

    func testItemOverrunIsReportedAndIterationStops() throws {
        // One good item, then one whose length runs past the record, and a declared count larger than present.
        var rec = R.syscall(nr: 0, ret: 1, items: [R.item(1, arg: 0, Array("/a".utf8)), R.item(3, arg: 1, [1, 2])])
        let secondLen = KcapABI.Syscall.size + 4 + 2 + 2
        rec[secondLen] = 0xff; rec[secondLen + 1] = 0x7f
        rec[KcapABI.Syscall.nitems] = 9
        try rec.withUnsafeBytes { b in
            let s = try SyscallRecord(bytes: b)
            XCTAssertEqual(Array(s.items).count, 1)
            XCTAssertThrowsError(try s.items.validate()) { e in
                guard case let .itemOverrun(_, index, offset, _, _)? = e as? RecordDecodeError else {
                    return XCTFail("\(e)")
                }
                XCTAssertEqual(index, 1)
                XCTAssertEqual(offset, KcapABI.Syscall.size + 6)
                XCTAssertFalse((e as! RecordDecodeError).description.isEmpty)
            }
        }
    }

    /// Random bytes with a plausible header never crash a decoder or make item iteration loop.
    func testRandomBytesNeverTrap() {
        var rng = SystemRandomNumberGenerator()
        for round in 0..<3000 {
            let n = Int.random(in: 0...300, using: &rng)
            var b = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if n >= 24 && round % 2 == 0 {
                b[16] = UInt8(1 + round % 4); b[17] = 0
                let len = UInt16(n - n % 8)
                b[18] = UInt8(len & 0xff); b[19] = UInt8(len >> 8)
            }
            b.withUnsafeBytes { p in
                if let s = try? SyscallRecord(bytes: p) {
                    var count = 0
                    for item in s.items {
                        count += 1
                        _ = item.string; _ = item.socketAddress; _ = item.tuple; _ = item.fdPair; _ = item.argv
                    }
                    XCTAssertLessThanOrEqual(count, s.itemCount)
                    _ = try? s.items.validate()
                    for machine in ["x86_64", "aarch64"] {
                        var printer = PrintingConsumer()
                        _ = Engine(machine: machine).process(RecordView(bytes: p), into: &printer)
                    }
                }
                if let f = try? ForkRecord(bytes: p) { _ = f.childComm; _ = f.isThread }
                if let e = try? ExecRecord(bytes: p) { _ = e.filename; _ = e.argv; _ = e.comm }
                if let x = try? ExitRecord(bytes: p) { _ = x.status; _ = x.signal }
            }
        }
    }

    func testForkExecExitRecords() throws {
        try R.fork(childTid: 201, childPid: 100, comm: "worker").withUnsafeBytes { b in
            let f = try ForkRecord(bytes: b)
            XCTAssertEqual(f.parentTid, 101)
            XCTAssertEqual(f.parentPid, 100)
            XCTAssertEqual(f.childTid, 201)
            XCTAssertEqual(f.childPid, 100)
            XCTAssertEqual(f.childComm, "worker")
            XCTAssertTrue(f.isThread)
        }
        try R.fork(childTid: 300, childPid: 300, comm: "a-comm-of-16-chars").withUnsafeBytes { b in
            let f = try ForkRecord(bytes: b)
            XCTAssertFalse(f.isThread)
            XCTAssertEqual(f.childComm, "a-comm-of-16-cha", "comm is cut at 16 bytes even without a NUL")
        }
        try R.exec(comm: "ls", filename: "/usr/bin/ls", argv: ["ls", "-la", "/tmp"], ppid: 42).withUnsafeBytes { b in
            let e = try ExecRecord(bytes: b)
            XCTAssertEqual(e.comm, "ls")
            XCTAssertEqual(e.filename, "/usr/bin/ls")
            XCTAssertEqual(e.argv, ["ls", "-la", "/tmp"])
            XCTAssertEqual(e.ppid, 42)
            XCTAssertEqual(e.uid, 1000)
            XCTAssertEqual(e.gid, 1001)
            XCTAssertEqual(e.oldTid, 99)
        }
        try R.exit(code: (3 << 8), groupDead: true).withUnsafeBytes { b in
            let x = try ExitRecord(bytes: b)
            XCTAssertEqual(x.status, 3)
            XCTAssertEqual(x.signal, 0)
            XCTAssertTrue(x.groupDead)
        }
        try R.exit(code: 9 | 0x80, groupDead: false).withUnsafeBytes { b in
            let x = try ExitRecord(bytes: b)
            XCTAssertEqual(x.signal, 9)
            XCTAssertTrue(x.coreDumped)
            XCTAssertFalse(x.groupDead)
        }
    }

    func testSocketAddresses() {
        func decode(_ b: [UInt8]) -> SocketAddress? { b.withUnsafeBytes { SocketAddress(sockaddr: $0) } }
        XCTAssertEqual(decode(R.sockaddrIn([192, 168, 1, 20], port: 443))?.description, "192.168.1.20:443")
        var v6 = [UInt8](repeating: 0, count: 16); v6[15] = 1
        XCTAssertEqual(decode(R.sockaddrIn6(v6, port: 8080))?.description, "[::1]:8080")
        let doc: [UInt8] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]
        XCTAssertEqual(decode(R.sockaddrIn6(doc, port: 53))?.description, "[2001:db8::1:0:0:1]:53")
        let mapped: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 1, 2, 3]
        XCTAssertEqual(decode(R.sockaddrIn6(mapped, port: 1))?.description, "[::ffff:10.1.2.3]:1")
        XCTAssertEqual(decode(R.sockaddrIn6(mapped, port: 1)).flatMap {
            if case let .ipv6(a, _, _) = $0 { return a.unmapped.description } else { return nil } }, "10.1.2.3")
        XCTAssertEqual(decode(R.sockaddrUn("/run/app.sock"))?.description, "/run/app.sock")
        XCTAssertEqual(decode([1, 0, 0] + Array("abstract".utf8))?.description, "@abstract")
        XCTAssertEqual(decode([1, 0])?.description, "")
        XCTAssertEqual(decode([0, 0])?.description, "AF_UNSPEC")
        XCTAssertEqual(decode([16, 0, 0, 0])?.description, "AF_NETLINK")
        XCTAssertNil(decode([2, 0, 0, 80]), "a sockaddr_in shorter than 8 bytes is rejected")
        XCTAssertNil(decode([10, 0] + [UInt8](repeating: 0, count: 10)))
        XCTAssertNil(decode([2]))
        XCTAssertEqual(SocketIPAddress.v6(0, 0).description, "::")
        XCTAssertEqual(SocketIPAddress.v6(0xfe80_0000_0000_0000, 0x1).description, "fe80::1")
        XCTAssertEqual(SocketIPAddress.v4(0x7f00_0001).bytes, [127, 0, 0, 1])
    }
}

/// Prints every event's arguments the way the default output does, and drops the text (the tests that use it
/// check that printing decodes hostile bytes without trapping).
struct PrintingConsumer: EventConsumer {
    let out = OutputBuffer()
    mutating func consume(_ event: Event) -> Bool {
        TestPrinter.printer(for: event.engine).appendArgs(event, to: out)
        out.reset()
        return true
    }
}
