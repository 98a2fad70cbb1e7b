import ArgumentParser
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
        """,
        version: KcapVersion.string,
        subcommands: [
            RecordCommand.self, ReadCommand.self, StatsCommand.self, InfoCommand.self,
            EventsCommand.self, FieldsCommand.self, DoctorCommand.self,
        ]
    )

    static func main() {
        main(attachingShortValues(Array(CommandLine.arguments.dropFirst())))
    }

    /// `-n5` as tcpdump, sysdig and head take it: ArgumentParser wants `-n 5`. Only before a `--`, which
    /// starts a command's own arguments.
    static func attachingShortValues(_ args: [String]) -> [String] {
        var out: [String] = []
        var passThrough = false
        for a in args {
            if a == "--" { passThrough = true }
            if !passThrough, a.count > 2, a.hasPrefix("-n"), a.dropFirst(2).allSatisfy(\.isNumber) {
                out += ["-n", String(a.dropFirst(2))]
            } else {
                out.append(a)
            }
        }
        return out
    }
}
