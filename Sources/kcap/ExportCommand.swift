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
        Writes DIR/events.parquet: one row per event that passes the filter, one column per exported filter \
        field, named as the field (evt.type, proc.name, fd.name...), typed (evt.time is a UTC timestamp in \
        nanoseconds), strings dictionary-encoded, pages compressed with ZSTD, row groups of 131072 events with \
        min/max statistics; and DIR/processes.parquet: one row per process lifetime in the time window (pid, \
        ppid, command line, user, start, end, exit status), whatever the filter. docs/export.md lists the \
        columns and the schema versions.

        \(ExitStatus.helpText)

        Examples:
          kcap export trace.kcap -o out/
          kcap export trace.kcap -o out/ 'proc.name=nginx and evt.type in (read, write)'
          duckdb -c "SELECT \\"evt.type\\", count(*) FROM 'out/events.parquet' GROUP BY 1 ORDER BY 2 DESC"
        """
    )

    /// Output formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case parquet
    }

    @Argument(help: "FILE [FILTER...]: the capture, then an optional filter in sysdig syntax.")
    var words: [String]

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("The directory to write into (created when missing).", valueName: "dir"))
    var output: String

    @Option(name: .long, help: "The output format: parquet.")
    var format: Format = .parquet

    @Option(name: .long, help: "Start at this time: +2s from the start, -5s from the end, 2026-11-22T10:00:00Z, or 10:00:00 (UTC).")
    var since: String?

    @Option(name: .long, help: "Stop after this time (same forms as --since).")
    var until: String?

    func validate() throws {
        if words.isEmpty { throw ValidationError("give a capture: kcap export FILE -o DIR ['FILTER']") }
    }

    func run() throws {
        var rest = words
        let path = rest.removeFirst()
        let filterText = rest.joined(separator: " ")
        let reader: CaptureReader
        do { reader = try CaptureReader(path: path) } catch { fail("\(error)") }
        // Source → engine → filter → Parquet sink, as `kcap read` wires its printing sinks.
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

        do {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        } catch {
            fail("\(output): cannot create the directory (\(error.localizedDescription))")
        }
        let metadata = [("kcap.source", (path as NSString).lastPathComponent), ("kcap.hostname", reader.header.hostname)]
        let createdBy = "kcap version \(KcapVersion.string)"
        let events: ParquetEventSink, processes: ProcessesTableSink
        do {
            events = try ParquetEventSink(path: (output as NSString).appendingPathComponent("events.parquet"),
                                          printer: EventPrinter(engine: engine), metadata: metadata, createdBy: createdBy)
            processes = try ProcessesTableSink(path: (output as NSString).appendingPathComponent("processes.parquet"),
                                               metadata: metadata, createdBy: createdBy)
        } catch {
            fail("\(error)")
        }
        do { _ = try ReadPipeline.run(replay, events: events, processes: processes, options: options) } catch { fail("\(error)") }
        for problem in reader.problems.map(\.description) + reader.omittedProblemLines + engine.limitWarnings {
            FileHandle.standardError.write(Data("warning: \(path): \(problem)\n".utf8))
        }
        if !reader.problems.isEmpty { throw ExitCode(ExitStatus.problems) }
    }

    /// Prints `message` as one line on stderr and exits with status 1.
    func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("kcap export: \(message)\n".utf8))
        Foundation.exit(1)
    }
}
