/// Appends little-endian values to a growing byte array (payload encoders; not on a per-record path).
struct ByteSink {
    var bytes: [UInt8] = []

    mutating func write<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func write(_ raw: [UInt8]) { bytes.append(contentsOf: raw) }

    mutating func write(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            write(UInt32(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// Reserves a u32 length slot; `patchLength(at:)` fills it with the bytes written since.
    mutating func beginLength() -> Int {
        write(UInt32(0))
        return bytes.count
    }

    mutating func patchLength(at start: Int) {
        let n = UInt32(bytes.count - start).littleEndian
        withUnsafeBytes(of: n) { raw in
            for i in 0..<4 { bytes[start - 4 + i] = raw[i] }
        }
    }
}
