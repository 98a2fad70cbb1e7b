import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One run of a program with its own resource use, for the tests that hold kcap to time and memory bounds.
///
/// The peak RSS comes from GNU time (`/usr/bin/time -f %M`), which forks the program from its own small
/// process. wait4(2) on a child the test spawned directly cannot give it: posix_spawn starts the child with
/// vfork, and at exec Linux folds the parent's (the test runner's, often 100+ MB) high-water mark into the
/// child's ru_maxrss, so a 93 MB run was measured as 207 MB.
public struct MeasuredRun: Sendable {
    /// Exit status, or 128 + signal when a signal ended it.
    public var status: Int32
    /// The signal that ended it, if any (a Swift trap is SIGILL or SIGTRAP).
    public var signal: Int32?
    /// Its standard error.
    public var stderr: String
    /// Peak resident set size, KiB.
    public var peakRSSKiB: Int
    /// Wall-clock seconds until it ended.
    public var seconds: Double
    /// True when it ran past the timeout and was killed.
    public var timedOut: Bool

    /// Where GNU time is; tools/deps.sh installs it (Debian package `time`).
    public static let timeBinary = "/usr/bin/time"

    public struct SetupError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs `path args` with stdout discarded and stderr captured, killing it (and GNU time) after `timeout` s.
    public static func run(_ path: String, _ args: [String], timeout: Double) throws -> MeasuredRun {
        guard access(timeBinary, X_OK) == 0 else {
            throw SetupError(description: "\(timeBinary) is missing: run tools/test.sh, which installs the Debian package time")
        }
        let stem = NSTemporaryDirectory() + "kcap-measured-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let errPath = stem + ".err", rssPath = stem + ".rss"
        defer { unlink(errPath); unlink(rssPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // Its own process group, so a timeout kills GNU time and the program together.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([timeBinary, "-q", "-f", "%M", "-o", rssPath, path] + args).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        let started = Date()
        let rc = posix_spawn(&pid, timeBinary, &actions, &attributes, argv, environ)
        guard rc == 0 else { throw SetupError(description: "posix_spawn \(timeBinary): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        var timedOut = false
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r < 0 && errno != EINTR { throw SetupError(description: "waitpid: \(String(cString: strerror(errno)))") }
            if !timedOut && Date().timeIntervalSince(started) > timeout {
                kill(-pid, SIGKILL)
                timedOut = true
            }
            usleep(2_000)
        }
        let seconds = Date().timeIntervalSince(started)
        let err = String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self)
        // GNU time writes "Command terminated by signal N" (or "exited with non-zero status") before the figure.
        let report = String(decoding: FileManager.default.contents(atPath: rssPath) ?? Data(), as: UTF8.self)
        let lines = report.split(separator: "\n")
        // A killed GNU time writes nothing (the timeout fails the caller's check); otherwise a missing figure
        // is an error, never a 0 that would pass every memory bound.
        let parsed = lines.last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard let rss = parsed ?? (timedOut ? 0 : nil) else {
            throw SetupError(description: "\(timeBinary) gave no peak RSS for \(path): \(report.prefix(200))")
        }
        var signal: Int32? = nil
        if let line = lines.first(where: { $0.hasPrefix("Command terminated by signal ") }) {
            signal = Int32(line.dropFirst("Command terminated by signal ".count))
        } else if (status & 0x7f) != 0 {
            signal = status & 0x7f
        }
        let exit: Int32 = signal.map { 128 + $0 } ?? (status >> 8) & 0xff
        return MeasuredRun(status: exit, signal: signal, stderr: err, peakRSSKiB: rss, seconds: seconds, timedOut: timedOut)
    }
}
