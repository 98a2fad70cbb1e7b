import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// One run of a program with its own resource use: peak RSS from wait4(2) for that child alone
/// (getrusage(RUSAGE_CHILDREN) would give the largest of every child the test process ever waited for).
struct MeasuredRun {
    /// Exit status, or 128 + signal when it was killed.
    var status: Int32
    /// Its standard error.
    var stderr: String
    /// Peak resident set size, KiB (ru_maxrss).
    var peakRSSKiB: Int
    /// Wall-clock seconds until it ended.
    var seconds: Double
    /// True when it ran past the timeout and was killed.
    var timedOut: Bool

    /// Runs `path args` with stdout discarded and stderr captured, killing it after `timeout` seconds.
    static func run(_ path: String, _ args: [String], timeout: Double) throws -> MeasuredRun {
        let errPath = NSTemporaryDirectory() + "kcap-measured-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).err"
        defer { unlink(errPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + args).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        let started = Date()
        let rc = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard rc == 0 else { throw NSError(domain: "posix_spawn", code: Int(rc)) }
        var status: Int32 = 0
        var usage = rusage()
        var timedOut = false
        while true {
            let r = wait4(pid, &status, WNOHANG, &usage)
            if r == pid { break }
            if r < 0 && errno != EINTR { throw NSError(domain: "wait4", code: Int(errno)) }
            if !timedOut && Date().timeIntervalSince(started) > timeout {
                kill(pid, SIGKILL)
                timedOut = true
            }
            usleep(5_000)
        }
        let seconds = Date().timeIntervalSince(started)
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let err = String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self)
        return MeasuredRun(status: exit, stderr: err, peakRSSKiB: Int(usage.ru_maxrss), seconds: seconds, timedOut: timedOut)
    }
}
