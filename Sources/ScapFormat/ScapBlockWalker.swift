/// Walks the blocks of an uncompressed scap file held in memory. Nothing in the file is trusted: every
/// length is checked against the bytes present and a limit before it is used; a file that ends inside a
/// block yields every complete block and then one `truncatedAt` warning instead of an error.
public struct ScapBlockWalker {
    /// Largest block accepted; libscap's own read buffer is far smaller, so a larger claim is a damaged length.
    public static let maxBlockLength = 64 << 20

    public let bytes: [UInt8]
    public private(set) var position = 0
    /// Set when the file ends inside a block: the offset of that incomplete block.
    public private(set) var truncatedAt: Int?
    /// Whether the current section was written big-endian (byte-order magic swapped).
    public private(set) var swapped = false

    /// Checks the first block is a section header; gzip input gets its own error so the user knows to inflate.
    public init(bytes: [UInt8]) throws(ScapError) {
        self.bytes = bytes
        if bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b {
            throw ScapError(.compressed, offset: 0, "the file is gzip-compressed: gunzip it first")
        }
        guard bytes.count >= 12, load32(0, swap: false) == ScapBlock.sectionHeader else {
            throw ScapError(.notScap, offset: 0, "not a sysdig/falco capture: no section header block (0x0A0D0D0A)")
        }
    }

    func load32(_ at: Int, swap: Bool) -> UInt32 {
        let v = UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
        return swap ? v.byteSwapped : v
    }

    /// The next complete block, nil at the end (or at a truncation, recorded in `truncatedAt`).
    public mutating func next() throws(ScapError) -> ScapBlock? {
        let start = position
        if start == bytes.count { return nil }
        guard bytes.count - start >= 12 else { truncatedAt = start; position = bytes.count; return nil }
        let type = load32(start, swap: false)
        if type == ScapBlock.sectionHeader {
            // A new section may change byte order: the magic follows the 8-byte header.
            let magic = load32(start + 8, swap: false)
            if magic == 0x1A2B3C4D { swapped = false }
            else if magic == 0x4D3C2B1A { swapped = true }
            else { throw ScapError(.badByteOrder, offset: start + 8, "section header byte-order magic 0x\(String(magic, radix: 16)) is not 0x1a2b3c4d") }
        }
        let length = Int(load32(start + 4, swap: swapped))
        guard length >= 12, length % 4 == 0, length <= ScapBlockWalker.maxBlockLength else {
            throw ScapError(.badBlockLength, offset: start, "block 0x\(String(type, radix: 16)) claims length \(length): the file is damaged here")
        }
        guard bytes.count - start >= length else { truncatedAt = start; position = bytes.count; return nil }
        let trailer = Int(load32(start + length - 4, swap: swapped))
        guard trailer == length else {
            throw ScapError(.corrupt, offset: start + length - 4, "block 0x\(String(type, radix: 16)) ends with length \(trailer), not \(length): the file is damaged here")
        }
        position = start + length
        return ScapBlock(type: swapped ? type.byteSwapped : type, offset: start, body: (start + 8)..<(start + length - 4))
    }
}
