import Foundation

/// A sysdig/falco capture held whole in memory, inflated when it was compressed (gzip, zstd, LZ4 frames),
/// with how it was stored. For tests, fuzzing and small inputs: reading a file goes through `ScapReader`,
/// which streams it in bounded memory. The kind of file is told by its first bytes (magic), never by its name.
public struct ScapCapture: Sendable {
    /// Largest inflated capture held in memory.
    public static let maxInflatedBytes = 1 << 30

    /// The uncompressed capture: blocks from the first section header on.
    public let bytes: [UInt8]
    /// "gzip", "zstd" or "lz4" when the file was compressed, nil when stored plain.
    public let compression: String?
    /// Set when a compressed stream was cut short or damaged: the bytes are what inflated before it.
    public let inflateProblem: String?
    /// Bytes of the file on disk.
    public let fileBytes: Int

    static let sectionHeaderMagic: [UInt8] = [0x0a, 0x0d, 0x0d, 0x0a]

    /// True when `prefix` (a file's first bytes) starts like a scap capture: a section header block, or a
    /// compressed stream (kcap's own captures are never gzip, zstd or LZ4 framed as a whole).
    public static func looksLikeScap(_ prefix: [UInt8]) -> Bool {
        prefix.starts(with: sectionHeaderMagic) || ScapCompression(magic: prefix) != nil
    }

    /// The capture held in `data` (the whole file), inflated when compressed.
    public init(data: [UInt8], limit: Int = ScapCapture.maxInflatedBytes) throws(ScapError) {
        fileBytes = data.count
        guard let kind = ScapCompression(magic: data) else {
            bytes = data
            compression = nil
            inflateProblem = nil
            return
        }
        let stream = kind.inflating(ScapMemoryStream(data))
        var out: [UInt8] = []
        let chunk = 256 << 10
        while true {
            let have = out.count
            out.append(contentsOf: repeatElement(0, count: chunk))
            let n = try withScapMutableBytes(&out) { (b: UnsafeMutableRawBufferPointer) throws(ScapError) -> Int in
                try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: b[have...]))
            }
            out.removeLast(chunk - n)
            if n == 0 { break }
            if out.count > limit {
                throw ScapError(.tooLarge, offset: 0, "the capture inflates to more than \(limit >> 20) MiB, kcap's bound for a capture held in memory")
            }
        }
        bytes = out
        compression = kind.rawValue
        inflateProblem = stream.problem
    }

    /// Reads and, when compressed, inflates the file at `path`.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScapError(.notScap, offset: 0, "cannot read \(path): check that it exists and is readable")
        }
        try self.init(data: [UInt8](data))
    }
}
