import Foundation

/// A sysdig/falco capture's bytes, inflated when the file was gzip'd, with how it was stored. The kind of
/// file is told by its first bytes (magic), never by its name.
public struct ScapCapture: Sendable {
    /// The uncompressed capture: blocks from the first section header on.
    public let bytes: [UInt8]
    /// "gzip" when the file was gzip'd, nil when stored plain.
    public let compression: String?
    /// Set when a gzip stream was cut short or damaged: the bytes are what inflated before it.
    public let inflateProblem: String?
    /// Bytes of the file on disk.
    public let fileBytes: Int

    static let gzipMagic: [UInt8] = [0x1f, 0x8b]
    static let zstdMagic: [UInt8] = [0x28, 0xb5, 0x2f, 0xfd]
    static let lz4FrameMagic: [UInt8] = [0x04, 0x22, 0x4d, 0x18]
    static let sectionHeaderMagic: [UInt8] = [0x0a, 0x0d, 0x0d, 0x0a]

    /// True when `prefix` (a file's first bytes) starts like a scap capture: a section header block, or a
    /// compressed stream (kcap's own captures are never gzip, zstd or LZ4 framed as a whole).
    public static func looksLikeScap(_ prefix: [UInt8]) -> Bool {
        for magic in [sectionHeaderMagic, gzipMagic, zstdMagic, lz4FrameMagic] where prefix.starts(with: magic) { return true }
        return false
    }

    /// The capture held in `data` (the whole file), inflated when gzip'd.
    public init(data: [UInt8]) throws(ScapError) {
        fileBytes = data.count
        if data.starts(with: Self.gzipMagic) {
            let (inflated, problem) = try ScapInflater.gunzip(data)
            bytes = inflated
            compression = "gzip"
            inflateProblem = problem
        } else if data.starts(with: Self.zstdMagic) || data.starts(with: Self.lz4FrameMagic) {
            let tool = data.starts(with: Self.zstdMagic) ? "zstd -d" : "lz4 -d"
            throw ScapError(.compressed, offset: 0, "the capture is \(tool == "zstd -d" ? "zstd" : "LZ4")-compressed, which kcap does not inflate yet: run `\(tool) FILE` first")
        } else {
            bytes = data
            compression = nil
            inflateProblem = nil
        }
    }

    /// Reads and, when gzip'd, inflates the file at `path`.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScapError(.notScap, offset: 0, "cannot read \(path): check that it exists and is readable")
        }
        try self.init(data: [UInt8](data))
    }
}
