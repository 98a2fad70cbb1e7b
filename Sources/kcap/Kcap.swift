import ArgumentParser
import Foundation
import Recorder

/// The kcap command line: wires the modules together and does nothing else.
@main
struct Kcap: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kcap",
        abstract: "Record what a Linux machine did with eBPF; replay and analyse it anywhere, without root.",
        discussion: """
        Examples:
          # record the whole machine for 10 s, then one command and its children
          kcap record -w trace.kcap --duration 10s
          kcap record -w build.kcap -- make -j2
          # print what one command opens, live (no file)
          kcap record 'evt.type=openat' -- ls /
          # what is in a capture, and is it intact; then replay it, filtered
          kcap info trace.kcap
          kcap read trace.kcap 'proc.name=nginx and fd.name startswith /etc'
          # top syscalls, latency percentiles, files, connections, errors
          kcap stats trace.kcap
          # the same as one HTML page, with a timeline and latency heat maps
          kcap report trace.kcap -o report.html
        """,
        version: KcapVersion.string,
        subcommands: [
            RecordCommand.self, ReadCommand.self, StatsCommand.self, InfoCommand.self,
            EventsCommand.self, FieldsCommand.self, DoctorCommand.self,
            PsCommand.self, LsofCommand.self, DiffCommand.self, SliceCommand.self, MergeCommand.self,
            ExportCommand.self, ReportCommand.self, ConvertCommand.self,
        ]
    )

    static func main() {
        let args = attachingShortValues(Array(CommandLine.arguments.dropFirst()))
        if let line = ForeignOptions.message(args) {
            FileHandle.standardError.write(Data((line + "\n").utf8))
            Foundation.exit(1)
        }
        do {
            var command = try parse(args)
            try command.run()
        } catch {
            exit(withOneLine: error, args: args)
        }
    }

    /// The command `args` ask for. A subcommand's own arguments are parsed with that subcommand as the root:
    /// ArgumentParser otherwise reflects over every subcommand's options (and looks for completion-script
    /// requests through all of them), which cost more than reading a small capture. Help, version and
    /// completion requests go through the whole tree, so they print as `kcap SUBCOMMAND`.
    static func parse(_ args: [String]) throws -> ParsableCommand {
        let wholeTree: Set<String> = ["-h", "--help", "help", "--version", "--generate-completion-script", "--experimental-dump-help"]
        if let name = args.first, !args.contains(where: { wholeTree.contains($0) || $0.hasPrefix("--generate-completion") }),
           let sub = configuration.subcommands.first(where: { $0.configuration.commandName == name }) {
            return try sub.parseAsRoot(Array(args.dropFirst()))
        }
        return try parseAsRoot(args)
    }

    /// Ends the process for `error` by the one exit-status rule (docs/exit-status.md): help and version
    /// print as ArgumentParser prints them; an `ExitCode` is kept; every other error, a bad option value
    /// included, is one line on stderr ("kcap read: ...") and status 1, never the usage block.
    static func exit(withOneLine error: Error, args: [String]) -> Never {
        let code = exitCode(for: error)
        if code == .success || error is ExitCode { exit(withError: error) }
        var message = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
        if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
        let names = configuration.subcommands.map { $0.configuration.commandName ?? "" }
        let prefix = args.first(where: { names.contains($0) }).map { "kcap \($0): " } ?? "kcap: "
        FileHandle.standardError.write(Data((prefix + message + "\n").utf8))
        Foundation.exit(1)
    }

    /// `-n5` as tcpdump, sysdig and head take it: ArgumentParser wants `-n 5`; and `--until -5s` (a time
    /// before the end) as `--until=-5s`. Only before a `--`, which starts a command's own arguments.
    static func attachingShortValues(_ args: [String]) -> [String] {
        var out: [String] = []
        var passThrough = false
        for a in args {
            if a == "--" { passThrough = true }
            if !passThrough, a.count > 2, a.hasPrefix("-n"), a.dropFirst(2).allSatisfy(\.isNumber) {
                out += ["-n", String(a.dropFirst(2))]
            } else if !passThrough, let option = out.last, ["--since", "--until", "--at"].contains(option),
                      a.count > 1, a.hasPrefix("-"), a.dropFirst().first?.isNumber == true {
                // `--until -5s` (five seconds before the end), as the help writes it: ArgumentParser would take
                // -5s for an option and say the value is missing.
                out[out.count - 1] = option + "=" + a
            } else {
                out.append(a)
            }
        }
        return out
    }
}
