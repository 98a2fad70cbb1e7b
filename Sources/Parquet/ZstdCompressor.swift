import CZstd

/// ZSTD through Debian's libzstd, with one compression context and one output buffer reused for every page.
final class ZstdCompressor {
    private let context: OpaquePointer
    /// The compression level (1 is fast and already far smaller than the raw pages).
    let level: Int32
    private var output: [UInt8] = []

    init(level: Int32) {
        // ZSTD_createCCtx fails only when memory is exhausted, where nothing else would work either.
        context = ZSTD_createCCtx()!
        self.level = level
    }

    deinit { ZSTD_freeCCtx(context) }

    /// Compresses `input`; the result is valid until the next call. Throws with the column's name.
    func compress(_ input: [UInt8], column: String) throws(ParquetError) -> ArraySlice<UInt8> {
        let bound = ZSTD_compressBound(input.count)
        if output.count < bound { output = [UInt8](repeating: 0, count: bound) }
        let written = input.withUnsafeBytes { src in
            output.withUnsafeMutableBytes { dst in
                ZSTD_compressCCtx(context, dst.baseAddress, dst.count, src.baseAddress, src.count, level)
            }
        }
        if ZSTD_isError(written) != 0 {
            throw .compression(column: column, reason: String(cString: ZSTD_getErrorName(written)))
        }
        return output[0..<written]
    }
}
