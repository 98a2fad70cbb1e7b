import Analyzer
import ArgumentParser
import CaptureFormat
import Foundation

/// `kcap slice`: a smaller capture that stands alone, cut by time and filter.
struct SliceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slice",
        abstract: "Cut a smaller, self-contained capture out of one or more captures, by time and filter.",
        discussion: """
        The slice starts with a snapshot of every process and open fd at its start, then holds the events \
        the filter passes, and the events the filter hides that change that state (fork, exec, exit, open, \
        close, dup, connect…), marked so that readers apply them without printing them. Reading the slice \
        prints what reading the input with the same window and filter prints, with the same process and fd \
        names (event numbers restart at 1). With --redact the slice can leave the machine: data buffers are \
        dropped and paths, arguments, host, user and group names and addresses are replaced by keyed hashes \
        (the same name, the same token), so counts, groupings and joins still work; `kcap info` says the \
        capture is redacted. The input is read from its last snapshot before --since, through \
        its index. Several inputs (a rotation ring) are read as one, merged by time. OUT is overwritten.

        \(ExitStatus.helpText)

        Examples:
          kcap slice trace.kcap -w incident.kcap --since 10:04:00 --until 10:06:00
          kcap slice trace.kcap -w nginx.kcap 'proc.name=nginx'
          kcap slice trace.kcap.0 trace.kcap.1 -w net.kcap --since -30s 'fd.type=ipv4'
          head -c 32 /dev/urandom > team.key   # once: one key, one token per name
          kcap slice trace.kcap -w share.kcap --redact --redact-key team.key
        """
    )

    @Argument(help: "IN... [FILTER...]: the captures (several are merged by time), then an optional filter.")
    var words: [String]

    @Option(name: [.customShort("w"), .long], help: ArgumentHelp("The slice to write.", valueName: "out"))
    var write: String

    @Option(name: .long, help: "Start at this time: +2s from the start, -5s from the end, 2026-11-22T10:00:00Z, or 10:00:00 (UTC).")
    var since: String?

    @Option(name: .long, help: "Stop after this time (same forms as --since).")
    var until: String?

    @OptionGroup var redaction: RedactOptions

    func validate() throws {
        if words.isEmpty { throw ValidationError("give a capture: kcap slice IN -w OUT [--since T] [--until T] ['FILTER']") }
    }

    func run() throws {
        let operands = CaptureOperands(words: words)
        let readers = operands.readers { fail($0) }
        if let input = CaptureOperands.sameFile(write, readers) {
            fail("-w \(write) is the input \(input): write the slice to another file")
        }
        let filter = operands.filter.trimmingCharacters(in: .whitespaces)
        let redactor = redaction.redactor { fail($0) }
        let summary: CaptureSlicer.Summary
        do {
            summary = try CaptureSlicer.slice(readers: readers, to: write, since: since, until: until, filter: filter.isEmpty ? nil : filter,
                                              redactor: redactor) {
                ProgressMeter.terminal(range: $0, printsAsItGoes: false)
            }
        } catch { fail("\(error)") }
        FileHandle.standardError.write(Data("kcap slice: wrote \(write): \(summary.recordsMatched) events, \(summary.recordsForState) more kept for their state changes, \(summary.snapshots) snapshots (read \(summary.recordsRead) records)\n".utf8))
        if CaptureWarnings.print(readers, limitWarnings: []) { throw ExitCode(ExitStatus.problems) }
    }

    /// Prints `message` as one line on stderr and exits with status 1.
    func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("kcap slice: \(message)\n".utf8))
        Foundation.exit(1)
    }
}
