// Bounds-checked little-endian loads and stores at a codec's named field offsets (the fixed-layout codecs:
// preamble, block frame, index entry, footer, trailer, counters). Offsets come from each codec's `Layout`;
// nothing here knows a layout. One function per width rather than one generic: the frame decoder runs for
// every block a reader meets and every candidate frame of a resynchronising scan, and unspecialised generic
// code (a debug build) costs several times as much per call.

extension UnsafeRawBufferPointer {
    /// True when `size` bytes at `offset` lie inside the buffer (compared without adding, so no offset can
    /// wrap past the check).
    @inlinable @inline(__always)
    func holds(_ size: Int, at offset: Int) -> Bool {
        offset >= 0 && size >= 0 && offset <= count && size <= count - offset
    }

    /// The little-endian u16 at byte `offset`, nil when the buffer does not hold it.
    @inlinable @inline(__always)
    func u16(at offset: Int) -> UInt16? {
        guard holds(2, at: offset), let base = baseAddress else { return nil }
        return UInt16(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    /// The little-endian u32 at byte `offset`, nil when the buffer does not hold it.
    @inlinable @inline(__always)
    func u32(at offset: Int) -> UInt32? {
        guard holds(4, at: offset), let base = baseAddress else { return nil }
        return UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    /// The little-endian u64 at byte `offset`, nil when the buffer does not hold it.
    @inlinable @inline(__always)
    func u64(at offset: Int) -> UInt64? {
        guard holds(8, at: offset), let base = baseAddress else { return nil }
        return UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// The `length` bytes at `offset`, nil when they are not all inside the buffer.
    func bytes(at offset: Int, length: Int) -> UnsafeRawBufferPointer? {
        guard holds(length, at: offset) else { return nil }
        return UnsafeRawBufferPointer(rebasing: self[offset..<(offset + length)])
    }
}

// Encoders size their buffer from the same `Layout` they store at, so a store outside it is a bug in the
// encoder: it stops the program rather than write out of bounds.
extension UnsafeMutableRawBufferPointer {
    private func checkRoom(_ size: Int, at offset: Int) {
        precondition(offset >= 0 && offset <= count && size <= count - offset,
                     "encoder field at \(offset) overruns its \(count)-byte buffer")
    }

    /// Stores `value` little-endian at byte `offset`.
    func storeLE(_ value: UInt16, at offset: Int) {
        checkRoom(2, at: offset)
        baseAddress!.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt16.self)
    }

    /// Stores `value` little-endian at byte `offset`.
    func storeLE(_ value: UInt32, at offset: Int) {
        checkRoom(4, at: offset)
        baseAddress!.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self)
    }

    /// Stores `value` little-endian at byte `offset`.
    func storeLE(_ value: UInt64, at offset: Int) {
        checkRoom(8, at: offset)
        baseAddress!.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt64.self)
    }

    /// Copies `bytes` to `offset`.
    func storeBytes(_ bytes: [UInt8], at offset: Int) {
        checkRoom(bytes.count, at: offset)
        bytes.withUnsafeBytes { src in
            if let s = src.baseAddress, !bytes.isEmpty { (baseAddress! + offset).copyMemory(from: s, byteCount: bytes.count) }
        }
    }
}
