import Analyzer
import ArgumentParser
import CaptureFormat
import Foundation

/// `kcap stats`: replays a capture through the engine and summarises it.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Summarise a capture: top syscalls, latencies, processes, files, errors.",
        discussion: """
        Top syscalls by count and by total time with latency percentiles (p50/p90/p99/max, HdrHistogram), \
        processes by bytes and by events, files and connections by bytes, errors by errno, and the recorder's \
        drop counters. A filter in sysdig syntax restricts what is counted.

        \(ExitStatus.helpText)

        Examples:
          kcap stats trace.kcap
          kcap stats trace.kcap 'proc.name=nginx'
          kcap stats trace.kcap --json --top 20
          kcap stats trace.kcap --since +2s --until +3s 'fd.type=ipv4'
        """
    )

    @Argument(help: "FILE [FILTER...]: the capture, then an optional filter.")
    var words: [String]

    @Flag(name: [.customShort("j"), .long], help: "Print JSON.")
    var json = false

    @Option(name: .long, help: "Rows per table (0: every row).")
    var top = 10

    @Option(name: .long, help: "Start at this time: +2s from the start, -5s from the end, 2026-11-22T10:00:00Z, or 10:00:00 (UTC).")
    var since: String?

    @Option(name: .long, help: "Stop after this time (same forms as --since).")
    var until: String?

    func validate() throws {
        if words.isEmpty { throw ValidationError("give a capture: kcap stats FILE ['FILTER']") }
        if top < 0 { throw ValidationError("--top must be 0 (every row) or more") }
    }

    func run() throws {
        var rest = words
        let path = rest.removeFirst()
        let filterText = rest.joined(separator: " ")
        if ScapCommands.isScap(path) {
            return try ScapCommands.stats(path: path, filter: filterText, json: json, top: top, since: since, until: until)
        }
        let reader: CaptureReader
        do { reader = try CaptureReader(path: path) } catch { fail("\(error)", code: 1) }
        // Source → engine → filter → statistics sink, as `kcap read` wires its printing sinks.
        let replay = Replay(source: CaptureFileSource(reader: reader))
        let engine = replay.engine

        var filter: EventFilter? = nil
        if !filterText.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                filter = try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: engine.machine))
                    .compile(filterText, for: Event.self)
            } catch {
                fail("\(error)", code: 1)
            }
        }
        var options = ReadPipeline.Options()
        options.filter = filter
        do {
            (options.startNs, options.endNs) = try replay.window(since: since, until: until)
        } catch {
            fail("\(error)", code: 1)  // like a bad filter, and like `kcap read`: one line, not the usage
        }

        let stats = CaptureStatistics(machine: engine.machine)
        do { _ = try ReadPipeline.run(replay, into: stats, options: options) } catch { fail("\(error)", code: 1) }

        var report = stats.report(limit: top == 0 ? Int.max : top, counters: replay.lastCounters()) { engine.paths.string($0) }
        if filter == nil && until == nil {
            // The end state of the whole capture; a filter or a window selects events, and a thread blocked
            // throughout has none to select by.
            let rows = InFlightReport.rows(engine: engine, machine: engine.machine, limit: top == 0 ? Int.max : top)
            if !rows.isEmpty { report.inFlightAtEnd = rows }
        }
        print(json ? try StatisticsRenderer.json(report) : StatisticsRenderer.text(report), terminator: "")
        for problem in reader.problems.map(\.description) + reader.omittedProblemLines + engine.limitWarnings {
            FileHandle.standardError.write(Data("warning: \(path): \(problem)\n".utf8))
        }
        if !reader.problems.isEmpty { throw ExitCode(ExitStatus.problems) }
    }

    /// Prints `message` as one line on stderr and exits with `code`.
    func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("kcap stats: \(message)\n".utf8))
        Foundation.exit(code)
    }
}
