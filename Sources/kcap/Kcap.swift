import ArgumentParser

/// The kcap command line: wires the modules together and does nothing else.
@main
struct Kcap: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kcap",
        abstract: "Record what a Linux machine did with eBPF; replay and analyse it anywhere, without root.",
        discussion: """
        Examples:
          kcap record -w trace.kcap --duration 10s        record the whole machine for 10 s
          kcap record -w build.kcap -- make -j2           record one command and its children
          kcap record 'evt.type=openat' -- ls /           print what one command opens, live
          kcap info trace.kcap                            what is in a capture, and whether it is intact
          kcap read trace.kcap 'proc.name=nginx and fd.name startswith /etc'
          kcap stats trace.kcap                           top syscalls, latencies, files, connections
        """,
        subcommands: [
            RecordCommand.self, ReadCommand.self, StatsCommand.self, InfoCommand.self,
            EventsCommand.self, FieldsCommand.self, DoctorCommand.self,
        ]
    )
}
