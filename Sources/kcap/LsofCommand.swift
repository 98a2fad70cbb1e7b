import Analyzer
import ArgumentParser
import CaptureFormat
import Foundation

/// `kcap lsof`: the open file descriptors at one moment of a capture.
struct LsofCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lsof",
        abstract: "The open files, sockets and pipes of every process at one moment of a capture.",
        discussion: """
        As `kcap ps`, the state comes from the last snapshot before the moment and the events after it, not \
        from a replay of the whole capture. NAME is what `kcap read` shows as fd.name: the path, \
        `client:port->server:port` for a connected socket, `addr:port` for a bound one, `pipe:[inode]`.

        \(ExitStatus.helpText)

        Examples:
          kcap lsof trace.kcap
          kcap lsof trace.kcap --at +2.5s -p 4242
          kcap lsof trace.kcap --at 10:00:00 --json
        """
    )

    @Argument(help: "FILE...: the capture (several are read as one, merged by time).")
    var words: [String]

    @Option(name: .long, help: "The moment: +2s from the start, -5s from the end, 2026-11-22T10:00:00Z, or 10:00:00 (UTC). Default: the last event.")
    var at: String?

    @Option(name: [.customShort("p"), .long], help: "Only this process.")
    var pid: UInt32?

    @Flag(name: [.customShort("j"), .long], help: "Print JSON.")
    var json = false

    func validate() throws {
        if words.isEmpty { throw ValidationError("give a capture: kcap lsof FILE [--at TIME] [-p PID]") }
    }

    func run() throws {
        let operands = CaptureOperands(words: words)
        if !operands.filter.isEmpty { fail("'\(operands.filter)' is not a capture file; kcap lsof takes captures, --at and -p only") }
        let readers = operands.readers { fail($0) }
        let moment: MomentReplay
        do { moment = try MomentReplay(readers: readers, at: at) } catch { fail("\(error)") }
        let listing = OpenFileListing(engine: moment.engine, pid: pid)
        let offset = moment.engine.realtimeOffsetNs
        let at = ReadCommand.clock(wallClock(bootNs: moment.atNs, offsetNs: offset))
        if json {
            struct Document: Encodable {
                let at: String
                let at_ns: UInt64
                let fds: [OpenFileListing.Row]
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(Document(at: at, at_ns: moment.atNs, fds: listing.rows)), as: UTF8.self))
        } else {
            print("open fds at \(at) UTC: \(listing.rows.count)")
            let cells = listing.rows.map { r in
                [r.comm.isEmpty ? "<NA>" : r.comm, "\(r.pid)", "\(r.fd)", r.type, r.name.isEmpty ? "<NA>" : r.name]
            }
            print(TextTable.render(header: ["COMMAND", "PID", "FD", "TYPE", "NAME"], rows: cells, rightAligned: [1, 2]), terminator: "")
        }
        try CaptureWarnings.report(readers, moment.engine)
    }

    /// Prints `message` as one line on stderr and exits with status 1.
    func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("kcap lsof: \(message)\n".utf8))
        Foundation.exit(1)
    }
}
