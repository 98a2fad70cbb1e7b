/// Why a sysdig/falco capture (scap) could not be read. Prints as one line naming the problem, the position
/// and what to do.
public struct ScapError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The bytes do not start with a section header block (0x0A0D0D0A), nor with a compression magic.
        case notScap
        /// The file is compressed in a way this reader does not inflate (zstd, LZ4 frames).
        case compressed
        /// The gzip stream is damaged (bad data or checksum); what inflated before the damage is kept.
        case inflate
        /// The inflated capture is larger than the reader's bound.
        case tooLarge
        /// A block header claims a length that cannot be right (too small, unaligned, or larger than the limit).
        case badBlockLength
        /// The section header's byte-order magic is neither 0x1A2B3C4D nor its byte swap.
        case badByteOrder
        /// A block's trailing length differs from its leading one, or a block's body contradicts itself.
        case corrupt
    }
    public var kind: Kind
    public var offset: Int
    public var message: String

    public init(_ kind: Kind, offset: Int, _ message: String) {
        self.kind = kind
        self.offset = offset
        self.message = message
    }

    public var description: String { "\(message) (at byte \(offset))" }
}
