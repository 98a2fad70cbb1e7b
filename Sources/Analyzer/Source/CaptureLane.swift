import CaptureFormat

/// One file's place in a merge: its next block, and what is due from it (a snapshot, or the next record of the
/// current chunk, held back until it is the earliest of all files).
struct CaptureLane {
    let reader: CaptureReader
    /// The next block of the index to read.
    private var nextBlock: Int
    /// The block the lane starts at.
    private let firstBlock: Int
    /// The current chunk's records (valid until the reader reads its next block).
    private var walker = RecordWalker(UnsafeRawBufferPointer(start: nil, count: 0))
    /// The record due next (already taken from `walker`).
    private var pending: RecordView? = nil
    /// The snapshot due next.
    private var snapshot: CaptureSnapshot? = nil
    /// Boot-time ns of what is due next; meaningless once `isDone`.
    private(set) var head: UInt64 = .max
    /// True when the file has nothing more.
    private(set) var isDone = false

    /// A lane from the file's last snapshot at or before `startNs` (`CaptureReader.keyframeBlock`), every
    /// chunk after it included, so the state at `startNs` is exact; from the start when nil.
    init(reader: CaptureReader, startNs: UInt64?) {
        self.reader = reader
        nextBlock = startNs.map { reader.keyframeBlock(atOrBefore: $0) } ?? 0
        firstBlock = nextBlock
    }

    /// Records in the event chunks before the lane's first block (0 from the start).
    var skippedRecords: UInt64 {
        reader.index[..<firstBlock].filter { $0.type == .events }.reduce(UInt64(0)) { $0 + UInt64($1.recordCount) }
    }

    /// Moves to the next snapshot or record; `isDone` at the end of the file.
    mutating func advance() throws {
        if let r = walker.next() {
            pending = r
            head = r.timestampNs
            return
        }
        pending = nil
        while nextBlock < reader.index.count {
            let i = nextBlock
            nextBlock += 1
            switch try reader.block(at: i) {
            case .snapshot(let s):
                snapshot = s
                head = s.timestampNs
                return
            case .events(let view):
                walker = RecordWalker(view.bytes)
                if let r = walker.next() {
                    pending = r
                    head = r.timestampNs
                    return
                }
            case .counters, nil:
                continue
            }
        }
        isDone = true
    }

    /// Hands over what is due from this file up to and including `limit` (the next file's head): a snapshot,
    /// or records in order while their timestamps do not pass it. False when the receiver stopped.
    @inline(__always)
    mutating func feed<Receiver: RecordReceiver>(into receiver: inout Receiver, until limit: UInt64) throws -> Bool {
        if let s = snapshot {
            snapshot = nil
            receiver.load(s)
            try advance()
            return true
        }
        guard var record = pending else {
            try advance()
            return true
        }
        while true {
            if !receiver.receive(record) { return false }
            guard let next = walker.next() else { break }
            if next.timestampNs > limit {
                pending = next
                head = next.timestampNs
                return true
            }
            record = next
        }
        pending = nil
        try advance()
        return true
    }
}
