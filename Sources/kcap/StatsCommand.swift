import Analyzer
import ArgumentParser
import CaptureFormat
import EventSchema
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
          kcap stats trace.kcap.0 trace.kcap.1 trace.kcap.2 'evt.failed=true'
          # count, errors, time and bytes grouped by any fields, as sysdig's chisels
          kcap stats trace.kcap --by proc.name,evt.type
          kcap stats trace.kcap --by fd.name 'fd.type=file' --top 20 --json
          # a time series: the same figures every second, per process
          kcap stats trace.kcap --interval 1s --by proc.name
        """
    )

    @Argument(help: "FILE... [FILTER...]: the captures (several are merged by time), then an optional filter.")
    var words: [String]

    @Flag(name: [.customShort("j"), .long], help: "Print JSON.")
    var json = false

    @Option(name: .long, help: "Rows per table (0: every row).")
    var top = 10

    @Option(name: .long, help: "Start at this time: +2s from the start, -5s from the end, 2026-11-22T10:00:00Z, or 10:00:00 (UTC).")
    var since: String?

    @Option(name: .long, help: "Stop after this time (same forms as --since).")
    var until: String?

    @Option(name: .long, help: ArgumentHelp("Group the events by these filter fields (comma-separated): count, errors, time in syscalls and bytes per group.", valueName: "field,..."))
    var by: String?

    @Option(name: .long, help: ArgumentHelp("Print the same figures per interval of this length (a time series): 1s, 100ms.", valueName: "duration"))
    var interval: String?

    func validate() throws {
        if let by, Self.fieldList(by).isEmpty { throw ValidationError("--by needs at least one field: --by proc.name,evt.type") }
        if words.isEmpty { throw ValidationError("give a capture: kcap stats FILE ['FILTER']") }
        if top < 0 { throw ValidationError("--top must be 0 (every row) or more") }
    }

    func run() throws {
        let operands = CaptureOperands(words: words)
        let filterText = operands.filter
        if let path = operands.paths.first, ScapCommands.isScap(path) {  // a sysdig/falco capture, by its magic
            guard operands.paths.count == 1, by == nil, interval == nil else {
                fail("\(path) is a sysdig capture: kcap stats reads it on its own, without --by or --interval", code: 1)
            }
            return try ScapCommands.stats(path: path, filter: filterText, json: json, top: top, since: since, until: until)
        }
        // Source → engine → filter → statistics sink, as `kcap read` wires its printing sinks; several files
        // are one source, merged by time.
        let replay = operands.replay { fail($0, code: 1) }
        replay.source.progress = ProgressMeter.terminal(range: replay.timeRange, printsAsItGoes: false)
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
        for warning in EventTypeCheck.warnings(filter: filterText, machine: engine.machine) { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
        if !replay.readers.contains(where: { $0.header.recorder["convertedFrom"] != nil }), let warning = DirectionCheck.warning(filter: filterText) {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
        var options = ReadPipeline.Options()
        options.filter = filter
        do {
            (options.startNs, options.endNs) = try replay.window(since: since, until: until)
        } catch {
            fail("\(error)", code: 1)  // like a bad filter, and like `kcap read`: one line, not the usage
        }

        if by != nil || interval != nil {
            let grouped: GroupedStatistics
            do {
                grouped = try GroupedStatistics(by: by.map(Self.fieldList) ?? [], intervalNs: try interval.map(Self.intervalNs),
                                                printer: EventPrinter(engine: engine))
            } catch { fail("\(error)", code: 1) }
            do { _ = try ReadPipeline.run(replay, into: grouped, options: options) } catch { fail("\(error)", code: 1) }
            let rows = grouped.rows(limit: top == 0 ? Int.max : top)
            print(json ? try GroupedStatisticsRenderer.json(grouped, rows: rows) : GroupedStatisticsRenderer.text(grouped, rows: rows),
                  terminator: "")
            try CaptureWarnings.report(replay.readers, replay.engine)
            return
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
        try CaptureWarnings.report(replay.readers, replay.engine)
    }

    /// `--by`'s comma-separated fields.
    static func fieldList(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// `--interval`'s duration in ns (a positive duration: 1s, 500ms).
    static func intervalNs(_ text: String) throws -> UInt64 {
        guard let ns = DurationText.nanoseconds(text), ns > 0 else {
            throw ValidationError("--interval '\(text)' is not a positive duration: write it as 1s, 500ms or 1m")
        }
        return UInt64(ns)
    }

    /// Prints `message` as one line on stderr and exits with `code`.
    func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("kcap stats: \(message)\n".utf8))
        Foundation.exit(code)
    }
}
