/// Reads little-endian values from a byte buffer, checking every length first. Used by the payload decoders
/// (snapshot, counters, footer); a short or damaged payload throws `ByteCursor.Overrun`, never traps.
struct ByteCursor {
    /// Thrown when a read would pass the end of the buffer or a length is implausible.
    struct Overrun: Error {
        /// What was being read.
        var what: String
        /// Cursor position when it failed.
        var position: Int
    }

    let bytes: UnsafeRawBufferPointer
    private(set) var position = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var remaining: Int { bytes.count - position }

    mutating func skip(_ n: Int, _ what: String) throws {
        guard n >= 0, n <= remaining else { throw Overrun(what: what, position: position) }
        position += n
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: String) throws -> T {
        let size = MemoryLayout<T>.size
        guard size <= remaining else { throw Overrun(what: what, position: position) }
        let v = bytes.loadUnaligned(fromByteOffset: position, as: T.self)
        position += size
        return T(littleEndian: v)
    }

    mutating func readBytes(_ n: Int, _ what: String) throws -> UnsafeRawBufferPointer {
        guard n >= 0, n <= remaining else { throw Overrun(what: what, position: position) }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[position..<(position + n)])
        position += n
        return slice
    }

    /// u32 length then UTF-8 bytes (invalid sequences become U+FFFD rather than failing).
    mutating func readString(_ what: String) throws -> String {
        let n = Int(try read(UInt32.self, what))
        let raw = try readBytes(n, what)
        return String(decoding: raw, as: UTF8.self)
    }

    /// A u32 count that must be satisfiable: each element takes at least `minElementSize` bytes, so a
    /// damaged count cannot make the caller reserve more than the payload could hold.
    mutating func readCount(minElementSize: Int, _ what: String) throws -> Int {
        let n = Int(try read(UInt32.self, what))
        guard n <= remaining / max(minElementSize, 1), n <= CaptureFileFormat.maxSnapshotEntries else {
            throw Overrun(what: "\(what) count \(n)", position: position - 4)
        }
        return n
    }
}
