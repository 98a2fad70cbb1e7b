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

    /// Decodes the header of an event block; nil when the block is not an event block.
    public init(block: ScapBlock, in bytes: [UInt8]) throws(ScapError) {
        guard block.isEvent else { throw ScapError(.corrupt, offset: block.offset, "block 0x\(String(block.type, radix: 16)) is not an event block") }
        let withFlags = block.hasEventFlags
        let hasCount = block.type != 0x204 && block.type != 0x208
        let need = 2 + (withFlags ? 4 : 0) + 22 + (hasCount ? 4 : 0)
        guard block.body.count >= need else {
            throw ScapError(.corrupt, offset: block.offset, "event block of \(block.body.count) bytes is shorter than its \(need)-byte header")
        }
        var at = block.body.lowerBound
        func le(_ n: Int) -> UInt64 {
            var v: UInt64 = 0
            for i in 0..<n { v |= UInt64(bytes[at + i]) << (8 * UInt64(i)) }
            at += n
            return v
        }
        cpu = UInt16(le(2))
        flags = withFlags ? UInt32(le(4)) : 0
        timestampNs = le(8)
        tid = le(8)
        length = UInt32(le(4))
        type = UInt16(le(2))
        parameterCount = hasCount ? UInt32(le(4)) : nil
        parameterLengthSize = (block.type == 0x221 || block.type == 0x222) ? 4 : 2
        guard Int(length) <= block.body.count - (withFlags ? 6 : 2) else {
            throw ScapError(.corrupt, offset: block.offset, "event claims \(length) bytes but its block holds \(block.body.count)")
        }
    }
}
