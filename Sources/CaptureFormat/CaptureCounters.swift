/// Cumulative counters since the recording started (totals over CPUs).
public struct CaptureCounters: Sendable, Equatable, Codable {
    /// Boot-time ns when read.
    public var timestampNs: UInt64
    /// Events that passed the kernel-side pre-filters.
    public var eventsSeen: UInt64
    /// Records committed to the ring buffer.
    public var eventsWritten: UInt64
    /// Records lost because the ring buffer was full.
    public var dropRingFull: UInt64
    /// Records lost because they would not fit KCAP_RECORD_MAX.
    public var dropTooLarge: UInt64
    /// Kernel-memory reads that failed (the record was still written, without the item).
    public var dropReadFail: UInt64
    /// Records lost in user space (the writer queue was full).
    public var dropUserQueue: UInt64

    /// Memberwise initializer with zero defaults.
    public init(timestampNs: UInt64 = 0, eventsSeen: UInt64 = 0, eventsWritten: UInt64 = 0, dropRingFull: UInt64 = 0,
                dropTooLarge: UInt64 = 0, dropReadFail: UInt64 = 0, dropUserQueue: UInt64 = 0) {
        self.timestampNs = timestampNs
        self.eventsSeen = eventsSeen
        self.eventsWritten = eventsWritten
        self.dropRingFull = dropRingFull
        self.dropTooLarge = dropTooLarge
        self.dropReadFail = dropReadFail
        self.dropUserQueue = dropUserQueue
    }

    /// Records lost for any reason (read failures excluded: those records were still written).
    public var eventsDropped: UInt64 { dropRingFull &+ dropTooLarge &+ dropUserQueue }

    // MARK: - Codec (the COUNTERS block payload; the one codec, for the writer and every reader)

    /// The payload's fields in order, each a u64 (docs/capture-format.md, "COUNTERS").
    private var fields: [UInt64] {
        [timestampNs, eventsSeen, eventsWritten, dropRingFull, dropTooLarge, dropReadFail, dropUserQueue]
    }
    /// Fields of the fixed part of the payload.
    static let fieldCount = 7
    /// Bytes of one field (u64).
    static let fieldSize = MemoryLayout<UInt64>.size
    /// Fixed part of the payload: `fieldCount` u64. Later versions append fields; readers ignore the extra bytes.
    static let payloadSize = fieldCount * fieldSize

    func encodedPayload() -> [UInt8] {
        var sink = ByteSink()
        for v in fields { sink.write(v) }
        return sink.bytes
    }

    /// Decodes the fixed part of a payload (bytes after it are ignored); throws `ByteCursor.Overrun` naming
    /// the first field that is missing. Field `i` is the u64 at `i * fieldSize`.
    static func decode(payload: UnsafeRawBufferPointer) throws -> CaptureCounters {
        guard payload.count >= payloadSize else {
            let missing = payload.count / fieldSize
            throw ByteCursor.Overrun(what: "counter \(missing)", position: missing * fieldSize)
        }
        func field(_ i: Int) -> UInt64 { payload.u64(at: i * fieldSize) ?? 0 }  // in bounds: checked above
        return CaptureCounters(timestampNs: field(0), eventsSeen: field(1), eventsWritten: field(2), dropRingFull: field(3),
                               dropTooLarge: field(4), dropReadFail: field(5), dropUserQueue: field(6))
    }
}
