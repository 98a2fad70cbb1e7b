import CaptureFormat
import ScapFormat

/// A sysdig/falco capture (scap) as a record source: its process, fd and user lists become a snapshot the
/// engine loads before the first event, and each event a kcap record (`ScapRecordTranslator`), so the same
/// engine, filters and sinks serve both formats. Damage stops the walk at the damaged block: every intact
/// block before it is handed over, and `problems` says what was wrong, one line each.
public final class ScapFileSource: WindowedRecordSource {
    /// The capture.
    public let capture: ScapCapture
    /// The machine info block, when the capture has one.
    public private(set) var machineInfo: ScapMachineInfo?
    /// Blocks by type, counted by the last feed (or `scan()`).
    public private(set) var blockCounts: [UInt32: Int] = [:]
    /// Event blocks handed over or hidden, by the last feed.
    public private(set) var eventCount: UInt64 = 0
    /// Events sysdig keeps out of its output (procinfo, container...), not handed over.
    public private(set) var hiddenEvents: UInt64 = 0
    /// Timestamps (ns since the epoch) of the first and last event.
    public private(set) var timeRange: (first: UInt64, last: UInt64)?
    /// Threads and fds listed by the state blocks.
    public private(set) var threadCount = 0, fdCount = 0
    /// One line per problem found (damage, truncation, inflate errors); the blocks before it were read.
    public private(set) var problems: [String] = []
    /// Where a `--since` window starts. A scap file has no index to seek by, so every event is still handed
    /// over and the sink's window (`FilteredSink.startNs`) drops those before it.
    public var startNs: UInt64?

    /// Opens the capture at `path` (gzip'd or not, told by its magic) and reads its state blocks.
    public convenience init(path: String) throws {
        try self.init(capture: ScapCapture(path: path))
    }

    public init(capture: ScapCapture) throws {
        self.capture = capture
        _ = try ScapBlockWalker(bytes: capture.bytes)  // the first block must be a section header
    }

    /// Recorded on x86_64: the scap format names no architecture, and the corpus is x86_64.
    public var machine: String { "x86_64" }
    /// scap timestamps are already ns since the epoch.
    public var realtimeOffsetNs: Int64 { 0 }

    private struct Stop: Error {}

    /// Walks every block without an engine: counts, time range, state sizes and problems (`kcap info`).
    public func scan() {
        struct Discard: RecordReceiver {
            mutating func load(_ snapshot: CaptureSnapshot) {}
            mutating func numberEvents(after n: UInt64) {}
            mutating func receive(_ record: RecordView) -> Bool { true }
            mutating func switchHost(to host: Int) {}
        }
        var d = Discard()
        _ = try? feed(into: &d)
    }

    /// Hands the state as a snapshot before the first event (and again after a later section's state
    /// blocks), then every shown event as a record. Returns false when the receiver stopped it.
    public func feed<Receiver: RecordReceiver>(into receiver: inout Receiver) throws -> Bool {
        let bytes = capture.bytes
        problems = capture.inflateProblem.map { [$0] } ?? []
        blockCounts = [:]
        eventCount = 0
        timeRange = nil
        threadCount = 0
        fdCount = 0
        var walker = try ScapBlockWalker(bytes: bytes)
        var translator = ScapRecordTranslator()
        var state = ScapSnapshotBuilder()
        var params = ScapEventParams()
        // Event blocks come in runs of one type: counted per run, not hashed per block.
        var lastEventType: UInt32 = 0, lastEventCount = 0
        func flushEventCount() { if lastEventCount > 0 { blockCounts[lastEventType, default: 0] += lastEventCount } }
        defer {
            flushEventCount()
            hiddenEvents = translator.hiddenEvents
        }
        while true {
            let block: ScapBlock
            do {
                guard let b = try walker.next() else { break }
                block = b
            } catch {
                problems.append("\(error); the blocks before it were read")
                break
            }
            do {
                if block.isEvent {
                    if block.type == lastEventType {
                        lastEventCount += 1
                    } else {
                        flushEventCount()
                        (lastEventType, lastEventCount) = (block.type, 1)
                    }
                    if state.hasContent {
                        let snapshot = state.snapshot(pidOf: &translator.pidOf, described: &translator.describedPids)
                        threadCount += snapshot.threads.count
                        fdCount += snapshot.fds.count
                        receiver.load(snapshot)
                        state = ScapSnapshotBuilder()
                    }
                    let header = try ScapEventHeader(block: block, in: bytes)
                    try params.decode(block, header: header, in: bytes)
                    eventCount += 1
                    if header.timestampNs != 0 {
                        timeRange = (min(timeRange?.first ?? .max, header.timestampNs), max(timeRange?.last ?? 0, header.timestampNs))
                    }
                    // Events are numbered as sysdig numbers them: hidden ones (procinfo...) count too.
                    receiver.numberEvents(after: eventCount - 1)
                    if !translator.translate(header, params, bytes, { receiver.receive($0) }) { return false }
                } else {
                    blockCounts[block.type, default: 0] += 1
                    if block.type == ScapBlock.machineInfo {
                        machineInfo = try ScapStateDecoder.machineInfo(block, in: bytes)
                    } else if ScapBlock.processLists.contains(block.type) {
                        state.threads += try ScapStateDecoder.threads(block, in: bytes)
                    } else if ScapBlock.fdLists.contains(block.type) {
                        state.fds.append(try ScapStateDecoder.fds(block, in: bytes))
                    } else if ScapBlock.userLists.contains(block.type) {
                        let (users, groups) = try ScapStateDecoder.users(block, in: bytes)
                        state.users.merge(users) { _, new in new }
                        state.groups.merge(groups) { _, new in new }
                    }
                    // Interface lists, section headers and unknown blocks: skipped by their length.
                }
            } catch {
                problems.append("\(error); the blocks before it were read")
                break
            }
        }
        if let at = walker.truncatedAt {
            problems.append("the capture ends inside the block at byte \(at) (truncated): every block before it was read")
        }
        return true
    }
}
