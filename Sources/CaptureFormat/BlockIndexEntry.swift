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
        b.storeLittleEndian(offset, at: Layout.offset)
        b.storeLittleEndian(type.rawValue, at: Layout.type)
        b.storeLittleEndian(flags, at: Layout.flags)
        b.storeLittleEndian(recordCount, at: Layout.recordCount)
        b.storeLittleEndian(firstTimestampNs, at: Layout.firstTimestamp)
        b.storeLittleEndian(lastTimestampNs, at: Layout.lastTimestamp)
        b.storeLittleEndian(storedLength, at: Layout.storedLength)
        b.storeLittleEndian(rawLength, at: Layout.rawLength)
    }

    /// Decodes the first `Layout.size` bytes of `b`. Values are not checked against a file: `FooterIndex`
    /// does that, knowing where the blocks may lie.
    init(decoding b: UnsafeRawBufferPointer) throws(Invalid) {
        func field<T: FixedWidthInteger>(_: T.Type, _ at: Int) throws(Invalid) -> T {
            guard let v = b.littleEndian(T.self, at: at) else { throw .short }
            return v
        }
        guard b.count >= Layout.size else { throw .short }
        self.init(offset: try field(UInt64.self, Layout.offset),
                  type: BlockType(rawValue: try field(UInt16.self, Layout.type)),
                  flags: try field(UInt16.self, Layout.flags),
                  recordCount: try field(UInt32.self, Layout.recordCount),
                  firstTimestampNs: try field(UInt64.self, Layout.firstTimestamp),
                  lastTimestampNs: try field(UInt64.self, Layout.lastTimestamp),
                  storedLength: try field(UInt32.self, Layout.storedLength),
                  rawLength: try field(UInt32.self, Layout.rawLength))
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
