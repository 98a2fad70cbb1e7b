import Foundation
import KcapTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Runs `kcap-fuzz TARGET FILE` (the replayer build of the fuzzer, calling the same `FuzzTarget.run` the
/// fuzzer calls) in a child process, so one trapping input fails one assertion instead of killing the whole
/// test run, and the child's peak RSS and run time can be measured (by MeasuredRun, as the bounded-state tests do).
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
        let r = try MeasuredRun.run(binary, [target, file], timeout: timeout)
        return Outcome(status: r.signal == nil ? r.status : nil, signal: r.signal,
                       peakRSS: r.peakRSSKiB * 1024, seconds: r.seconds, stderr: r.stderr)
    }
}
