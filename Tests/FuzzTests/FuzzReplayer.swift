import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Runs `kcap-fuzz TARGET FILE` (the replayer build of the fuzzer, calling the same `FuzzTarget.run` the
/// fuzzer calls) in a child process, so one trapping input fails one assertion instead of killing the whole
/// test run, and the child's peak RSS and run time can be measured.
struct FuzzReplayer {
    /// How one input ran.
    struct Outcome {
        /// Exit status, or nil when a signal ended the child.
        var status: Int32?
        /// The signal that ended the child, if any (a Swift trap is SIGILL or SIGTRAP).
        var signal: Int32?
        /// Peak resident set of the child, bytes.
        var peakRSS: Int
        /// Wall-clock seconds.
        var seconds: Double
        /// The child's stderr (the trap message).
        var stderr: String
    }

    let binary: String

    /// The replayer built next to this test bundle.
    init() throws {
        let me = URL(fileURLWithPath: CommandLine.arguments.first(where: { $0.contains(".xctest") }) ?? CommandLine.arguments[0])
        var dir = me.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("kcap-fuzz").path
            if FileManager.default.isExecutableFile(atPath: candidate) { binary = candidate; return }
            dir = dir.deletingLastPathComponent()
        }
        throw NSError(domain: "FuzzReplayer", code: 1,
                      userInfo: [NSLocalizedDescriptionKey: "kcap-fuzz is not built next to the tests (swift build first)"])
    }

    /// Runs one file through `target`, killing the child after `timeout` seconds.
    func run(_ target: String, _ file: String, timeout: Double = 10) throws -> Outcome {
        let errPath = NSTemporaryDirectory() + "kcap-fuzz-test-\(getpid()).err"
        defer { unlink(errPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = [binary, target, file]
        var cargs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { cargs.forEach { free($0) } }
        var pid: pid_t = 0
        let start = Date()
        let rc = posix_spawn(&pid, binary, &actions, nil, &cargs, environ)
        guard rc == 0 else { throw NSError(domain: "FuzzReplayer", code: Int(rc)) }
        var status: Int32 = 0
        var usage = rusage()
        while true {
            let r = wait4(pid, &status, WNOHANG, &usage)
            if r == pid { break }
            if r < 0 && errno != EINTR { throw NSError(domain: "FuzzReplayer", code: Int(errno)) }
            if Date().timeIntervalSince(start) > timeout { kill(pid, SIGKILL) }
            usleep(2000)
        }
        let seconds = Date().timeIntervalSince(start)
        let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        let termSig = status & 0x7F
        return Outcome(status: termSig == 0 ? (status >> 8) & 0xFF : nil, signal: termSig == 0 ? nil : termSig,
                       peakRSS: Int(usage.ru_maxrss) * 1024, seconds: seconds, stderr: err)
    }
}
