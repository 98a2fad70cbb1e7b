/// The bytes every capture starts with (docs/capture-format.md, "Preamble"): the magic, u16 major version,
/// u16 minor version, u32 flags. The one codec of it, for the writer and the reader (which adds its own
/// diagnosis of wrong magics: text-mode mangling, foreign formats).
struct CapturePreamble: Equatable {
    /// Major format version.
    var majorVersion: UInt16
    /// Minor format version.
    var minorVersion: UInt16
    /// Preamble flags (0 in 1.x; readers ignore bits they do not know).
    var flags: UInt32

    /// The preamble this code writes.
    static let current = CapturePreamble(majorVersion: CaptureFileFormat.majorVersion,
                                         minorVersion: CaptureFileFormat.minorVersion, flags: 0)

    /// Where each field sits (byte offsets).
    enum Layout {
        /// `CaptureFileFormat.magic`.
        static let magic = 0
        /// Bytes of the magic.
        static let magicSize = 8
        /// u16 major version.
        static let majorVersion = 8
        /// u16 minor version.
        static let minorVersion = 10
        /// u32 flags.
        static let flags = 12
        /// The whole preamble.
        static let size = CaptureFileFormat.preambleSize
    }

    /// Why bytes are not a preamble.
    enum Invalid: Error, Equatable {
        /// The bytes do not start with the magic.
        case badMagic
        /// The magic is there but the preamble is cut short.
        case short
    }

    /// True when `head` starts with the whole magic.
    static func startsWithMagic(_ head: [UInt8]) -> Bool {
        head.count >= Layout.magic + Layout.magicSize
            && head[Layout.magic..<(Layout.magic + Layout.magicSize)].elementsEqual(CaptureFileFormat.magic)
    }

    /// The preamble's `Layout.size` bytes.
    func encoded() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Layout.size)
        bytes.withUnsafeMutableBytes { store(into: $0) }
        return bytes
    }

    /// Writes the preamble into the first `Layout.size` bytes of `b`.
    func store(into b: UnsafeMutableRawBufferPointer) {
        b.storeBytes(CaptureFileFormat.magic, at: Layout.magic)
        b.storeLE(majorVersion, at: Layout.majorVersion)
        b.storeLE(minorVersion, at: Layout.minorVersion)
        b.storeLE(flags, at: Layout.flags)
    }

    /// Decodes the first `Layout.size` bytes of `head` (the start of a file). Versions are not judged here:
    /// the reader decides which it reads.
    static func decode(_ head: [UInt8]) throws(Invalid) -> CapturePreamble {
        guard startsWithMagic(head) else { throw .badMagic }
        guard head.count >= Layout.size else { throw .short }
        let decoded: CapturePreamble? = head.withUnsafeBytes { b in
            guard let major = b.u16(at: Layout.majorVersion),
                  let minor = b.u16(at: Layout.minorVersion),
                  let flags = b.u32(at: Layout.flags) else { return nil }
            return CapturePreamble(majorVersion: major, minorVersion: minor, flags: flags)
        }
        guard let decoded else { throw .short }
        return decoded
    }
}
