/// One decompressed event chunk. Valid only inside the `forEachBlock` callback that receives it.
public struct EventBlockView {
    /// The chunk's records, back to back; only the part whose framing checked out.
    public let bytes: UnsafeRawBufferPointer
    /// Records in `bytes`.
    public let recordCount: Int
    /// Smallest record timestamp in the chunk (from the frame).
    public let firstTimestampNs: UInt64
    /// Largest record timestamp in the chunk (from the frame).
    public let lastTimestampNs: UInt64
    /// Position of the block in the reader's index.
    public let blockIndex: Int
    /// File offset of the block's frame.
    public let fileOffset: UInt64

    /// Walks the records in file order with no allocation. The framing was validated when the block was
    /// read, so this loop does no checks of its own.
    @inlinable public func forEachRecord(_ body: (RecordView) throws -> Void) rethrows {
        guard let base = bytes.baseAddress else { return }
        let end = bytes.count
        var off = 0
        while off < end {
            let len = Int(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: off + 18, as: UInt16.self)))
            try body(RecordView(bytes: UnsafeRawBufferPointer(start: base + off, count: len)))
            off += len
        }
    }
}
