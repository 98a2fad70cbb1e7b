import CKcapSupport
import CLZ4

/// Encodes whole blocks (frame and payload, compressed and checksummed) into memory the caller owns, for a
/// writer that keeps blocks before it knows which file they go to: the flight recorder holds its window as
/// encoded blocks in a ring and hands the ones it keeps to `CaptureWriter.append(encodedBlock:)`, which copies
/// them as they are. A frame holds no file offset (the footer index does), so an encoded block goes into
/// any file at any place. `CaptureWriter` encodes its own blocks the same way.
public enum BlockEncoder {
    /// The most bytes `encode` writes for a payload of `rawCount` bytes.
    public static func bound(rawCount: Int, compress: Bool) -> Int {
        BlockFrame.Layout.size + (compress ? max(Int(LZ4_compressBound(Int32(clamping: rawCount))), rawCount) : rawCount)
    }

    /// The most bytes an event chunk of `byteCount` raw bytes can take encoded, column-coded or not.
    public static func bound(chunkBytes byteCount: Int) -> Int {
        bound(rawCount: ColumnCoder.bound(recordBytes: byteCount), compress: true)
    }

    /// Encodes an event chunk (as `CaptureWriter.write(_:EventChunk)` does: column-coded with `coder` when one
    /// is given and the records walk, then LZ4) at `dest`, which has room for `bound(chunkBytes:
    /// chunk.byteCount)` bytes; returns the bytes written, 0 for an empty chunk.
    public static func encode(_ chunk: EventChunk, into dest: UnsafeMutableRawPointer, coder: ColumnCoder?) -> Int {
        guard !chunk.isEmpty else { return 0 }
        return chunk.withUnsafeBytes { records in
            if let coder, let coded = coder.encode(records) {
                return encode(.events, raw: coded, compress: true, recordCount: UInt32(chunk.recordCount),
                              firstTs: chunk.firstTimestampNs, lastTs: chunk.lastTimestampNs, into: dest,
                              extraFlags: CaptureFileFormat.flagColumns)
            }
            return encode(.events, raw: records, compress: true, recordCount: UInt32(chunk.recordCount),
                          firstTs: chunk.firstTimestampNs, lastTs: chunk.lastTimestampNs, into: dest)
        }
    }

    /// A snapshot's raw payload, to size the memory for `encode(snapshotPayload:...)`.
    public static func payload(of snapshot: CaptureSnapshot) -> [UInt8] { snapshot.encodedPayload() }

    /// Encodes a snapshot block from its `payload(of:)` at `dest` (room for `bound(rawCount: payload.count,
    /// compress: true)`); returns the bytes written.
    public static func encode(snapshotPayload payload: [UInt8], of snapshot: CaptureSnapshot,
                              into dest: UnsafeMutableRawPointer) -> Int {
        payload.withUnsafeBytes {
            encode(.snapshot, raw: $0, compress: true, recordCount: UInt32(clamping: snapshot.threads.count + snapshot.fds.count),
                   firstTs: snapshot.timestampNs, lastTs: snapshot.timestampNs, into: dest)
        }
    }

    /// Frames `raw` as one block at `dest` (room for `bound(rawCount: raw.count, compress:)` bytes), compressed
    /// when asked and when that makes it smaller (an incompressible payload is stored as it is, flag bit 0
    /// clear). Returns the bytes written (frame + stored payload). `raw.count` must be at most
    /// `CaptureFileFormat.maxPayloadLength`.
    static func encode(_ type: BlockType, raw: UnsafeRawBufferPointer, compress: Bool, recordCount: UInt32,
                       firstTs: UInt64, lastTs: UInt64, into dest: UnsafeMutableRawPointer, extraFlags: UInt16 = 0) -> Int {
        let rawCount = raw.count
        let payloadAt = dest + BlockFrame.Layout.size
        var stored = 0
        var flags: UInt16 = 0
        if compress, rawCount > 0, let src = raw.baseAddress {
            let bound = Int32(LZ4_compressBound(Int32(rawCount)))
            let n = LZ4_compress_default(src.assumingMemoryBound(to: CChar.self),
                                         payloadAt.assumingMemoryBound(to: CChar.self), Int32(rawCount), bound)
            if n > 0 && Int(n) < rawCount {
                stored = Int(n)
                flags = CaptureFileFormat.flagLZ4
            }
        }
        if flags == 0 {
            if rawCount > 0, let src = raw.baseAddress { payloadAt.copyMemory(from: src, byteCount: rawCount) }
            stored = rawCount
        }
        flags |= extraFlags
        let frame = BlockFrame(type: type, flags: flags, storedLength: UInt32(stored), rawLength: UInt32(rawCount),
                               recordCount: recordCount, payloadCRC: kcap_crc32c(0, payloadAt, stored),
                               firstTimestampNs: firstTs, lastTimestampNs: lastTs)
        frame.store(to: dest)
        return BlockFrame.Layout.size + stored
    }

    /// What an encoded block says about itself: type, records and time range, from its frame.
    public struct Summary: Equatable, Sendable {
        public var type: BlockType
        public var recordCount: UInt32
        public var firstTimestampNs: UInt64
        public var lastTimestampNs: UInt64
        /// Frame + stored payload.
        public var size: Int
    }

    /// Reads back the frame of an encoded block; nil when `bytes` is not one whole block (bad sync, frame CRC,
    /// or a stored length that does not match the byte count).
    public static func summary(of bytes: UnsafeRawBufferPointer) -> Summary? {
        guard let f = try? BlockFrame.parse(bytes), f.lengthProblem == nil,
              BlockFrame.Layout.size + Int(f.storedLength) == bytes.count else { return nil }
        return Summary(type: f.type, recordCount: f.recordCount, firstTimestampNs: f.firstTimestampNs,
                       lastTimestampNs: f.lastTimestampNs, size: bytes.count)
    }
}
