/// The fixed part of one event block: the CPU, the flags (EVF blocks only) and ppm_evt_hdr
/// (timestamp, thread, length, ppm event type, parameter count). Old 0x204 blocks have no parameter count.
public struct ScapEventHeader: Sendable, Equatable {
    public var cpu: UInt16
    public var flags: UInt32
    public var timestampNs: UInt64
    public var tid: UInt64
    public var length: UInt32
    public var type: UInt16
    /// nil for 0x204/0x208 blocks, whose count comes from the event table.
    public var parameterCount: UInt32?
    /// Bytes per parameter length: 4 in the *_LARGE blocks (0x221, 0x222), 2 otherwise.
    public var parameterLengthSize: Int

    /// Decodes the header of an event block (`block.body` indexes `bytes`). Inlinable: it runs for every event.
    @inlinable @inline(__always)
    public init(block: ScapBlock, in bytes: UnsafeRawBufferPointer) throws(ScapError) {
        guard block.isEvent else { throw ScapError(.corrupt, offset: block.offset, "block 0x\(String(block.type, radix: 16)) is not an event block") }
        let withFlags = block.hasEventFlags
        let hasCount = block.type != 0x204 && block.type != 0x208
        let need = 2 + (withFlags ? 4 : 0) + 22 + (hasCount ? 4 : 0)
        guard block.body.count >= need, block.body.upperBound <= bytes.count else {
            throw ScapError(.corrupt, offset: block.offset, "event block of \(block.body.count) bytes is shorter than its \(need)-byte header")
        }
        let p = bytes.baseAddress! + block.body.lowerBound
        cpu = p.loadUnaligned(as: UInt16.self).littleEndian
        let h = withFlags ? 6 : 2
        flags = withFlags ? p.loadUnaligned(fromByteOffset: 2, as: UInt32.self).littleEndian : 0
        timestampNs = p.loadUnaligned(fromByteOffset: h, as: UInt64.self).littleEndian
        tid = p.loadUnaligned(fromByteOffset: h + 8, as: UInt64.self).littleEndian
        length = p.loadUnaligned(fromByteOffset: h + 16, as: UInt32.self).littleEndian
        type = p.loadUnaligned(fromByteOffset: h + 20, as: UInt16.self).littleEndian
        parameterCount = hasCount ? p.loadUnaligned(fromByteOffset: h + 22, as: UInt32.self).littleEndian : nil
        parameterLengthSize = (block.type == 0x221 || block.type == 0x222) ? 4 : 2
        guard Int(length) <= block.body.count - h else {
            throw ScapError(.corrupt, offset: block.offset, "event claims \(length) bytes but its block holds \(block.body.count)")
        }
    }

    /// Decodes the header of an event block of a capture held in memory.
    public init(block: ScapBlock, in bytes: [UInt8]) throws(ScapError) {
        self = try withScapBytes(bytes) { (b: UnsafeRawBufferPointer) throws(ScapError) in try ScapEventHeader(block: block, in: b) }
    }
}
