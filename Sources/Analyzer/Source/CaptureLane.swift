import CaptureFormat

/// One file's place in a merge: its next block, and what is due from it (a snapshot, or the next record of the
/// current chunk, held back until it is the earliest of all files).
///
/// In a set of several hosts' captures a lane also moves its file's timestamps to the set's clock (`shiftNs`,
/// each record copied once into the lane's own buffer with its time changed) and switches the receiver to its
/// host before handing anything over (`hostMap`: the file's host numbers as the set's; a merged capture's
/// `KCAP_REC_HOST` records and snapshots change the lane's host as they come).
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
    /// Added to every timestamp of the file (0: its clock is the set's).
    private let shiftNs: UInt64
    /// The file's host numbers as the set's; nil for a set of one host (no switch is ever made).
    private let hostMap: [Int]?
    /// The set's number of the host whose records are due.
    private var host = 0
    /// Where a moved record is copied (one record: the lane holds at most one back).
    private let moved: MovedRecord?

    /// A lane from the file's last snapshot at or before `startNs` (`CaptureReader.keyframeBlock`, on the
    /// file's own clock), every chunk after it included, so the state at `startNs` is exact; from the start
    /// when nil.
    init(reader: CaptureReader, startNs: UInt64?, shiftNs: UInt64 = 0, hostMap: [Int]? = nil) {
        self.reader = reader
        nextBlock = startNs.map { reader.keyframeBlock(atOrBefore: $0, hosts: reader.header.hosts.count) } ?? 0
        firstBlock = nextBlock
        self.shiftNs = shiftNs
        self.hostMap = hostMap
        host = hostMap?.first ?? 0
        moved = shiftNs != 0 ? MovedRecord() : nil
    }

    /// Records in the event chunks before the lane's first block (0 from the start).
    var skippedRecords: UInt64 {
        reader.index[..<firstBlock].filter { $0.type == .events }.reduce(UInt64(0)) { $0 + UInt64($1.recordCount) }
    }

    /// The file's host number `h` as the set's.
    private func setHost(_ h: UInt32) -> Int {
        guard let map = hostMap else { return 0 }
        return Int(h) < map.count ? map[Int(h)] : map[0]
    }

    /// The next record of the current chunk, host records applied, moved to the set's clock.
    @inline(__always)
    private mutating func nextRecord() -> RecordView? {
        guard hostMap != nil else { return walker.next() }
        while let r = walker.next() {
            if r.type == KcapABI.Host.recordType {
                if let h = r.hostNumber { host = setHost(h) }
                continue
            }
            guard let moved else { return r }
            return moved.copy(r, adding: shiftNs)
        }
        return nil
    }

    /// Moves to the next snapshot or record; `isDone` at the end of the file.
    mutating func advance() throws {
        if let r = nextRecord() {
            pending = r
            head = r.timestampNs
            return
        }
        pending = nil
        while nextBlock < reader.index.count {
            let i = nextBlock
            nextBlock += 1
            switch try reader.block(at: i) {
            case .snapshot(var s):
                if hostMap != nil {
                    if let h = s.host { host = setHost(h) }
                    if shiftNs != 0 { s.shift(by: shiftNs) }
                }
                snapshot = s
                head = s.timestampNs
                return
            case .events(let view):
                walker = RecordWalker(view.bytes)
                if let r = nextRecord() {
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
        if hostMap != nil { receiver.switchHost(to: host) }
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
            let was = host
            guard let next = nextRecord() else { break }
            if next.timestampNs > limit || host != was {
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

/// A lane's copy of one record, its timestamp moved to the set's clock.
final class MovedRecord {
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: KcapABI.recordMax, alignment: 8)

    deinit { buffer.deallocate() }

    /// `record` copied with `shift` added to its timestamp; valid until the next copy.
    func copy(_ record: RecordView, adding shift: UInt64) -> RecordView {
        let n = min(record.bytes.count, buffer.count)
        buffer.baseAddress!.copyMemory(from: record.bytes.baseAddress!, byteCount: n)
        let ts = record.timestampNs &+ shift
        buffer.storeBytes(of: ts.littleEndian, toByteOffset: KcapABI.Header.tsNs, as: UInt64.self)
        return RecordView(bytes: UnsafeRawBufferPointer(rebasing: buffer[..<n]))
    }
}

extension CaptureSnapshot {
    /// Moves every timestamp the snapshot holds by `ns` (a host's clock to a merged set's).
    mutating func shift(by ns: UInt64) {
        timestampNs &+= ns
        for i in threads.indices {
            if threads[i].startTimeNs != 0 { threads[i].startTimeNs &+= ns }
            if var c = threads[i].syscall, c.enteredNs != 0 {
                c.enteredNs &+= ns
                threads[i].syscall = c
            }
        }
    }
}
