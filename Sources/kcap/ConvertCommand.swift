import Analyzer
import ArgumentParser
import Foundation

/// `kcap convert IN.scap -w OUT.kcap`: a sysdig/falco capture as a kcap capture.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a sysdig/falco capture (scap, gzip'd, zstd or LZ4 framed or not) to a kcap capture.",
        discussion: """
        Each syscall becomes kcap's one record: the exit, with its entry's arguments and its latency. The \
        capture's process, fd, user and group lists become the snapshot at the start (and at each section of \
        concatenated captures), and the state at the end is a last snapshot naming the syscalls still in \
        flight. Container metadata, clone and execve facts are kept; the events sysdig hides (procinfo...) are \
        not. Reading OUT gives the same exits (evt.dir=<) with the same fields as reading IN, in kcap's \
        compressed, indexed format (--since seeks, kcap slice, ps, lsof, diff work on it). OUT is overwritten.

        \(ExitStatus.helpText)

        Examples:
          kcap convert trace.scap -w trace.kcap
          kcap convert falco-test.scap.gz -w falco-test.kcap && kcap read falco-test.kcap 'evt.type=execve'
        """
    )

    @Argument(help: "The sysdig/falco capture to convert.")
    var input: String

    @Option(name: [.customShort("w"), .long], help: ArgumentHelp("The kcap capture to write.", valueName: "out"))
    var write: String

    func run() throws {
        guard ScapCommands.isScap(input) else {
            fail("\(input) is not a sysdig/falco capture (no section header, gzip, zstd or LZ4 magic): kcap convert reads scap files")
        }
        if let a = try? FileManager.default.attributesOfItem(atPath: input), let b = try? FileManager.default.attributesOfItem(atPath: write),
           a[.systemFileNumber] as? Int == b[.systemFileNumber] as? Int, a[.systemNumber] as? Int == b[.systemNumber] as? Int {
            fail("-w \(write) is the input: write the capture to another file")
        }
        let source = ScapCommands.open(input, command: "convert")
        let summary: ScapConverter.Summary
        do { summary = try ScapConverter.convert(source, to: write, origin: input) } catch { fail("\(error)") }
        FileHandle.standardError.write(Data("kcap convert: wrote \(write): \(summary.records) records (\(summary.pairedEntries) entries paired into their exit), \(summary.snapshots) snapshots, \(summary.inFlight) syscalls in flight at the end\n".utf8))
        try ScapCommands.finish(source, input)
    }

    func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("kcap convert: \(message)\n".utf8))
        Foundation.exit(ExitStatus.failure)
    }
}
