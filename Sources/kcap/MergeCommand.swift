import Analyzer
import ArgumentParser
import CaptureFormat
import Foundation

/// `kcap merge`: one capture from several, by timestamp.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Write one capture from several (a rotation ring, given in any order), merged by timestamp.",
        discussion: """
        The result starts with the earliest file's header and snapshot, holds every record of every file in \
        time order and the files' later snapshots, and ends with a snapshot of the state at its end. Reading \
        it prints what reading the files together prints (`kcap read a.kcap b.kcap`). The files must come \
        from machines of one kind. Captures of several hosts make a capture of several hosts: each event \
        keeps its host (the evt.host and host.name fields; the default line shows it), each host keeps its \
        own processes, and every timestamp is put on one clock from each file's realtime offset (boot-time \
        clock to wall clock), so events of different hosts interleave by wall-clock time. --redact writes a \
        redacted capture, as kcap slice --redact does.

        \(ExitStatus.helpText)

        Examples:
          kcap merge trace.kcap.2 trace.kcap.0 trace.kcap.1 -w trace-all.kcap
          kcap merge cpu0.kcap cpu1.kcap -w both.kcap
          kcap merge web1.kcap web2.kcap db.kcap -w fleet.kcap
          kcap read fleet.kcap 'host.name=db and evt.failed=true'
          kcap merge web1.kcap db.kcap -w share.kcap --redact --save-redact-key k
        """
    )

    @Argument(help: "IN...: the captures.")
    var inputs: [String]

    @Option(name: [.customShort("w"), .long], help: ArgumentHelp("The capture to write.", valueName: "out"))
    var write: String

    @OptionGroup var redaction: RedactOptions

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("give the captures: kcap merge IN... -w OUT") }
    }

    func run() throws {
        let readers = CaptureOperands(paths: inputs).readers { fail($0) }
        if let input = CaptureOperands.sameFile(write, readers) { fail("-w \(write) is the input \(input): write to another file") }
        let redactor = redaction.redactor { fail($0) }
        let summary: CaptureSlicer.Summary
        do {
            summary = try CaptureSlicer.slice(readers: readers, to: write, since: nil, until: nil, filter: nil, merging: true,
                                              redactor: redactor) {
                ProgressMeter.terminal(range: $0, printsAsItGoes: false)
            }
        } catch { fail("\(error)") }
        FileHandle.standardError.write(Data("kcap merge: wrote \(write): \(summary.recordsMatched) events from \(readers.count) captures, \(summary.snapshots) snapshots\n".utf8))
        if CaptureWarnings.print(readers, limitWarnings: []) { throw ExitCode(ExitStatus.problems) }
    }

    /// Prints `message` as one line on stderr and exits with status 1.
    func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("kcap merge: \(message)\n".utf8))
        Foundation.exit(1)
    }
}
