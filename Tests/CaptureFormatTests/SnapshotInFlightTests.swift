import XCTest
@testable import CaptureFormat

/// The syscall in flight appended to snapshot thread entries in format 1.2: it round-trips, it is absent from
/// entries without it, and a 1.1-style decoder that stops at the container id reads the same thread.
final class SnapshotInFlightTests: XCTestCase {
    func sample() -> CaptureSnapshot {
        var blocked = ThreadInfo(tid: 8, pid: 7, comm: "reader")
        blocked.syscall = InFlightSyscall(nr: 0, args: [5, 0x7ffd_0000_1000, 4096, 0, 0, 0], enteredNs: 123_456_789)
        var before = ThreadInfo(tid: 9, pid: 7, comm: "waiter")
        before.syscall = InFlightSyscall(nr: 232, args: [3, 1, 2, 3, 4, 5])  // entered before the recording
        return CaptureSnapshot(timestampNs: 1_000_000_000, threads: [ThreadInfo(tid: 7, pid: 7), blocked, before])
    }

    func testInFlightSyscallsRoundTrip() throws {
        let s = sample()
        let back = try s.encodedPayload().withUnsafeBytes { try CaptureSnapshot.decode(payload: $0) }
        XCTAssertEqual(back, s)
        XCTAssertNil(back.threads[0].syscall)
        XCTAssertEqual(back.threads[1].syscall?.args[2], 4096)
        XCTAssertEqual(back.threads[1].syscall?.enteredNs, 123_456_789)
        XCTAssertEqual(back.threads[2].syscall?.nr, 232)
        XCTAssertEqual(back.threads[2].syscall?.enteredNs, 0)
    }

    func testAThreadEntryGrowsOnlyWhenASyscallIsInFlight() {
        var idle = CaptureSnapshot(timestampNs: 1, threads: [ThreadInfo(tid: 1, pid: 1)])
        let without = idle.encodedPayload().count
        idle.threads[0].syscall = InFlightSyscall(nr: 7, args: [0, 0, 0, 0, 0, 0])
        XCTAssertEqual(idle.encodedPayload().count, without + InFlightSyscall.encodedSize)
    }

    func testAShortTailIsIgnoredLikeAFieldOfALaterVersion() throws {
        // Fewer bytes than a whole in-flight field after the container id: not a syscall, and no error.
        var s = CaptureSnapshot(timestampNs: 1, threads: [ThreadInfo(tid: 1, pid: 1)])
        s.threads[0].syscall = nil
        var bytes = s.encodedPayload()
        // thread entry length is at offset 16 (after u64 ts, u32 thread count, u32 fd count)
        let len = Int(bytes[16]) | Int(bytes[17]) << 8
        bytes.insert(contentsOf: [1, 2, 3], at: 20 + len)
        bytes[16] = UInt8((len + 3) & 0xff)
        let back = try bytes.withUnsafeBytes { try CaptureSnapshot.decode(payload: $0) }
        XCTAssertNil(back.threads[0].syscall)
        XCTAssertEqual(back.threads[0].tid, 1)
    }
}
