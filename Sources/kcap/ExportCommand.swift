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
        abstract: "Export a capture's events as a Parquet table for DuckDB, Spark or pandas.",
        discussion: """
        One capture is written as DIR/events.parquet and DIR/processes.parquet. Several captures (or \
        --partition) make a Hive-style dataset that DuckDB, Spark and pyarrow read as one table with host, date \
        and hour columns: DIR/events/host=H/date=YYYY-MM-DD/hour=HH/NAME.parquet (UTC hours) and \
        DIR/processes/host=H/NAME.parquet.

        events.parquet: one row per event that passes the filter, one column per exported filter \
        field, named as the field (evt.type, proc.name, fd.name...), typed (evt.time is a UTC timestamp in \
        nanoseconds), strings dictionary-encoded, pages compressed with ZSTD, row groups of 131072 events with \
        min/max statistics; processes.parquet: one row per process lifetime in the time window (pid, \
        ppid, command line, user, start, end, exit status), whatever the filter. docs/export.md lists the \
        columns and the schema versions.

        \(ExitStatus.helpText)

        Examples:
          kcap export trace.kcap -o out/
          kcap export trace.kcap -o out/ 'proc.name=nginx and evt.type in (read, write)'
          kcap export host1/*.kcap host2/*.kcap -o fleet/
          duckdb -c "SELECT host, count(*) FROM read_parquet('fleet/events/**/*.parquet', hive_partitioning=true) GROUP BY 1"
          duckdb -c "SELECT \\"evt.type\\", count(*) FROM 'out/events.parquet' GROUP BY 1 ORDER BY 2 DESC"
        """
    )

    /// Output formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case parquet
    }

    @Argument(help: "FILE... [FILTER...]: the captures (every leading word that names a file), then an optional filter in sysdig syntax.")
    var words: [String]

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("The directory to write into (created when missing).", valueName: "dir"))
    var output: String

    @Option(name: .long, help: "The output format: parquet.")
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
        // Leading words that name files are the captures (the first one always is); the rest is the filter.
        var captures = [words[0]]
        var rest = Array(words.dropFirst())
        while let w = rest.first, FileManager.default.fileExists(atPath: w) {
            captures.append(w)
            rest.removeFirst()
        }
        let filterText = rest.joined(separator: " ")
        let partitioned = partition || captures.count > 1
        var damaged = false
        for (i, path) in captures.enumerated() {
            // Several captures may share a file name (one per host, each `trace.kcap`): their position keeps
            // the dataset's files apart.
            let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            let name = captures.count > 1 ? "\(stem)-\(i + 1)" : stem
            damaged = try export(path, name: name, filterText: filterText, partitioned: partitioned) || damaged
        }
        if damaged { throw ExitCode(ExitStatus.problems) }
    }

    /// Exports one capture; true when it had damage (reported on stderr).
    func export(_ path: String, name: String, filterText: String, partitioned: Bool) throws -> Bool {
        let reader: CaptureReader
        do { reader = try CaptureReader(path: path) } catch { fail("\(error)") }
        // Source → engine → filter → Parquet sinks, as `kcap read` wires its printing sinks.
        let replay = Replay(source: CaptureFileSource(reader: reader))
        let engine = replay.engine
        var options = ReadPipeline.Options()
        if !filterText.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                options.filter = try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: engine.machine))
                    .compile(filterText, for: Event.self)
            } catch {
                fail("\(error)")
            }
        }
        do { (options.startNs, options.endNs) = try replay.window(since: since, until: until) } catch { fail("\(error)") }

        let metadata = [("kcap.source", (path as NSString).lastPathComponent), ("kcap.hostname", reader.header.hostname)]
        let createdBy = "kcap version \(KcapVersion.string)"
        let printer = EventPrinter(engine: engine)
        let host = HivePartition(host: reader.header.hostname, wallNs: 0)
        let processDir = partitioned ? "\(output)/processes/\(host.hostDirectory)" : output
        do {
            try FileManager.default.createDirectory(atPath: processDir, withIntermediateDirectories: true)
        } catch {
            fail("\(processDir): cannot create the directory (\(error.localizedDescription))")
        }
        let processes: ProcessesTableSink
        do {
            processes = try ProcessesTableSink(path: "\(processDir)/\(partitioned ? name : "processes").parquet",
                                               metadata: metadata, createdBy: createdBy)
            if partitioned {
                let events = PartitionedEventSink(root: "\(output)/events", name: name, host: reader.header.hostname,
                                                  printer: printer, metadata: metadata, createdBy: createdBy)
                _ = try ReadPipeline.run(replay, events: events, processes: processes, options: options)
            } else {
                let events = try ParquetEventSink(path: "\(output)/events.parquet", printer: printer, metadata: metadata,
                                                  createdBy: createdBy)
                _ = try ReadPipeline.run(replay, events: events, processes: processes, options: options)
            }
        } catch {
            fail("\(error)")
        }
        for problem in reader.problems.map(\.description) + reader.omittedProblemLines + engine.limitWarnings {
            FileHandle.standardError.write(Data("warning: \(path): \(problem)\n".utf8))
        }
        return !reader.problems.isEmpty
    }

    /// Prints `message` as one line on stderr and exits with status 1.
    func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("kcap export: \(message)\n".utf8))
        Foundation.exit(1)
    }
}
