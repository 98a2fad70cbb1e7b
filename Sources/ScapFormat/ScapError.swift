/// Why a sysdig/falco capture (scap) could not be read. Prints as one line naming the problem and position.
public struct ScapError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The bytes do not start with a section header block (0x0A0D0D0A).
        case notScap
        /// The file is gzip-compressed; this reader does not inflate yet.
        case compressed
        /// A block header claims a length that cannot be right (too small, unaligned, or larger than the limit).
        case badBlockLength
        /// The section header's byte-order magic is neither 0x1A2B3C4D nor its byte swap.
        case badByteOrder
        /// A block's trailing length differs from its leading one.
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
