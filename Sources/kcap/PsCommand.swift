import Analyzer
import ArgumentParser
import CaptureFormat
import Foundation

/// `kcap ps`: the process tree at one moment of a capture.
struct PsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ps",
        abstract: "The process tree at one moment of a capture: pids, users, threads, start times, command lines.",
        discussion: """
        The state comes from the last snapshot before the moment (found through the file's index) and the \
        events after it, not from a replay of the whole capture: asking about any moment of a large capture \
        costs about the same. Without --at, the moment is the capture's last event. Processes are listed \
        under their parents; START is the wall-clock time of day (UTC) the process started, `-` when the \
        capture never saw it start and its snapshot did not tell.

        \(ExitStatus.helpText)

        Examples:
          kcap ps trace.kcap
          kcap ps trace.kcap --at +2.5s
          kcap ps trace.kcap --at 2026-11-22T10:00:00Z --json
          # every process it saw, with start, exit and status
          kcap ps trace.kcap --all
          # a rotation ring read as one, ten seconds before its end
          kcap ps trace.kcap.0 trace.kcap.1 --at -10s
        """
    )

    @OptionGroup var options: MomentOptions

    @Flag(name: .long, help: "Every process the capture saw, with its start and exit times and status (a replay of the whole capture), instead of the tree at one moment.")
    var all = false

    func validate() throws {
        if all && options.at != nil { throw ValidationError("--all lists the whole capture; --at picks one moment: give one of them") }
    }

    func run() throws {
        if all { return try runAll() }
        let (readers, moment) = options.moment(command: "ps")
        let listing = ProcessListing(engine: moment.engine)
        func clock(_ ns: UInt64) -> String { options.clock(ns, moment) }
        if options.json {
            try options.printJSON(MomentDocument(at: clock(moment.atNs), at_ns: moment.atNs, rows: listing.rows))
        } else {
            print("processes at \(clock(moment.atNs)) UTC: \(listing.rows.count)")
            let hosts = moment.engine.hostCount > 1
            let header = (hosts ? ["HOST"] : []) + ["PID", "PPID", "USER", "THR", "START", "CMD"]
            let cells = listing.rows.map { r -> [String] in
                let cmd = r.args.isEmpty ? (r.exe.isEmpty ? "[\(r.comm)]" : r.exe) : r.args.joined(separator: " ")
                let indent = r.depth == 0 ? "" : String(repeating: "  ", count: r.depth - 1) + "\\_ "
                return (hosts ? [r.host ?? ""] : [])
                    + ["\(r.pid)", "\(r.ppid)", r.user ?? "\(r.uid)", "\(r.threads)", r.startNs.map(clock) ?? "-", indent + cmd]
            }
            print(TextTable.render(header: header, rows: cells, rightAligned: hosts ? [1, 2, 4] : [0, 1, 3]), terminator: "")
        }
        try CaptureWarnings.report(readers, moment.engine)
    }

    /// `--all`: the history of every process.
    func runAll() throws {
        let operands = CaptureOperands(words: options.words)
        func fail(_ message: String) -> Never {
            FileHandle.standardError.write(Data("kcap ps: \(message)\n".utf8))
            Foundation.exit(1)
        }
        if !operands.filter.isEmpty { fail("'\(operands.filter)' is not a capture file; kcap ps takes captures and options only") }
        let replay = operands.replay { fail($0) }
        let history = ProcessHistory(engine: replay.engine)
        replay.source.progress = ProgressMeter.terminal(range: replay.timeRange, printsAsItGoes: false)
        do { try ReadPipeline.run(replay, into: history) } catch { fail("\(error)") }
        let rows = history.rows()
        let offset = replay.engine.realtimeOffsetNs
        func clock(_ ns: UInt64) -> String { ReadCommand.clock(wallClock(bootNs: ns, offsetNs: offset)) }
        if options.json {
            try options.printJSON(["processes": rows])
        } else {
            let cells = rows.map { r -> [String] in
                let cmd = r.args.isEmpty ? (r.exe.isEmpty ? "[\(r.comm)]" : r.exe) : r.args.joined(separator: " ")
                let end = r.exitSignal.map { "signal \($0)" } ?? r.exitStatus.map { "exit \($0)" } ?? "-"
                return ["\(r.pid)", "\(r.ppid)", r.user ?? "\(r.uid)", r.startNs.map(clock) ?? "-", r.exitNs.map(clock) ?? "-", end, cmd]
            }
            print(TextTable.render(header: ["PID", "PPID", "USER", "START", "EXIT", "STATUS", "CMD"], rows: cells, rightAligned: [0, 1]),
                  terminator: "")
        }
        try CaptureWarnings.report(replay.readers, replay.engine)
    }
}
