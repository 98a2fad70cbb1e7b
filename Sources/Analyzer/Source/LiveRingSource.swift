import CaptureFormat

/// The live source: what the recorder drains from the kernel's ring while it records, the runs of raw
/// records it copied into chunks (laid end to end, each framed by its own `hdr.len`) and the snapshots it
/// took, handed to the engine in the order they came.
///
/// The recorder pushes (its writer thread calls `kcap record`'s sink per chunk); the engine pulls. `append`
/// queues what came and `feed` hands it over, walking each run in place with `RecordWalker` like the file
/// source walks a chunk. The queue keeps its storage, so a drain cycle allocates nothing.
public struct LiveRingSource: RecordSource {
    /// The recording host's machine (uname -m).
    public let machine: String
    /// Wall-clock ns = boot-time ns + this, as a capture header would record it.
    public let realtimeOffsetNs: Int64

    /// One item the recorder handed over.
    public enum Item {
        /// A thread/fd snapshot.
        case snapshot(CaptureSnapshot)
        /// A drained run of records.
        case records(EventChunk)
    }
    private var pending: [Item] = []

    /// A source for records of `machine` with the recorder's clock offset.
    public init(machine: String, realtimeOffsetNs: Int64) {
        self.machine = machine
        self.realtimeOffsetNs = realtimeOffsetNs
        pending.reserveCapacity(4)
    }

    /// Queues what the recorder handed over, for the next `feed`.
    public mutating func append(_ item: Item) { pending.append(item) }

    /// True when nothing waits to be fed.
    public var isEmpty: Bool { pending.isEmpty }

    /// Hands over everything queued, in order; returns false once the receiver stopped (the rest of the run
    /// and of the queue is dropped: the output has ended). A bad record length ends its run.
    public mutating func feed<Receiver: RecordReceiver>(into receiver: inout Receiver) throws -> Bool {
        defer { pending.removeAll(keepingCapacity: true) }
        for item in pending {
            switch item {
            case .snapshot(let s):
                receiver.load(s)
            case .records(let chunk):
                let more = chunk.withUnsafeBytes { Self.walk($0, into: &receiver) }
                if !more { return false }
            }
        }
        return true
    }

    /// Walks one run of records laid end to end into `receiver`; false once it stopped.
    @inline(__always)
    static func walk<Receiver: RecordReceiver>(_ bytes: UnsafeRawBufferPointer, into receiver: inout Receiver) -> Bool {
        // The drain framed each record by its own hdr.len; a bad length ends the run.
        var walker = RecordWalker(bytes)
        while let record = walker.next() {
            if !receiver.receive(record) { return false }
        }
        return true
    }
}
