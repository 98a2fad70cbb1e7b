import XCTest
import Glibc
@testable import Recorder

/// The user and group tables the recorder stores in snapshots.
final class UserDatabaseTests: XCTestCase {
    func testParsePasswdAndGroupLines() {
        let passwd = """
        root:x:0:0:root:/root:/bin/bash
        # a comment
        daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin

        broken line without colons
        badid:x:notanumber:0::/:/bin/sh
        :x:5:5::/:/bin/sh
        +nisuser::::::
        alice:x:1000:1000:Alice,,,:/home/alice:/bin/zsh
        alias:x:1000:1000::/home/alias:/bin/sh
        """
        XCTAssertEqual(UserDatabase.parse(passwd), [0: "root", 1: "daemon", 1000: "alice"])
        XCTAssertEqual(UserDatabase.parse("users:x:100:alice,bob\nempty:x:7:\n"), [100: "users", 7: "empty"])
    }

    func testReadsFromAnEtcDirectoryAndToleratesMissingFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kcap-etc-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "u:x:42:42::/:/bin/sh\n".write(to: dir.appendingPathComponent("passwd"), atomically: true, encoding: .utf8)
        let db = UserDatabase(etcRoot: dir.path)
        XCTAssertEqual(db.users, [42: "u"])
        XCTAssertEqual(db.groups, [:], "no group file: an empty table, no error")
    }

    func testSnapshotCarriesThisHostsNames() {
        let snap = ProcScanner().snapshot(pids: [getpid()])
        XCTAssertEqual(snap.users[getuid()].map { !$0.isEmpty }, true, "uid \(getuid()) has no name in /etc/passwd")
        XCTAssertEqual(snap.users[0], "root")
        XCTAssertEqual(snap.groups[0], "root")
    }
}
