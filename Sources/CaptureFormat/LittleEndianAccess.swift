// Bounds-checked little-endian loads and stores at a codec's named field offsets (the fixed-layout codecs:
// preamble, block frame, index entry, footer, trailer). Offsets come from each codec's `Layout`; nothing here
// knows a layout.

extension UnsafeRawBufferPointer {
    /// The little-endian integer at byte `offset`, nil when the buffer does not hold all its bytes there
    /// (compared without adding, so no offset can wrap past the check).
    func littleEndian<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T? {
        let size = MemoryLayout<T>.size
        guard offset >= 0, offset <= count, size <= count - offset, let base = baseAddress else { return nil }
        return T(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    /// The `length` bytes at `offset`, nil when they are not all inside the buffer.
    func bytes(at offset: Int, length: Int) -> UnsafeRawBufferPointer? {
        guard offset >= 0, length >= 0, offset <= count, length <= count - offset else { return nil }
        return UnsafeRawBufferPointer(rebasing: self[offset..<(offset + length)])
    }
}

extension UnsafeMutableRawBufferPointer {
    /// Stores `value` little-endian at byte `offset`. Encoders size their buffer from the same `Layout`, so a
    /// store outside it is a bug in the encoder: it stops the program rather than write out of bounds.
    func storeLittleEndian<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        precondition(offset >= 0 && offset <= count && MemoryLayout<T>.size <= count - offset,
                     "encoder field at \(offset) overruns its \(count)-byte buffer")
        baseAddress!.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self)
    }

    /// Copies `bytes` to `offset` (same rule as `storeLittleEndian`).
    func storeBytes(_ bytes: [UInt8], at offset: Int) {
        precondition(offset >= 0 && offset <= count && bytes.count <= count - offset,
                     "encoder bytes at \(offset) overrun the \(count)-byte buffer")
        bytes.withUnsafeBytes { src in
            if let s = src.baseAddress, !bytes.isEmpty { (baseAddress! + offset).copyMemory(from: s, byteCount: bytes.count) }
        }
    }
}
