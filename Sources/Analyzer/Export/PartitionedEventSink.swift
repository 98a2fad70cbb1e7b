import Foundation
import Parquet

/// The events table split by hour into a Hive-style dataset: `ROOT/host=H/date=D/hour=HH/NAME.parquet`, one
/// `ParquetEventSink` per hour, opened when the first event of the hour comes (captures are in time order, so
/// each hour opens once; an hour met again gets `NAME-2.parquet`, never overwriting).
public struct PartitionedEventSink: EventSink {
    /// The dataset's root (`DIR/events`).
    public let root: String
    /// File name in each partition, without `.parquet`.
    public let name: String
    /// The host partition value.
    public let host: String
    /// The shared renderer.
    public let printer: EventPrinter
    private let metadata: [(key: String, value: String)]
    private let createdBy: String
    private let state = State()

    /// What changes as hours pass; a class, so the pipeline's copy of the sink shares it.
    final class State {
        var current: ParquetEventSink?
        var hour = Int64.min
        var opened: [String: Int] = [:]
        var rows: Int64 = 0
        var files: [String] = []
    }

    /// A dataset under `root` for `host`'s events, rendered by `printer`.
    public init(root: String, name: String, host: String, printer: EventPrinter,
                metadata: [(key: String, value: String)], createdBy: String) {
        self.root = root
        self.name = name
        self.host = host
        self.printer = printer
        self.metadata = metadata
        self.createdBy = createdBy
    }

    /// Events written, over every file.
    public var rowsWritten: Int64 { state.rows + (state.current.map { $0.writer.rowCount } ?? 0) }
    /// The files written, relative to `root`.
    public var files: [String] { state.files }

    /// Writes the event into its hour's file.
    public mutating func write(_ e: Event) throws(OutputError) {
        let hour = HivePartition.hour(of: e.realtimeNs)
        if hour != state.hour { try open(HivePartition(host: host, wallNs: e.realtimeNs)) }
        try state.current!.write(e)
    }

    /// Finishes the open file.
    public mutating func finish() throws(OutputError) {
        try close()
    }

    private func close() throws(OutputError) {
        guard var c = state.current else { return }
        state.current = nil
        try c.finish()
        state.rows += c.writer.rowCount
    }

    private func open(_ p: HivePartition) throws(OutputError) {
        try close()
        let dir = p.directory
        let n = (state.opened[dir] ?? 0) + 1
        state.opened[dir] = n
        let file = "\(dir)/\(name)\(n == 1 ? "" : "-\(n)").parquet"
        do {
            try FileManager.default.createDirectory(atPath: root + "/" + dir, withIntermediateDirectories: true)
        } catch {
            throw .export("\(root)/\(dir): cannot create the directory (\(error.localizedDescription))")
        }
        do {
            state.current = try ParquetEventSink(path: root + "/" + file, printer: printer, metadata: metadata,
                                                 createdBy: createdBy)
        } catch {
            throw .export(error.description)
        }
        state.hour = p.hour
        state.files.append(file)
    }
}
