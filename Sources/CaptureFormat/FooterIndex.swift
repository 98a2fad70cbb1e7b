/// The footer block's payload, the block index of a finished file (docs/capture-format.md, "FOOTER"): u32
/// entry count, then one `BlockIndexEntry` (`BlockIndexEntry.Layout.size` bytes) per block before the
/// footer, header included, in file order. The one codec of it: `CaptureWriter.finish()` encodes, the
/// reader decodes (and, as SPI, the fuzzer's capture model encodes).
@_spi(CaptureCodec) public struct FooterIndex: Equatable {
    /// Every block before the footer, in file order.
    public var entries: [BlockIndexEntry]

    /// An index of `entries`.
    public init(entries: [BlockIndexEntry]) { self.entries = entries }

    /// Where the parts of the payload sit (byte offsets).
    enum Layout {
        /// u32 number of entries.
        static let entryCount = 0
        /// The first entry; entry `i` starts at `entries + i * BlockIndexEntry.Layout.size`.
        static let entries = 4
    }

    /// Why a footer payload is not a usable index. `description` is the reader's problem text.
    enum Invalid: Error, Equatable, CustomStringConvertible {
        /// The count is missing, over `CaptureFileFormat.maxBlocks`, or disagrees with the payload's length.
        case countMismatch
        /// An entry's bytes are missing (cannot follow a count that matched the length; kept for safety).
        case entriesCutShort
        /// Entry `index` does not follow the one before it or does not end before the footer.
        case outOfBounds(index: Int, offset: UInt64)
        /// The first entry is not the header block at the end of the preamble (or there is none).
        case firstNotHeader

        var description: String {
            switch self {
            case .countMismatch: return "entry count does not match its length"
            case .entriesCutShort: return "entries cut short"
            case .outOfBounds(let index, let offset): return "entry \(index) at offset \(offset) is out of order or out of bounds"
            case .firstNotHeader: return "first entry is not the header"
            }
        }
    }

    /// The payload bytes: the count, then every entry.
    public func encodedPayload() -> [UInt8] {
        let entrySize = BlockIndexEntry.Layout.size
        var bytes = [UInt8](repeating: 0, count: Layout.entries + entries.count * entrySize)
        bytes.withUnsafeMutableBytes { b in
            b.storeLE(UInt32(entries.count), at: Layout.entryCount)
            for (i, e) in entries.enumerated() {
                let at = Layout.entries + i * entrySize
                e.store(into: UnsafeMutableRawBufferPointer(rebasing: b[at..<(at + entrySize)]))
            }
        }
        return bytes
    }

    /// Decodes a footer payload and checks that its entries tile the file in order from `firstBlockAt`
    /// (the end of the preamble) to `footerAt`, the first being the header. Nothing is reserved before the
    /// count is known to match the payload's length; offsets are compared without adding, so an offset near
    /// 2^64 cannot wrap past a check.
    static func decode(payload: UnsafeRawBufferPointer, firstBlockAt: UInt64, footerAt: UInt64) throws(Invalid) -> FooterIndex {
        let entrySize = BlockIndexEntry.Layout.size
        guard let count32 = payload.u32(at: Layout.entryCount) else { throw .countMismatch }
        let count = Int(count32)
        let (need, overflow) = count.multipliedReportingOverflow(by: entrySize)
        guard count <= CaptureFileFormat.maxBlocks, !overflow, payload.count - Layout.entries == need else {
            throw .countMismatch
        }
        var entries: [BlockIndexEntry] = []
        entries.reserveCapacity(count)
        var end = firstBlockAt
        for i in 0..<count {
            guard let bytes = payload.bytes(at: Layout.entries + i * entrySize, length: entrySize),
                  let e = try? BlockIndexEntry(decoding: bytes) else { throw .entriesCutShort }
            // Blocks must tile the file in order, between the preamble and the footer.
            guard e.offset >= end, e.storedLength <= UInt32(CaptureFileFormat.maxPayloadLength),
                  e.offset <= footerAt, e.totalLength <= footerAt - e.offset else {
                throw .outOfBounds(index: i, offset: e.offset)
            }
            end = e.offset + e.totalLength
            entries.append(e)
        }
        guard entries.first?.offset == firstBlockAt, entries.first?.type == .header else { throw .firstNotHeader }
        return FooterIndex(entries: entries)
    }
}
