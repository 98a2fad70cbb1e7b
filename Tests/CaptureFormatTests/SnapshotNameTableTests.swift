import XCTest
@testable import CaptureFormat

/// The user and group tables appended to snapshots in format 1.1: they round-trip, a 1.0 snapshot (no tables)
/// still decodes, a 1.0-style reader that stops after the fds is not disturbed, and damage is an error.
final class SnapshotNameTableTests: XCTestCase {
    func sample() -> CaptureSnapshot {
        CaptureSnapshot(timestampNs: 42, threads: [ThreadInfo(tid: 7, pid: 7)],
                        fds: [FdInfo(pid: 7, fd: 3, kind: .file, name: "/etc/passwd")],
                        users: [0: "root", 1000: "alice", 65534: "nobody"], groups: [0: "root", 100: "users"])
    }

    func testNameTablesRoundTrip() throws {
        let s = sample()
        let bytes = s.encodedPayload()
        let back = try bytes.withUnsafeBytes { try CaptureSnapshot.decode(payload: $0) }
        XCTAssertEqual(back, s)
        XCTAssertEqual(back.users[1000], "alice")
        XCTAssertEqual(back.groups[100], "users")
    }

    func testEncodingIsDeterministic() {
        // Dictionaries iterate in a per-process random order; the encoder sorts by id.
        var a = sample(), b = sample()
        a.users = [:]; b.users = [:]
        for id in stride(from: UInt32(0), to: 200, by: 1) { a.users[id] = "u\(id)" }
        for id in stride(from: UInt32(199), through: 0, by: -1) { b.users[id] = "u\(id)" }
        XCTAssertEqual(a.encodedPayload(), b.encodedPayload())
    }

    func testSnapshotWithoutTablesDecodesAsEmpty() throws {
        // A 1.0 snapshot ends right after its fds: cut the two tables off a 1.1 encoding.
        var s = sample()
        s.users = [:]; s.groups = [:]
        let full = s.encodedPayload()
        let v10 = Array(full.dropLast(8))  // two zero counts
        let back = try v10.withUnsafeBytes { try CaptureSnapshot.decode(payload: $0) }
        XCTAssertEqual(back.threads, s.threads)
        XCTAssertEqual(back.fds, s.fds)
        XCTAssertTrue(back.users.isEmpty)
        XCTAssertTrue(back.groups.isEmpty)
    }

    func testLongerEntriesFromALaterVersionAreSkipped() throws {
        // A user entry with 4 extra bytes (a field of a later version) still gives its name, and the next
        // entry and the group table are read from the right place.
        var s = sample()
        s.users = [:]; s.groups = [5: "g5"]
        var bytes = s.encodedPayload()
        // Replace the empty user table (u32 0) with one entry that carries 4 unknown bytes.
        let groupsStart = bytes.count - (4 + 4 + 4 + 4 + 2)
        let userCountAt = groupsStart - 4
        XCTAssertEqual(Array(bytes[userCountAt..<groupsStart]), [0, 0, 0, 0])
        var entry: [UInt8] = []
        func u32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        entry += u32(4 + 4 + 3 + 4) + u32(9) + u32(3) + Array("bob".utf8) + [1, 2, 3, 4]
        bytes.replaceSubrange(userCountAt..<groupsStart, with: u32(1) + entry)
        let back = try bytes.withUnsafeBytes { try CaptureSnapshot.decode(payload: $0) }
        XCTAssertEqual(back.users, [9: "bob"])
        XCTAssertEqual(back.groups, [5: "g5"])
    }

    func testDamagedTableThrows() {
        let bytes = sample().encodedPayload()
        // Cut inside the group table: the count promises more than remains.
        let cut = Array(bytes.dropLast(3))
        XCTAssertThrowsError(try cut.withUnsafeBytes { try CaptureSnapshot.decode(payload: $0) })
        // An absurd user count is refused before anything is reserved.
        var s = sample()
        s.users = [:]; s.groups = [:]
        var huge = s.encodedPayload()
        huge.replaceSubrange((huge.count - 8)..<(huge.count - 4), with: [0xff, 0xff, 0xff, 0x7f])
        XCTAssertThrowsError(try huge.withUnsafeBytes { try CaptureSnapshot.decode(payload: $0) })
    }

    func testTablesSurviveTheFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kcap-names-\(getpid()).kcap").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let w = try CaptureWriter(path: path, header: CaptureHeader())
        try w.write(sample())
        try w.finish()
        let r = try CaptureReader(path: path)
        XCTAssertEqual(r.minorVersion, CaptureFileFormat.minorVersion)
        var got: CaptureSnapshot?
        try r.forEachBlock { if case .snapshot(let s) = $0 { got = s } }
        XCTAssertEqual(got, sample())
    }
}
