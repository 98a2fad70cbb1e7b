import Foundation
import Recorder

/// The throughput comparison of tools/bench/record.sh, run inside one `kcap record --bench-loop` as the
/// driver of `Recording.runBenchmark`: each round runs the
/// syscall loop with nothing attached, with the empty programs (the floor), with the recorder's programs
/// and, with `withPerf`, under `perf trace record -a`; every phase prints `bench round R PHASE RATE`.
/// Alternating every second in one process keeps the drift of a shared machine out of the ratios, which
/// separate runs several seconds apart did not (their medians moved by 30% from run to run).
struct RecordBench: Sendable {
    let loop: String
    let rounds: Int
    let seconds: Double
    let withPerf: Bool

    func run(_ attach: (BenchAttachment) throws -> Void) throws {
        let perfData = NSTemporaryDirectory() + "kcap-bench-\(getpid()).perf.data"
        defer { unlink(perfData) }
        for round in 1...max(rounds, 1) {
            for (name, setting) in [("none", BenchAttachment.nothing), ("floor", .floor), ("kcap", .recorder)] {
                try attach(setting)
                report(round, name, try measure([loop, String(seconds)]))
            }
            try attach(.nothing)
            if withPerf {
                report(round, "perf", try measure(["perf", "trace", "record", "-a", "-q", "-o", perfData, "--", loop, String(seconds)]))
            }
        }
    }

    private func report(_ round: Int, _ phase: String, _ rate: Double) {
        print("bench round \(round) \(phase) \(Int(rate))")
        fflush(stdout)
    }

    /// Runs the loop (possibly under perf) and returns the syscalls/s it printed first on its output.
    private func measure(_ argv: [String]) throws -> Double {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = argv
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard p.terminationStatus == 0, let rate = text.split(separator: " ").first.flatMap({ Double($0) }) else {
            throw RecorderError(step: "run benchmark loop", object: argv.joined(separator: " "), errno: EINVAL,
                                hint: "it should print its syscalls/s first; it printed: \(text.prefix(200))")
        }
        return rate
    }
}
