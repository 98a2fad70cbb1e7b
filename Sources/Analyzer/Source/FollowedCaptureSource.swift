import CaptureFormat

/// A capture still being written (`kcap read -f`), as `tail -f` follows a log: each `feed` reopens the file,
/// hands over the complete blocks that landed since the last one (by file offset), and leaves a block the
/// recorder is still writing for the next call. `isFinished` once the file has its footer (the recorder
/// stopped) and everything was handed over.
public struct FollowedCaptureSource: WindowedRecordSource {
    /// The file.
    public let path: String
    /// The header's machine (x86_64 when it names none), from the first open.
    public let machine: String
    /// The header's realtime offset, from the first open.
    public let realtimeOffsetNs: Int64
    /// File offset of the first block not handed over yet.
    public private(set) var nextOffset: UInt64 = 0
    /// True once the file was finished (footer written) and all of it was handed over.
    public private(set) var isFinished = false
    /// Ignored: the file is followed from its start, so the state is whole; the sink drops the events before
    /// a `--since` (`FilteredSink.startNs`).
    public var startNs: UInt64?
    /// Problems of the last open other than the block being written at the end (which is expected).
    public private(set) var problems: [CaptureProblem] = []

    /// A source following `path`. Throws `CaptureError` when it is not a capture (yet: a file with no header
    /// block is not one).
    public init(path: String) throws {
        let reader = try CaptureReader(path: path)
        self.path = path
        machine = reader.header.machine.isEmpty ? "x86_64" : reader.header.machine
        realtimeOffsetNs = reader.header.bootTimeRealtimeOffsetNs
    }

    /// Hands over the blocks that are complete now and were not handed over before. Returns false when the
    /// receiver stopped. Throws `CaptureError` when the file cannot be read any more (removed, replaced).
    public mutating func feed<Receiver: RecordReceiver>(into receiver: inout Receiver) throws -> Bool {
        let reader = try CaptureReader(path: path)
        let finishedNow = reader.isFinished
        // The block being written is cut at the end of the file: not a problem while the recorder runs.
        problems = reader.problems.filter { finishedNow || $0.kind != .truncatedBlock }
        for i in reader.index.indices where reader.index[i].offset >= nextOffset {
            let entry = reader.index[i]
            defer { nextOffset = entry.offset + entry.totalLength }
            guard let block = try reader.block(at: i) else { continue }
            switch block {
            case .snapshot(let s):
                receiver.load(s)
            case .counters:
                break
            case .events(let view):
                var walker = RecordWalker(view.bytes)
                while let record = walker.next() {
                    if !receiver.receive(record) { return false }
                }
            }
        }
        isFinished = finishedNow
        return true
    }
}
