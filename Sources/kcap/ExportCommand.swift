import Analyzer
import ArgumentParser
import CaptureFormat
import Foundation
import Recorder

/// `kcap export`: replays a capture through the engine and the filter, as `kcap read` does, into tables for
/// other engines (DuckDB, Spark, pandas) to query.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export captures as Parquet tables for DuckDB, Spark or pandas, or as a trace for Perfetto.",
        discussion: """
        One capture is written as DIR/events.parquet, DIR/processes.parquet and DIR/connections.parquet. Several captures (or \
        --partition) make a Hive-style dataset that DuckDB, Spark and pyarrow read as one table with host, date \
        and hour columns: DIR/events/host=H/date=YYYY-MM-DD/hour=HH/NAME.parquet (UTC hours), \
        DIR/processes/host=H/NAME.parquet and DIR/connections/host=H/NAME.parquet.

        events.parquet: one row per event that passes the filter, one column per exported filter \
        field, named as the field (evt.type, proc.name, fd.name...), typed (evt.time is a UTC timestamp in \
        nanoseconds), the arguments as a struct of typed values (evt.args.fd, evt.args.name...), strings \
        dictionary-encoded, pages compressed with ZSTD, row groups of 131072 events with min/max statistics; processes.parquet: one row per process lifetime in the time window (pid, \
        ppid, command line, user, start, end, exit status), whatever the filter; connections.parquet: one row \
        per socket name a process held, with its bytes and calls, whatever the filter. docs/export.md lists the \
        columns and the schema versions; docs/fleet.md asks a dataset of several hosts with DuckDB and Spark.

        --format perfetto writes DIR/trace.pftrace in Perfetto's protobuf format (ui.perfetto.dev, \
        trace_processor): a track per process and thread, a slice per syscall with its arguments, the recorder's \
        drop counters; --format chrome the same as a Chrome JSON trace (DIR/trace.json).

        \(ExitStatus.helpText)

        Examples:
          kcap export trace.kcap -o out/
          kcap export trace.kcap -o out/ 'proc.name=nginx and evt.type in (read, write)'
          kcap export trace.kcap -o out/ --format perfetto     # out/trace.pftrace for ui.perfetto.dev
          kcap export host1/*.kcap host2/*.kcap -o fleet/
          duckdb -c "SELECT host, count(*) FROM read_parquet('fleet/events/**/*.parquet', hive_partitioning=true) GROUP BY 1"
          duckdb -c "SELECT \\"evt.type\\", count(*) FROM 'out/events.parquet' GROUP BY 1 ORDER BY 2 DESC"
        """
    )

    /// Output formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case parquet
        /// A Perfetto protobuf trace (DIR/trace.pftrace) for ui.perfetto.dev and trace_processor.
        case perfetto
        /// A Chrome JSON trace (DIR/trace.json) for chrome://tracing and ui.perfetto.dev.
        case chrome
    }

    @Argument(help: "FILE... [FILTER...]: the captures (every leading word that names a file), then an optional filter in sysdig syntax.")
    var words: [String]

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("The directory to write into (created when missing).", valueName: "dir"))
    var output: String

    @Option(name: .long, help: "parquet (tables); perfetto: DIR/trace.pftrace, a Perfetto protobuf trace for ui.perfetto.dev (a track per thread, a slice per syscall); chrome: DIR/trace.json, the same as a Chrome JSON trace.")
    var format: Format = .parquet

    @Flag(name: .long, help: "Write a Hive-style dataset: DIR/events/host=H/date=D/hour=HH/NAME.parquet and DIR/processes/host=H/NAME.parquet (the default for several captures).")
    var partition = false

    @Option(name: .long, help: "Start at this time: +2s from the start, -5s from the end, 2026-11-22T10:00:00Z, or 10:00:00 (UTC).")
    var since: String?

    @Option(name: .long, help: "Stop after this time (same forms as --since).")
    var until: String?

    func validate() throws {
        if words.isEmpty { throw ValidationError("give a capture: kcap export FILE... -o DIR ['FILTER']") }
    }

    func run() throws {
        // The captures, then the filter, split as `kcap read` splits them.
        let operands = CaptureOperands(words: words)
        let captures = operands.paths
        let filterText = operands.filter
        let partitioned = partition || captures.count > 1
        var damaged = false
        for (i, path) in captures.enumerated() {
            // Several captures may share a file name (one per host, each `trace.kcap`): their position keeps
            // the dataset's files apart.
            let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            let name = captures.count > 1 ? "\(stem)-\(i + 1)" : stem
            damaged = try export(path, name: name, filterText: filterText, partitioned: partitioned, first: i == 0) || damaged
        }
        if damaged { throw ExitCode(ExitStatus.problems) }
    }

    /// How one capture's replay runs into the export's sinks: the same calls for a kcap and a sysdig capture,
    /// each bound to its own replay (ReadPipeline has an overload per source, specialised in the Analyzer).
    struct Runs {
        var tables: (ParquetEventSink, ProcessesTableSink, ConnectionsTableSink) throws -> Void
        var partitioned: (PartitionedEventSink, ProcessesTableSink, ConnectionsTableSink) throws -> Void
        var trace: (ChromeTraceSink) throws -> Void
        var perfetto: (PerfettoTraceSink) throws -> Void
    }

    /// Exports one capture; true when it had damage (reported on stderr). The filter's warnings are printed
    /// with the `first` capture only.
    func export(_ path: String, name: String, filterText: String, partitioned: Bool, first: Bool) throws -> Bool {
        if ScapCommands.isScap(path) {  // a sysdig/falco capture, by its magic, as kcap read tells it
            if since != nil || until != nil {
                fail("--since/--until do not apply to sysdig captures yet: filter on evt.rawtime instead")
            }
            let source = ScapCommands.open(path, command: "export")
            let replay = Replay(source: source)
            let options = self.options(filterText, engine: replay.engine, first: first)
            let runs = Runs(
                tables: { _ = try ReadPipeline.run(replay, events: $0, processes: $1, connections: $2, options: options) },
                partitioned: { _ = try ReadPipeline.run(replay, events: $0, processes: $1, connections: $2, options: options) },
                trace: { _ = try ReadPipeline.run(replay, trace: $0, options: options) },
                perfetto: { _ = try ReadPipeline.run(replay, trace: $0, options: options) })
            write(path, name: name, hostname: source.machineInfo?.hostname ?? "", engine: replay.engine, counters: [],
                  partitioned: partitioned, runs: runs)
            for p in source.problems { FileHandle.standardError.write(Data("warning: \(path): \(p)\n".utf8)) }
            return !source.problems.isEmpty
        }
        let reader: CaptureReader
        do { reader = try CaptureReader(path: path) } catch { fail("\(error)") }
        // Source → engine → filter → sinks, as `kcap read` wires its printing sinks.
        let replay = Replay(source: CaptureFileSource(reader: reader))
        var options = self.options(filterText, engine: replay.engine, first: first)
        do { (options.startNs, options.endNs) = try replay.window(since: since, until: until) } catch { fail("\(error)") }
        replay.source.progress = ProgressMeter.terminal(range: replay.timeRange, printsAsItGoes: false)
        let runs = Runs(
            tables: { _ = try ReadPipeline.run(replay, events: $0, processes: $1, connections: $2, options: options) },
            partitioned: { _ = try ReadPipeline.run(replay, events: $0, processes: $1, connections: $2, options: options) },
            trace: { _ = try ReadPipeline.run(replay, trace: $0, options: options) },
            perfetto: { _ = try ReadPipeline.run(replay, trace: $0, options: options) })
        write(path, name: name, hostname: reader.header.hostname, engine: replay.engine, counters: replay.counters(),
              partitioned: partitioned, runs: runs)
        return CaptureWarnings.print([reader], limitWarnings: replay.engine.limitWarnings)
    }

    /// The filter compiled for `engine` (its warnings printed for the `first` capture), or one line and exit 1.
    func options(_ filterText: String, engine: Engine, first: Bool) -> ReadPipeline.Options {
        var options = ReadPipeline.Options()
        guard !filterText.trimmingCharacters(in: .whitespaces).isEmpty else { return options }
        do {
            options.filter = try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: engine.machine))
                .compile(filterText, for: Event.self)
        } catch {
            fail("\(error)")
        }
        for warning in first ? EventTypeCheck.warnings(filter: filterText, machine: engine.machine) : [] {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
        return options
    }

    /// Makes the output files of one capture and runs its replay into them.
    func write(_ path: String, name: String, hostname: String, engine: Engine, counters: [CaptureCounters],
               partitioned: Bool, runs: Runs) {
        do {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        } catch {
            fail("\(output): cannot create the directory (\(error.localizedDescription))")
        }
        let printer = EventPrinter(engine: engine)
        if format != .parquet {
            let file = "\(output)/\(partitioned ? name : "trace").\(format == .perfetto ? "pftrace" : "json")"
            let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            if fd < 0 { fail("\(file): cannot create it (\(String(cString: strerror(errno))))") }
            defer { close(fd) }
            let out = OutputBuffer(fd: fd)
            do {
                if format == .perfetto {
                    try runs.perfetto(PerfettoTraceSink(out: out, printer: printer, counters: counters,
                                                        realtimeOffsetNs: engine.realtimeOffsetNs))
                } else {
                    try runs.trace(ChromeTraceSink(out: out, printer: printer, counters: counters,
                                                   realtimeOffsetNs: engine.realtimeOffsetNs))
                }
            } catch {
                fail("\(error)")
            }
            return
        }
        let metadata = [("kcap.source", (path as NSString).lastPathComponent), ("kcap.hostname", hostname)]
        let createdBy = "kcap version \(KcapVersion.string)"
        let host = HivePartition(host: hostname, wallNs: 0)
        // One capture: DIR/TABLE.parquet; partitioned: DIR/TABLE/host=H/NAME.parquet (events also by hour).
        func tablePath(_ table: String) -> String {
            let dir = partitioned ? "\(output)/\(table)/\(host.hostDirectory)" : output
            do {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            } catch {
                fail("\(dir): cannot create the directory (\(error.localizedDescription))")
            }
            return "\(dir)/\(partitioned ? name : table).parquet"
        }
        do {
            let processes = try ProcessesTableSink(path: tablePath("processes"), metadata: metadata, createdBy: createdBy)
            let connections = try ConnectionsTableSink(path: tablePath("connections"), metadata: metadata,
                                                       createdBy: createdBy)
            if partitioned {
                try runs.partitioned(PartitionedEventSink(root: "\(output)/events", name: name, host: hostname,
                                                          printer: printer, metadata: metadata, createdBy: createdBy),
                                     processes, connections)
            } else {
                try runs.tables(try ParquetEventSink(path: "\(output)/events.parquet", printer: printer,
                                                     metadata: metadata, createdBy: createdBy), processes, connections)
            }
        } catch {
            fail("\(error)")
        }
    }

    /// Prints `message` as one line on stderr and exits with status 1.
    func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("kcap export: \(message)\n".utf8))
        Foundation.exit(1)
    }
}
