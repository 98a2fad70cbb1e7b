/// Raw records accumulated for one event chunk (~1 MiB). Reused: reset() keeps the storage.
///
/// The recorder's drain thread appends records straight from the ring buffer; when `append` returns false the
/// chunk is full: hand it to `CaptureWriter.write(_:)` and append again to a fresh (or reset) one. A copy of
/// the struct gets its own storage on its first mutation, so a chunk handed to another thread is never
/// changed under it.
///
/// `@unchecked Sendable`: the shared storage is only ever mutated after `isKnownUniquelyReferenced` says
/// this copy is its sole owner, so handing a copy to another thread (drain thread to writer thread) is safe.
public struct EventChunk: @unchecked Sendable {
    final class Storage {
        let buffer: ByteBuffer
        var byteCount = 0
        var recordCount = 0
        var firstTs: UInt64 = .max
        var lastTs: UInt64 = 0

        init(capacity: Int) { buffer = ByteBuffer(capacity: capacity) }

        func copy() -> Storage {
            let s = Storage(capacity: buffer.capacity)
            s.buffer.base.copyMemory(from: buffer.base, byteCount: byteCount)
            s.byteCount = byteCount
            s.recordCount = recordCount
            s.firstTs = firstTs
            s.lastTs = lastTs
            return s
        }
    }

    var storage: Storage
    /// Bytes the chunk holds before `append` reports it full.
    public let capacity: Int

    /// A chunk that seals at `capacity` raw bytes (clamped to the format's payload limit).
    public init(capacity: Int = CaptureFileFormat.defaultChunkCapacity) {
        let cap = min(max(capacity, KcapABI.recordMax), CaptureFileFormat.maxPayloadLength)
        self.capacity = cap
        storage = Storage(capacity: cap)
    }

    /// Copies one raw record (a kcap_hdr-framed record from the ring). Returns false when it does not fit:
    /// seal the chunk (hand it to the writer) and append again to a fresh one. A record of fewer than 8 bytes
    /// (no timestamp) or larger than the whole chunk is refused: false on an empty chunk means "drop it".
    ///
    /// When the buffer is longer than the record's own hdr.len (a ring sample padded by its producer), only
    /// hdr.len bytes are copied, because readers find the next record hdr.len bytes further on.
    public mutating func append(_ record: UnsafeRawBufferPointer) -> Bool {
        var n = record.count
        guard n >= 8, let src = record.baseAddress else { return false }
        if n >= KcapABI.Header.size {
            let len = RecordView(bytes: record).length
            if len >= KcapABI.Header.size && len < n && len % KcapABI.recordAlign == 0 { n = len }
        }
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        let s = storage
        guard n <= capacity - s.byteCount else { return false }
        (s.buffer.base + s.byteCount).copyMemory(from: src, byteCount: n)
        s.byteCount += n
        s.recordCount += 1
        let ts = RecordView(bytes: record).timestampNs
        // Records from several CPUs arrive slightly out of order: keep the range, not the ends.
        if ts < s.firstTs { s.firstTs = ts }
        if ts > s.lastTs { s.lastTs = ts }
        return true
    }

    /// Bytes `append`/`appendRun` can still take.
    public var freeBytes: Int { capacity - storage.byteCount }

    /// Copies a run of whole records at once (the drain's records of one CPU, contiguous in its buffer and in
    /// timestamp order): `count` records, the first stamped `firstTs`, the last `lastTs`. Returns false, copying
    /// nothing, when the run does not fit. The caller has framed the records (each hdr.len possible).
    public mutating func appendRun(_ run: UnsafeRawBufferPointer, count: Int, firstTs: UInt64, lastTs: UInt64) -> Bool {
        guard count > 0, let src = run.baseAddress else { return true }
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        let s = storage
        guard run.count <= capacity - s.byteCount else { return false }
        (s.buffer.base + s.byteCount).copyMemory(from: src, byteCount: run.count)
        s.byteCount += run.count
        s.recordCount += count
        if firstTs < s.firstTs { s.firstTs = firstTs }
        if lastTs > s.lastTs { s.lastTs = lastTs }
        return true
    }

    /// Records appended since the last reset.
    public var recordCount: Int { storage.recordCount }
    /// Raw bytes appended since the last reset.
    public var byteCount: Int { storage.byteCount }
    /// Smallest record timestamp (boot-time ns); 0 when empty.
    public var firstTimestampNs: UInt64 { storage.recordCount == 0 ? 0 : storage.firstTs }
    /// Largest record timestamp (boot-time ns); 0 when empty.
    public var lastTimestampNs: UInt64 { storage.lastTs }
    /// True when no record was appended since the last reset.
    public var isEmpty: Bool { storage.recordCount == 0 }

    /// Empties the chunk and keeps its storage for the next records.
    public mutating func reset() {
        if !isKnownUniquelyReferenced(&storage) {
            storage = Storage(capacity: capacity)
            return
        }
        storage.byteCount = 0
        storage.recordCount = 0
        storage.firstTs = .max
        storage.lastTs = 0
    }

    /// Whether this copy is the only owner of its storage (so `withUnsafeMutableBytes` and `reset` do not copy
    /// or allocate).
    public var isUniquelyOwned: Bool {
        mutating get { isKnownUniquelyReferenced(&storage) }
    }

    /// The raw records, writable in place during `body` (a chunk that shares its storage with a copy gets its
    /// own first).
    public mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return try body(UnsafeMutableRawBufferPointer(start: storage.buffer.base, count: storage.byteCount))
    }

    /// The raw records, valid during `body`.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: storage.buffer.base, count: storage.byteCount))
    }
}
