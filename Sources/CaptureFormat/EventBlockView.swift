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

    /// Walks the records in file order with no allocation. The reader checked the framing when it read
    /// the block (`bytes` is the valid prefix), so the walk ends only at the end.
    @inlinable public func forEachRecord(_ body: (RecordView) throws -> Void) rethrows {
        var walker = RecordWalker(bytes)
        while let record = walker.next() { try body(record) }
    }
}
