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
        `client:port->server:port` for a connected socket, `addr:port` for a bound one, `pipe:[inode]`; a \
        socket's state follows in parentheses: (LISTEN), (CONNECTED) or (UNCONNECTED), as listen, connect, \
        accept and socketpair left it or the snapshot (/proc/net) told. A capture of several hosts gets a \
        HOST column.

        \(ExitStatus.helpText)

        Examples:
          kcap lsof trace.kcap
          kcap lsof trace.kcap --at +2.5s -p 4242
          kcap lsof trace.kcap --at 10:00:00 --json
        """
    )

    @OptionGroup var options: MomentOptions

    @Option(name: [.customShort("p"), .long], help: "Only this process.")
    var pid: UInt32?

    func run() throws {
        let (readers, moment) = options.moment(command: "lsof")
        let listing = OpenFileListing(engine: moment.engine, pid: pid)
        let at = options.clock(moment.atNs, moment)
        if options.json {
            try options.printJSON(MomentDocument(at: at, at_ns: moment.atNs, rows: listing.rows))
        } else {
            print("open fds at \(at) UTC: \(listing.rows.count)")
            let hosts = moment.engine.hostCount > 1
            let cells = listing.rows.map { r in
                (hosts ? [r.host ?? ""] : []) + [r.comm.isEmpty ? "<NA>" : r.comm, "\(r.pid)", "\(r.fd)", r.type,
                                                 (r.name.isEmpty ? "<NA>" : r.name) + (r.state.map { " (\($0))" } ?? "")]
            }
            print(TextTable.render(header: (hosts ? ["HOST"] : []) + ["COMMAND", "PID", "FD", "TYPE", "NAME"], rows: cells,
                                   rightAligned: hosts ? [2, 3] : [1, 2]), terminator: "")
        }
        try CaptureWarnings.report(readers, moment.engine)
    }
}
