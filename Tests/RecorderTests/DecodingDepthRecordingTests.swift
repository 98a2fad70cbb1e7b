import Foundation
import XCTest

/// The payloads of issue 10 recorded for real (Workload/depth.c under `kcap record`), read back as `kcap read -j`
/// shows them: a failed exec's argv, every iovec, out-strings, memfd names, PR_SET_NAME, a datagram's
/// destination, a wait status, a signal delivery and its rt_sigreturn, exit_group without a result, and the
/// environment only with --env.
final class DecodingDepthRecordingTests: XCTestCase {
    /// The events of the workload's own process, as `kcap read -j` objects.
    func record(env: Bool) throws -> [[String: Any]] {
        try requireBPF()
        let kcap = try kcapBinary()
        let dir = try makeScratchDirectory(self)
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Workload/depth.c").path
        let program = dir + "/depth"
        let cc = try runProcess("/usr/bin/env", ["cc", "-O1", "-o", program, source])
        if cc.status != 0 { throw XCTSkip("cc could not build depth.c: \(cc.stderr)") }
        let work = dir + "/work"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let capture = dir + "/depth.kcap"
        let rec = try runProcess(kcap, ["record", "-w", capture] + (env ? ["--env"] : []) + ["--", program, work])
        XCTAssertEqual(rec.status, 0, rec.stderr)
        let read = try runProcess(kcap, ["read", capture, "-j", "proc.name != kcap"])
        XCTAssertEqual(read.status, 0, read.stderr)
        return read.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    func events(_ all: [[String: Any]], _ type: String) -> [[String: Any]] {
        all.filter { $0["evt.type"] as? String == type }
    }

    func args(_ e: [String: Any]?) -> [String: Any] { e?["evt.args"] as? [String: Any] ?? [:] }

    func testPayloadsAreRecorded() throws {
        let all = try record(env: false)
        let execs = events(all, "execve")
        let failed = try XCTUnwrap(execs.first { $0["evt.res"] as? String == "ENOENT" }, "the failed execv")
        XCTAssertEqual(args(failed)["argv"] as? [String], ["kcap-no-such-program", "first arg", "--second"])
        XCTAssertEqual(args(failed)["filename"] as? String, "/nonexistent/kcap-no-such-program")
        let sh = try XCTUnwrap(execs.first { args($0)["filename"] as? String == "/bin/sh" }, "the child's exec")
        XCTAssertEqual(args(sh)["argv"] as? [String], ["sh", "-c", "exit 5"], "a successful exec's argv, from the new image")
        XCTAssertNil(args(sh)["envp"], "no environment without --env")

        XCTAssertEqual(args(events(all, "writev").first)["data"] as? String, "alpha beta gamma.", "all three iovecs")
        XCTAssertEqual(args(events(all, "readv").first)["data"] as? String, "alpha beta gamma.")
        XCTAssertTrue((args(events(all, "getcwd").first)["path"] as? String ?? "").hasSuffix("/work"))
        XCTAssertEqual(args(events(all, "readlink").first)["buf"] as? String, "iov.txt")
        XCTAssertEqual(args(events(all, "getxattr").first)["name"] as? String, "user.kcap")
        let memfd = try XCTUnwrap(events(all, "memfd_create").first)
        XCTAssertEqual(args(memfd)["name"] as? String, "kcap-depth")
        XCTAssertEqual(memfd["fd.name"] as? String, "memfd:kcap-depth")
        let prctl = try XCTUnwrap(events(all, "prctl").first)
        XCTAssertEqual(args(prctl)["option"] as? String, "PR_SET_NAME")
        XCTAssertEqual(args(prctl)["option_arg"] as? String, "kcap-renamed")
        XCTAssertEqual(prctl["proc.name"] as? String, "kcap-renamed", "the thread is renamed")
        let sendmsg = try XCTUnwrap(events(all, "sendmsg").first)
        XCTAssertEqual(args(sendmsg)["data"] as? String, "dgram by sendmsg")
        XCTAssertEqual(args(sendmsg)["addr"] as? String, "127.0.0.1:9")
        XCTAssertTrue((sendmsg["fd.name"] as? String ?? "").hasSuffix("->127.0.0.1:9"), "the destination names the socket")
        XCTAssertEqual(args(events(all, "wait4").first)["wstatus"] as? String, "{WIFEXITED(s) && WEXITSTATUS(s) == 5}")

        let signal = try XCTUnwrap(events(all, "signaldeliver").first { args($0)["sig"] as? String == "SIGUSR1" })
        XCTAssertEqual(args(signal)["code"] as? String, "SI_USER")
        XCTAssertEqual(args(signal)["spid"] as? Int, signal["proc.pid"] as? Int, "sent by itself")
        let after = all.drop { ($0["evt.num"] as? Int ?? 0) <= (signal["evt.num"] as? Int ?? 0) }
        XCTAssertEqual(after.first { $0["thread.tid"] as? Int == signal["thread.tid"] as? Int }?["evt.type"] as? String,
                       "rt_sigreturn", "the handler returns through rt_sigreturn")
        let exits = events(all, "exit_group")
        XCTAssertFalse(exits.isEmpty)
        for e in exits { XCTAssertNil(args(e)["res"], "exit_group never returns: no res") }
    }

    func testEnvironmentOnlyWithEnv() throws {
        let all = try record(env: true)
        let execs = events(all, "execve")
        let sh = try XCTUnwrap(execs.first { args($0)["filename"] as? String == "/bin/sh" })
        let env = try XCTUnwrap(args(sh)["envp"] as? [String], "--env records the environment")
        XCTAssertTrue(env.contains { $0.hasPrefix("PATH=") }, "\(env)")
        let failed = try XCTUnwrap(execs.first { $0["evt.res"] as? String == "ENOENT" })
        XCTAssertNotNil(args(failed)["envp"] as? [String], "a failed exec's environment from the caller's array")
    }
}
