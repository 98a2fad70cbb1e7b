/// Walks records laid end to end (a decompressed event chunk, a run the recorder drained), each framed by its
/// own `hdr.len`. The one place that knows how records are framed: the reader's chunk check, the replay,
/// live output and the benchmarks all walk with it.
///
/// It stops at the end of the bytes or at the first record whose framing is impossible; `stop` then says
/// why and `offset` where, so a caller can report the damage (the reader) or keep a record cut by a read
/// boundary for later (a stream).
public struct RecordWalker: IteratorProtocol, Sequence {
    /// Why a walk ended.
    public enum Stop: Equatable, Sendable {
        /// Not yet: records remain.
        case none
        /// Every byte was a whole record.
        case end
        /// Fewer bytes than a header remain (`left` of them).
        case partialHeader(left: Int)
        /// A record's length is impossible: under a header, over `KCAP_RECORD_MAX`, or not aligned.
        case badLength(Int, left: Int)
        /// A well-formed length runs past the bytes (`left` remain): cut, or the rest is missing.
        case cut(length: Int, left: Int)
    }

    /// The records.
    public let bytes: UnsafeRawBufferPointer
    // Stored apart from their read-only faces so that `next()` can be inlined into each walking loop (the
    // replay's per-record path), which a `private(set)` setter would forbid.
    @usableFromInline var nextOffset = 0
    @usableFromInline var handedOut = 0
    @usableFromInline var stopped = Stop.none
    @usableFromInline var done = false

    /// Offset of the next record (where the walk stopped, once it has).
    public var offset: Int { nextOffset }
    /// Records handed out so far.
    public var count: Int { handedOut }
    /// Why the walk ended (`.none` while it goes on).
    public var stop: Stop { stopped }

    /// A walk over `bytes` from the start.
    @inlinable public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// True for a `hdr.len` that a record can have.
    @inlinable @inline(__always)
    public static func isPossible(length len: Int) -> Bool {
        // One compare for the three conditions (at least a header, at most the maximum, aligned), as every
        // walk tests each record: `len - header`, rotated right by the alignment's bits, stays small only when
        // it did not wrap below zero and its low bits, which the rotation moves to the top, are zero. That
        // holds because the header size and the maximum are multiples of the alignment (ABILayoutTests).
        let excess = UInt(bitPattern: len &- KcapABI.Header.size)
        let bits = UInt(KcapABI.recordAlign.trailingZeroBitCount)
        let rotated = excess &>> bits | excess &<< (UInt(UInt.bitWidth) &- bits)
        return rotated <= UInt(KcapABI.recordMax - KcapABI.Header.size) &>> bits
    }

    /// The next record, or nil at the end or at damage (see `stop`).
    @inlinable @inline(__always)
    public mutating func next() -> RecordView? {
        guard !done else { return nil }
        let left = bytes.count - nextOffset
        guard left >= KcapABI.Header.size else { return finish(left == 0 ? .end : .partialHeader(left: left)) }
        // A whole header lies at nextOffset (checked just above), so its length field is read without a
        // second bounds check, and the record's bytes are made from the base pointer without a slice: this is
        // the per-record path of every replay.
        let base = bytes.baseAddress.unsafelyUnwrapped + nextOffset
        let len = Int(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: KcapABI.Header.len, as: UInt16.self)))
        guard Self.isPossible(length: len) else { return finish(.badLength(len, left: left)) }
        guard len <= left else { return finish(.cut(length: len, left: left)) }
        let record = RecordView(bytes: UnsafeRawBufferPointer(start: base, count: len))
        nextOffset += len
        handedOut += 1
        return record
    }

    /// Walks on to the end or to the first damage without handing records out, leaving `offset`, `count` and
    /// `stop` as a walk by `next()` would: the reader's chunk check needs only those, and this loop keeps the
    /// walk's state in registers (a third of the instructions of calling `next()` per record).
    @inlinable
    public mutating func skipAll() {
        guard !done, let base = bytes.baseAddress else { _ = finish(.end); return }
        let size = bytes.count
        var off = nextOffset, n = handedOut
        defer { nextOffset = off; handedOut = n }
        // Wrapping arithmetic cannot wrap here: off never passes size (len <= left), n never passes size.
        while true {
            let left = size &- off
            guard left >= KcapABI.Header.size else { _ = finish(left == 0 ? .end : .partialHeader(left: left)); return }
            let len = Int(UInt16(littleEndian: (base + off).loadUnaligned(fromByteOffset: KcapABI.Header.len, as: UInt16.self)))
            guard Self.isPossible(length: len) else { _ = finish(.badLength(len, left: left)); return }
            guard len <= left else { _ = finish(.cut(length: len, left: left)); return }
            off &+= len
            n &+= 1
        }
    }

    @inlinable
    mutating func finish(_ why: Stop) -> RecordView? {
        stopped = why
        done = true
        return nil
    }
}
