import CKcapSupport

/// The 48-byte frame in front of every block payload (docs/capture-format.md, "Block frame").
struct BlockFrame: Equatable {
    var type: BlockType
    var flags: UInt16
    var storedLength: UInt32
    var rawLength: UInt32
    var recordCount: UInt32
    var payloadCRC: UInt32
    var firstTimestampNs: UInt64
    var lastTimestampNs: UInt64

    /// Writes the frame (with its own CRC over bytes 0..<44) into 48 bytes at `p`.
    func store(to p: UnsafeMutableRawPointer) {
        p.storeBytes(of: CaptureFileFormat.syncMarker.littleEndian, toByteOffset: 0, as: UInt32.self)
        p.storeBytes(of: type.rawValue.littleEndian, toByteOffset: 4, as: UInt16.self)
        p.storeBytes(of: flags.littleEndian, toByteOffset: 6, as: UInt16.self)
        p.storeBytes(of: storedLength.littleEndian, toByteOffset: 8, as: UInt32.self)
        p.storeBytes(of: rawLength.littleEndian, toByteOffset: 12, as: UInt32.self)
        p.storeBytes(of: recordCount.littleEndian, toByteOffset: 16, as: UInt32.self)
        p.storeBytes(of: payloadCRC.littleEndian, toByteOffset: 20, as: UInt32.self)
        p.storeBytes(of: firstTimestampNs.littleEndian, toByteOffset: 24, as: UInt64.self)
        p.storeBytes(of: lastTimestampNs.littleEndian, toByteOffset: 32, as: UInt64.self)
        p.storeBytes(of: UInt32(0), toByteOffset: 40, as: UInt32.self)
        let crc = kcap_crc32c(0, p, 44)
        p.storeBytes(of: crc.littleEndian, toByteOffset: 44, as: UInt32.self)
    }

    /// Why 48 bytes are not a valid frame.
    enum Invalid: Error {
        case noSync, badCRC
    }

    /// Parses 48 bytes; checks the sync marker and the frame CRC only (lengths are checked by the caller,
    /// which knows the file size).
    static func parse(_ b: UnsafeRawBufferPointer) throws -> BlockFrame {
        precondition(b.count >= CaptureFileFormat.frameSize)
        func u16(_ o: Int) -> UInt16 { UInt16(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt16.self)) }
        func u32(_ o: Int) -> UInt32 { UInt32(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt32.self)) }
        func u64(_ o: Int) -> UInt64 { UInt64(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt64.self)) }
        guard u32(0) == CaptureFileFormat.syncMarker else { throw Invalid.noSync }
        guard kcap_crc32c(0, b.baseAddress, 44) == u32(44) else { throw Invalid.badCRC }
        return BlockFrame(type: BlockType(rawValue: u16(4)), flags: u16(6), storedLength: u32(8), rawLength: u32(12),
                          recordCount: u32(16), payloadCRC: u32(20), firstTimestampNs: u64(24), lastTimestampNs: u64(32))
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
