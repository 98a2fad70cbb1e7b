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
