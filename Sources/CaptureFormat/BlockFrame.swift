import CKcapSupport

/// The 48-byte frame in front of every block payload (docs/capture-format.md, "Block frame"): the one codec
/// of it, used by the writer (`store`) and the reader (`parse`), and (as SPI) by the fuzzer's capture model,
/// which rebuilds valid frames around mutated payloads.
@_spi(CaptureCodec) public struct BlockFrame: Equatable {
    public var type: BlockType
    public var flags: UInt16
    public var storedLength: UInt32
    public var rawLength: UInt32
    public var recordCount: UInt32
    public var payloadCRC: UInt32
    public var firstTimestampNs: UInt64
    public var lastTimestampNs: UInt64

    /// A frame of these fields.
    public init(type: BlockType, flags: UInt16, storedLength: UInt32, rawLength: UInt32, recordCount: UInt32,
                payloadCRC: UInt32, firstTimestampNs: UInt64, lastTimestampNs: UInt64) {
        self.type = type
        self.flags = flags
        self.storedLength = storedLength
        self.rawLength = rawLength
        self.recordCount = recordCount
        self.payloadCRC = payloadCRC
        self.firstTimestampNs = firstTimestampNs
        self.lastTimestampNs = lastTimestampNs
    }

    /// Where each field sits in the frame (byte offsets; docs/capture-format.md, "Block frame").
    public enum Layout {
        /// u32 `CaptureFileFormat.syncMarker`.
        static let syncMarker = 0
        /// u16 block type.
        static let type = 4
        /// u16 block flags.
        static let flags = 6
        /// u32 payload bytes in the file.
        static let storedLength = 8
        /// u32 payload bytes after decompression.
        static let rawLength = 12
        /// u32 record count.
        static let recordCount = 16
        /// u32 CRC32C of the stored payload.
        static let payloadCRC = 20
        /// u64 smallest record timestamp.
        static let firstTimestamp = 24
        /// u64 largest record timestamp.
        static let lastTimestamp = 32
        /// u32 reserved, 0.
        static let reserved = 40
        /// u32 CRC32C of every frame byte before it.
        static let frameCRC = 44
        /// The whole frame.
        public static let size = CaptureFileFormat.frameSize
    }

    /// Writes the frame (with its own CRC over the bytes before `Layout.frameCRC`) into `Layout.size` bytes at `p`.
    func store(to p: UnsafeMutableRawPointer) {
        store(into: UnsafeMutableRawBufferPointer(start: p, count: Layout.size))
    }

    /// Writes the frame into the first `Layout.size` bytes of `b`.
    func store(into b: UnsafeMutableRawBufferPointer) {
        b.storeLE(CaptureFileFormat.syncMarker, at: Layout.syncMarker)
        b.storeLE(type.rawValue, at: Layout.type)
        b.storeLE(flags, at: Layout.flags)
        b.storeLE(storedLength, at: Layout.storedLength)
        b.storeLE(rawLength, at: Layout.rawLength)
        b.storeLE(recordCount, at: Layout.recordCount)
        b.storeLE(payloadCRC, at: Layout.payloadCRC)
        b.storeLE(firstTimestampNs, at: Layout.firstTimestamp)
        b.storeLE(lastTimestampNs, at: Layout.lastTimestamp)
        b.storeLE(UInt32(0), at: Layout.reserved)
        let crc = kcap_crc32c(0, b.baseAddress, Layout.frameCRC)
        b.storeLE(crc, at: Layout.frameCRC)
    }

    /// The frame's `Layout.size` bytes.
    public func encoded() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Layout.size)
        bytes.withUnsafeMutableBytes { store(into: $0) }
        return bytes
    }

    /// Why bytes are not a valid frame.
    public enum Invalid: Error, Equatable {
        /// Fewer than `Layout.size` bytes.
        case short
        /// The first u32 is not the sync marker.
        case noSync
        /// The frame CRC does not check.
        case badCRC
    }

    /// Parses the first `Layout.size` bytes of `b`; checks the sync marker and the frame CRC only (lengths
    /// are checked by the caller, which knows the file size).
    public static func parse(_ b: UnsafeRawBufferPointer, checkingCRC: Bool = true) throws(Invalid) -> BlockFrame {
        guard b.count >= Layout.size, let sync = b.u32(at: Layout.syncMarker), let frameCRC = b.u32(at: Layout.frameCRC) else {
            throw .short
        }
        guard sync == CaptureFileFormat.syncMarker else { throw .noSync }
        // Unchecked only for the fuzzer's model, whose point is to repair the CRCs a mutation broke.
        guard !checkingCRC || kcap_crc32c(0, b.baseAddress, Layout.frameCRC) == frameCRC else { throw .badCRC }
        guard let type = b.u16(at: Layout.type), let flags = b.u16(at: Layout.flags),
              let stored = b.u32(at: Layout.storedLength), let raw = b.u32(at: Layout.rawLength),
              let records = b.u32(at: Layout.recordCount), let payloadCRC = b.u32(at: Layout.payloadCRC),
              let first = b.u64(at: Layout.firstTimestamp), let last = b.u64(at: Layout.lastTimestamp) else { throw .short }
        return BlockFrame(type: BlockType(rawValue: type), flags: flags, storedLength: stored, rawLength: raw,
                          recordCount: records, payloadCRC: payloadCRC, firstTimestampNs: first, lastTimestampNs: last)
    }

    /// nil when the lengths are possible; else what is wrong. Bounds every length before anything is allocated.
    var lengthProblem: String? {
        let maxLen = UInt32(CaptureFileFormat.maxPayloadLength)
        if storedLength > maxLen { return "stored length \(storedLength) exceeds the \(maxLen)-byte limit" }
        if rawLength > maxLen { return "raw length \(rawLength) exceeds the \(maxLen)-byte limit" }
        if flags & CaptureFileFormat.flagLZ4 != 0 {
            // LZ4 expands at most 255:1; and compressing never yields more than LZ4_compressBound.
            if UInt64(rawLength) > UInt64(storedLength) * 255 + 255 {
                return "raw length \(rawLength) is impossible for \(storedLength) LZ4 bytes"
            }
        } else if storedLength != rawLength {
            return "uncompressed block with stored length \(storedLength) != raw length \(rawLength)"
        }
        return nil
    }

    func indexEntry(offset: UInt64) -> BlockIndexEntry {
        BlockIndexEntry(offset: offset, type: type, flags: flags, recordCount: recordCount,
                        firstTimestampNs: firstTimestampNs, lastTimestampNs: lastTimestampNs,
                        storedLength: storedLength, rawLength: rawLength)
    }
}
