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
          kcap ps trace.kcap.0 trace.kcap.1 --at=-10s      # a rotation ring read as one; = before a minus
        """
    )

    @Argument(help: "FILE...: the capture (several are read as one, merged by time).")
    var words: [String]

    @Option(name: .long, help: "The moment: +2s from the start, -5s from the end, 2026-11-22T10:00:00Z, or 10:00:00 (UTC). Default: the last event.")
    var at: String?

    @Flag(name: [.customShort("j"), .long], help: "Print JSON.")
    var json = false

    func validate() throws {
        if words.isEmpty { throw ValidationError("give a capture: kcap ps FILE [--at TIME]") }
    }

    func run() throws {
        let operands = CaptureOperands(words: words)
        if !operands.filter.isEmpty { fail("'\(operands.filter)' is not a capture file; kcap ps takes captures and --at only") }
        let readers = operands.readers { fail($0) }
        let moment: MomentReplay
        do { moment = try MomentReplay(readers: readers, at: at) } catch { fail("\(error)") }
        let listing = ProcessListing(engine: moment.engine)
        let offset = moment.engine.realtimeOffsetNs
        func clock(_ ns: UInt64) -> String { ReadCommand.clock(wallClock(bootNs: ns, offsetNs: offset)) }
        if json {
            struct Document: Encodable {
                let at: String
                let at_ns: UInt64
                let processes: [ProcessListing.Row]
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let doc = Document(at: clock(moment.atNs), at_ns: moment.atNs, processes: listing.rows)
            print(String(decoding: try encoder.encode(doc), as: UTF8.self))
        } else {
            print("processes at \(clock(moment.atNs)) UTC: \(listing.rows.count)")
            let header = ["PID", "PPID", "USER", "THR", "START", "CMD"]
            let cells = listing.rows.map { r -> [String] in
                let cmd = r.args.isEmpty ? (r.exe.isEmpty ? "[\(r.comm)]" : r.exe) : r.args.joined(separator: " ")
                let indent = r.depth == 0 ? "" : String(repeating: "  ", count: r.depth - 1) + "\\_ "
                return ["\(r.pid)", "\(r.ppid)", r.user ?? "\(r.uid)", "\(r.threads)", r.startNs.map(clock) ?? "-", indent + cmd]
            }
            print(TextTable.render(header: header, rows: cells, rightAligned: [0, 1, 3]), terminator: "")
        }
        try CaptureWarnings.report(readers, moment.engine)
    }

    /// Prints `message` as one line on stderr and exits with status 1.
    func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("kcap ps: \(message)\n".utf8))
        Foundation.exit(1)
    }
}
