import CZlib

/// Inflates a gzip'd capture (one or more gzip members, as `gzip` and sysdig write them) with zlib, under a
/// bound on the inflated size. A stream cut short or damaged keeps what inflated before the damage: the block
/// walker then reads up to the last complete block, as it does for an uncompressed file cut short.
public enum ScapInflater {
    /// Largest inflated capture accepted (the whole capture is held in memory).
    public static let maxInflatedBytes = 1 << 30

    /// The inflated bytes, and a one-line problem when the stream ended early or is damaged.
    public static func gunzip(_ input: [UInt8], limit: Int = maxInflatedBytes) throws(ScapError) -> (bytes: [UInt8], problem: String?) {
        var out: [UInt8] = []
        out.reserveCapacity(min(input.count * 8, limit))
        var stream = z_stream()
        // 15 + 32: a zlib or gzip header, detected by zlib.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ScapError(.inflate, offset: 0, "zlib could not start inflating (out of memory?)")
        }
        defer { inflateEnd(&stream) }
        let chunk = 256 << 10
        var buffer = [UInt8](repeating: 0, count: chunk)
        var problem: String? = nil
        var consumed = 0
        input.withUnsafeBufferPointer { inp in
            stream.next_in = UnsafeMutablePointer(mutating: inp.baseAddress)
            stream.avail_in = UInt32(inp.count)
            while true {
                let status: Int32 = buffer.withUnsafeMutableBufferPointer { b in
                    stream.next_out = b.baseAddress
                    stream.avail_out = UInt32(chunk)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk - Int(stream.avail_out)
                if out.count + produced > limit {
                    problem = "limit"
                    return
                }
                out.append(contentsOf: buffer[0..<produced])
                consumed = inp.count - Int(stream.avail_in)
                if status == Z_STREAM_END {
                    // Another gzip member may follow (concatenated .gz files); trailing zeros are padding.
                    if stream.avail_in == 0 || inp[consumed...].allSatisfy({ $0 == 0 }) { return }
                    guard inflateReset(&stream) == Z_OK else { problem = "the gzip stream could not restart at byte \(consumed)"; return }
                    continue
                }
                if status == Z_OK { continue }
                if status == Z_BUF_ERROR && stream.avail_in == 0 {
                    problem = "the gzip stream ends early (the file is truncated)"
                    return
                }
                problem = "the gzip stream is damaged near compressed byte \(consumed) (\(stream.msg.map { String(cString: $0) } ?? String(cString: zError(status))))"
                return
            }
        }
        if problem == "limit" {
            throw ScapError(.tooLarge, offset: consumed, "the capture inflates to more than \(limit >> 20) MiB, kcap's bound for a scap file: split it first")
        }
        return (out, problem)
    }
}
