import Analyzer
import CKcapSupport
import CaptureFormat
import Foundation
import XCTest
import KcapTestSupport

/// Issue 8, item 2: captures whose CRCs are all valid (so every decoder is reached) but whose numbers are
/// extreme. The real kcap binary reads each one; it must exit by status, never by a trap signal.
final class HostileNumberCaptureTests: XCTestCase {
    /// A small intact capture: a snapshot and one chunk of openat/read/close records, with `offset` as the
    /// header's realtime offset.
    private func writeCapture(_ path: String, realtimeOffsetNs offset: Int64, firstTs: UInt64 = 1_000_000_000) throws {
        let header = CaptureHeader(abiVersion: 1, hostname: "hostile", kernelRelease: "6.18.0", machine: "x86_64",
                                   cpuCount: 1, bootTimeRealtimeOffsetNs: offset, createdRealtimeNs: 0)
        let w = try CaptureWriter(path: path, header: header)
        try w.write(CaptureSnapshot(timestampNs: firstTs, threads: [
            ThreadInfo(tid: 100, pid: 100, ppid: 1, comm: "app", exe: "/usr/bin/app", args: ["app"], cwd: "/etc"),
        ], fds: []))
        var chunk = EventChunk()
        func nr(_ name: String) -> Int { SyscallEffectTable.number(of: name, machine: "x86_64")! }
        let records = [
            RecordBuilder.syscall(ts: firstTs + 1_000, tid: 100, pid: 100, nr: nr("openat"), ret: 3,
                                  args: [RecordBuilder.arg(-100)], items: [.path("hosts", arg: 1)]),
            RecordBuilder.syscall(ts: firstTs + 2_000, tid: 100, pid: 100, nr: nr("read"), ret: 10, args: [RecordBuilder.arg(3)]),
            RecordBuilder.syscall(ts: firstTs + 3_000, tid: 100, pid: 100, nr: nr("close"), ret: 0, args: [RecordBuilder.arg(3)]),
        ]
        for r in records { XCTAssertTrue(r.withUnsafeBytes { chunk.append($0) }) }
        try w.write(chunk)
        try w.finish()
    }

    private func assertExits(_ args: [String], status expected: Int32? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let r = try runProcess(try kcapBinary(), args)
        // 128+ would be a signal passed through a shell; Process reports a trap as SIGILL/SIGTRAP (4, 5).
        XCTAssertFalse([4, 5, 6, 11].contains(r.status) && r.stderr.contains("Swift runtime failure"),
                       "\(args) trapped: \(r.stderr.prefix(300))", file: file, line: line)
        XCTAssertFalse(r.stderr.contains("Swift runtime failure"), "\(args): \(r.stderr.prefix(300))", file: file, line: line)
        if let expected { XCTAssertEqual(r.status, expected, "\(args): \(r.stderr)", file: file, line: line) }
        return r.stdout
    }

    /// Offsets at both ends of Int64 (and beside them): every command that prints or selects by wall-clock
    /// time runs to the end. `evt.datetime`, `evt.time`, JSON's evt.rawtime, `--since 10:00:00`, a dated
    /// `--since`, `kcap info` and `kcap stats`.
    func testExtremeRealtimeOffsetsAreReadWithoutATrap() throws {
        let dir = try makeScratchDirectory(self)
        // Int64.max - 1_000_000_998 puts the first event (boot ns 1_000_001_000) at Int64.min + 1 once wrapped:
        // the old code's `ns - 999_999_999` and `firstWall - sinceMidnight` overflowed there.
        for offset in [Int64.max, Int64.max - 1_000_000_998, Int64.min, Int64.min + 1, -1, -1_000_000_000_000_000_000] {
            let path = dir + "/offset\(offset).kcap"
            try writeCapture(path, realtimeOffsetNs: offset)
            let text = try assertExits(["read", path], status: 0)
            XCTAssertEqual(text.split(separator: "\n").count, 3, "offset \(offset): \(text)")
            let fields = try assertExits(["read", path, "-p", "%evt.num %evt.datetime %evt.time %evt.rawtime"], status: 0)
            XCTAssertEqual(fields.split(separator: "\n").count, 3, "offset \(offset): \(fields)")
            _ = try assertExits(["read", path, "--json"], status: 0)
            _ = try assertExits(["read", path, "--since", "10:00:00"], status: 0)
            _ = try assertExits(["read", path, "--since", "2026-11-22T10:00:00Z", "--until", "2262-01-01T00:00:00+18:00"], status: 0)
            _ = try assertExits(["read", path, "--since", "1677-09-22T00:00:00Z"], status: 0)
            _ = try assertExits(["stats", path, "--since", "00:00:00"], status: 0)
            let info = try assertExits(["info", path], status: 0)
            XCTAssertTrue(info.contains("time range"), info)
            _ = try assertExits(["info", "--json", path], status: 0)
        }
    }

    /// Wall-clock time saturates at the ends of Int64 instead of wrapping to the other end of time.
    func testWallClockSaturates() {
        XCTAssertEqual(wallClock(bootNs: 5, offsetNs: .max), .max)
        XCTAssertEqual(wallClock(bootNs: .max, offsetNs: 0), .max)
        XCTAssertEqual(wallClock(bootNs: .max, offsetNs: .min), Int64(UInt64.max - Int64.min.magnitude))
        XCTAssertEqual(wallClock(bootNs: 0, offsetNs: .min), .min)
        XCTAssertEqual(wallClock(bootNs: 10, offsetNs: -3), 7)
        XCTAssertEqual(wallClock(bootNs: 3, offsetNs: -10), -7)
        XCTAssertEqual(wallClock(bootNs: 1_000, offsetNs: 1_795_000_000_000_000_000), 1_795_000_000_000_001_000)
        XCTAssertEqual(formatWallClock(ns: .min), "1677-09-21T00:12:43.145224192Z")
        XCTAssertEqual(formatWallClock(ns: .max), "2262-04-11T23:47:16.854775807Z")
    }

    /// A chunk whose frame says its first timestamp is after its last (CRCs recomputed, no footer so the
    /// frame is what the reader indexes): `kcap info` subtracted last - first and trapped. The chunk is now
    /// reported and skipped, and every reader exits 2.
    func testInvertedChunkTimeRangeIsAProblemNotATrap() throws {
        let dir = try makeScratchDirectory(self)
        let path = dir + "/inverted.kcap"
        try writeCapture(path, realtimeOffsetNs: 1_795_000_000_000_000_000)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let chunk = try XCTUnwrap(try CaptureReader(path: path).index.first { $0.type == .events })
        // Cut the footer and trailer off (the index then comes from the frames), then rewrite the frame's
        // first timestamp (bytes 24..<32) past its last, with a valid frame CRC (over bytes 0..<44).
        bytes = Array(bytes[..<Int(chunk.offset + chunk.totalLength)])
        let at = Int(chunk.offset)
        withUnsafeBytes(of: UInt64.max.littleEndian) { for i in 0..<8 { bytes[at + 24 + i] = $0[i] } }
        let crc = bytes[at..<(at + 44)].withUnsafeBytes { kcap_crc32c(0, $0.baseAddress, 44) }
        withUnsafeBytes(of: crc.littleEndian) { for i in 0..<4 { bytes[at + 44 + i] = $0[i] } }
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let info = try runProcess(try kcapBinary(), ["info", path])
        XCTAssertEqual(info.status, 2, info.stderr)
        XCTAssertTrue(info.stdout.contains("is after its last"), info.stdout)
        for command in [["read", path], ["stats", path], ["read", path, "--since", "+1s"], ["info", "--json", path]] {
            let r = try runProcess(try kcapBinary(), command)
            XCTAssertEqual(r.status, 2, "\(command): \(r.stderr)")
            XCTAssertFalse(r.stderr.contains("Swift runtime failure"), "\(command): \(r.stderr.prefix(300))")
        }
    }
}
