/// One block as listed in the footer index (or found by a forward scan).
public struct BlockIndexEntry: Sendable, Equatable, Codable {
    /// File offset of the block's frame.
    public var offset: UInt64
    /// Block type.
    public var type: BlockType
    /// Block flags from the frame (bit 0: LZ4).
    public var flags: UInt16
    /// Records in the block (event chunks), entries (snapshots), else 0 or 1.
    public var recordCount: UInt32
    /// Smallest timestamp in the block (boot-time ns), 0 when not applicable.
    public var firstTimestampNs: UInt64
    /// Largest timestamp in the block (boot-time ns), 0 when not applicable.
    public var lastTimestampNs: UInt64
    /// Payload bytes as stored (compressed).
    public var storedLength: UInt32
    /// Payload bytes after decompression.
    public var rawLength: UInt32

    /// Memberwise initializer.
    public init(offset: UInt64, type: BlockType, flags: UInt16, recordCount: UInt32, firstTimestampNs: UInt64,
                lastTimestampNs: UInt64, storedLength: UInt32, rawLength: UInt32) {
        self.offset = offset
        self.type = type
        self.flags = flags
        self.recordCount = recordCount
        self.firstTimestampNs = firstTimestampNs
        self.lastTimestampNs = lastTimestampNs
        self.storedLength = storedLength
        self.rawLength = rawLength
    }

    /// Bytes the block occupies in the file, frame included.
    public var totalLength: UInt64 { UInt64(CaptureFileFormat.frameSize) + UInt64(storedLength) }

    // MARK: - Codec (one entry of the footer index)

    /// Where each field sits in an encoded entry (byte offsets; docs/capture-format.md, "FOOTER").
    enum Layout {
        /// u64 file offset of the block's frame.
        static let offset = 0
        /// u16 block type.
        static let type = 8
        /// u16 block flags.
        static let flags = 10
        /// u32 record count.
        static let recordCount = 12
        /// u64 first timestamp.
        static let firstTimestamp = 16
        /// u64 last timestamp.
        static let lastTimestamp = 24
        /// u32 stored payload length.
        static let storedLength = 32
        /// u32 raw payload length.
        static let rawLength = 36
        /// One encoded entry.
        static let size = 40
    }

    /// Why bytes are not an index entry.
    enum Invalid: Error, Equatable {
        /// Fewer than `Layout.size` bytes.
        case short
    }

    /// Writes the entry into the first `Layout.size` bytes of `b`.
    func store(into b: UnsafeMutableRawBufferPointer) {
        b.storeLE(offset, at: Layout.offset)
        b.storeLE(type.rawValue, at: Layout.type)
        b.storeLE(flags, at: Layout.flags)
        b.storeLE(recordCount, at: Layout.recordCount)
        b.storeLE(firstTimestampNs, at: Layout.firstTimestamp)
        b.storeLE(lastTimestampNs, at: Layout.lastTimestamp)
        b.storeLE(storedLength, at: Layout.storedLength)
        b.storeLE(rawLength, at: Layout.rawLength)
    }

    /// Decodes the first `Layout.size` bytes of `b`. Values are not checked against a file: `FooterIndex`
    /// does that, knowing where the blocks may lie.
    init(decoding b: UnsafeRawBufferPointer) throws(Invalid) {
        guard b.count >= Layout.size, let offset = b.u64(at: Layout.offset), let type = b.u16(at: Layout.type),
              let flags = b.u16(at: Layout.flags), let records = b.u32(at: Layout.recordCount),
              let first = b.u64(at: Layout.firstTimestamp), let last = b.u64(at: Layout.lastTimestamp),
              let stored = b.u32(at: Layout.storedLength), let raw = b.u32(at: Layout.rawLength) else { throw .short }
        self.init(offset: offset, type: BlockType(rawValue: type), flags: flags, recordCount: records,
                  firstTimestampNs: first, lastTimestampNs: last, storedLength: stored, rawLength: raw)
    }
}

extension BlockType: Codable {
    /// Encodes as the raw u16.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
    /// Decodes from the raw u16.
    public init(from decoder: Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(UInt16.self))
    }
}
