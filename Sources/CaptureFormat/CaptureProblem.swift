/// An integrity problem found while reading a capture: the damaged part was skipped, the rest was kept.
public struct CaptureProblem: Sendable, Hashable, CustomStringConvertible, Codable {
    /// What kind of damage.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The file ends inside a block (the writer was killed, or the file was cut).
        case truncatedBlock
        /// No valid block frame where one was expected; the reader searched for the next one.
        case badFrame
        /// A frame's lengths, flags or time range are impossible or unknown to this reader.
        case badLength
        /// The payload's CRC32C does not match the frame.
        case badChecksum
        /// The payload did not decompress to the announced raw length.
        case badCompression
        /// A record inside an event chunk has an impossible length; the rest of that chunk was dropped.
        case badRecord
        /// A snapshot, counters or header payload did not decode.
        case badPayload
        /// The trailer or footer index is damaged; the reader scanned the file instead.
        case badFooter
        /// The block uses a flag this reader does not know (a newer minor version); skipped.
        case unsupportedBlock
        /// The capture holds more than a reader keeps (`StateLimits`: argv, threads, fds per snapshot); the
        /// excess was dropped. Real recordings stay within the limits, so this marks a crafted or damaged file.
        case overLimit
    }

    /// The kind of damage.
    public var kind: Kind
    /// Position of the block in the file (0 is the header block), or nil when not tied to one block.
    public var blockIndex: Int?
    /// File offset of the damaged block or bytes.
    public var offset: UInt64
    /// What is wrong, one sentence.
    public var message: String

    /// Makes a problem record.
    public init(_ kind: Kind, blockIndex: Int?, offset: UInt64, _ message: String) {
        self.kind = kind
        self.blockIndex = blockIndex
        self.offset = offset
        self.message = message
    }

    /// "block 3 at offset 1234: what".
    public var description: String {
        if let blockIndex { return "block \(blockIndex) at offset \(offset): \(message)" }
        return "offset \(offset): \(message)"
    }
}
