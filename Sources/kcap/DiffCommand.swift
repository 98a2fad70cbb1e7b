import Analyzer
import ArgumentParser
import CaptureFormat
import Foundation

/// `kcap diff A B`: what run B did that run A did not, for CI.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two captures: programs, files, connections, ports, syscalls and errors per program, latency.",
        discussion: """
        Lists what run B did that run A did not (+) and what it no longer did (-): programs executed \
        (proc.exepath of exec events), files written and read (fd.name of I/O on files), connections made \
        (protocol, server address and port), ports listened on; then, per program (proc.name), the syscalls \
        that are new, gone, fail more or less often, or whose call count changed by more than --min-change; \
        then the syscalls whose p50 or p99 latency moved by more than --min-change. Nothing is printed when \
        nothing changed. Typical use: record a test suite on main and on a branch, then fail the branch's CI \
        run on what it newly does.

        Exit status: 0 no threshold exceeded; 1 a threshold is exceeded (the report is printed first, ending \
        with one line per threshold), or a usage error, or a file not readable as a capture; 2 done, but a \
        capture has integrity problems.

        Examples:
          kcap diff main.kcap branch.kcap
          kcap diff main.kcap branch.kcap --json
          # fail CI on anything new, or on more failed syscalls
          kcap diff main.kcap branch.kcap --max-new 0 --max-new-errors 0
          kcap diff main.kcap branch.kcap --max-count-increase 50 --min-change 5
          kcap diff main.kcap branch.kcap --max-latency-increase 100
        """
    )

    @Argument(help: "A: the reference capture.")
    var a: String

    @Argument(help: "B: the capture compared with it.")
    var b: String

    @Flag(name: [.customShort("j"), .long], help: "Print JSON.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Fail when B has more than this many new programs, files, connections and ports together.", valueName: "n"))
    var maxNew: Int?

    @Option(name: .long, help: ArgumentHelp("Fail when B's syscalls fail this many times more than A's, over every program.", valueName: "n"))
    var maxNewErrors: UInt64?

    @Option(name: .long, help: ArgumentHelp("Fail when a program calls a syscall more than this many percent more often.", valueName: "percent"))
    var maxCountIncrease: Double?

    @Option(name: .long, help: ArgumentHelp("Fail when a syscall's p99 latency grows by more than this many percent.", valueName: "percent"))
    var maxLatencyIncrease: Double?

    @Option(name: .long, help: ArgumentHelp("Report call counts and latencies that changed by more than this many percent.", valueName: "percent"))
    var minChange: Double = 10

    func validate() throws {
        for (name, value) in [("--max-count-increase", maxCountIncrease), ("--max-latency-increase", maxLatencyIncrease), ("--min-change", minChange)] {
            if let value, !(value >= 0 && value.isFinite) { throw ValidationError("\(name) must be a percentage of 0 or more") }
        }
        if let maxNew, maxNew < 0 { throw ValidationError("--max-new must be 0 or more") }
    }

    func run() throws {
        func profile(_ path: String) -> (RunProfile, CaptureReader) {
            let reader: CaptureReader
            do { reader = try CaptureReader(path: path) } catch { fail("\(error)") }
            do {
                let profile = try RunProfile(readers: [reader]) { ProgressMeter.terminal(range: $0, printsAsItGoes: false) }
                return (profile, reader)
            } catch { fail("\(path): \(error)") }
        }
        let (pa, ra) = profile(a), (pb, rb) = profile(b)
        var thresholds = RunDiff.Thresholds()
        thresholds.maxNew = maxNew
        thresholds.maxNewErrors = maxNewErrors
        thresholds.maxCountIncreasePercent = maxCountIncrease
        thresholds.maxLatencyIncreasePercent = maxLatencyIncrease
        thresholds.minChangePercent = minChange
        let diff = RunDiff(pa, pb, thresholds: thresholds)
        print(json ? try RunDiffRenderer.json(diff) : RunDiffRenderer.text(diff, minChangePercent: minChange), terminator: "")
        let damagedA = CaptureWarnings.print([ra], limitWarnings: pa.limitWarnings)
        let damagedB = CaptureWarnings.print([rb], limitWarnings: pb.limitWarnings)
        if !diff.exceeded.isEmpty { throw ExitCode(ExitStatus.thresholdExceeded) }
        if damagedA || damagedB { throw ExitCode(ExitStatus.problems) }
    }

    /// Prints `message` as one line on stderr and exits with status 1.
    func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("kcap diff: \(message)\n".utf8))
        Foundation.exit(1)
    }
}
