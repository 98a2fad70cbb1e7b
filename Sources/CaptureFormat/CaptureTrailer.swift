/// The last bytes of a finished file (docs/capture-format.md, "FOOTER (type 5) and trailer"): u64 offset of
/// the footer block, then `CaptureFileFormat.endMagic`. The one codec of it, for the writer and the reader
/// (and, as SPI, the fuzzer's capture model).
@_spi(CaptureCodec) public struct CaptureTrailer: Equatable {
    /// File offset of the footer block's frame.
    public var footerOffset: UInt64

    /// The trailer of a footer at `footerOffset`.
    public init(footerOffset: UInt64) { self.footerOffset = footerOffset }

    /// Where each field sits (byte offsets).
    enum Layout {
        /// u64 footer offset.
        static let footerOffset = 0
        /// The end magic.
        static let endMagic = 8
        /// The whole trailer.
        static let size = CaptureFileFormat.trailerSize
    }

    /// Why bytes are not a trailer.
    enum Invalid: Error, Equatable {
        /// Not exactly `Layout.size` bytes.
        case wrongSize
        /// The end magic is not there (an unfinished file, or damage).
        case noEndMagic
    }

    /// The trailer's `Layout.size` bytes.
    public func encoded() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Layout.size)
        bytes.withUnsafeMutableBytes { b in
            b.storeLE(footerOffset, at: Layout.footerOffset)
            b.storeBytes(CaptureFileFormat.endMagic, at: Layout.endMagic)
        }
        return bytes
    }

    /// Decodes the `Layout.size` bytes that end a file. The footer offset is not checked here: the reader
    /// checks it against the file.
    static func decode(_ b: UnsafeRawBufferPointer) throws(Invalid) -> CaptureTrailer {
        guard b.count == Layout.size,
              let magic = b.bytes(at: Layout.endMagic, length: CaptureFileFormat.endMagic.count),
              let footerOffset = b.u64(at: Layout.footerOffset) else { throw .wrongSize }
        guard magic.elementsEqual(CaptureFileFormat.endMagic) else { throw .noEndMagic }
        return CaptureTrailer(footerOffset: footerOffset)
    }

    /// Decodes a trailer held in an array.
    static func decode(_ bytes: [UInt8]) throws(Invalid) -> CaptureTrailer {
        let decoded: Result<CaptureTrailer, Invalid> = bytes.withUnsafeBytes { b in
            do throws(Invalid) { return .success(try decode(b)) } catch { return .failure(error) }
        }
        return try decoded.get()
    }
}
