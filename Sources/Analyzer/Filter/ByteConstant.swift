/// A constant byte string kept in one allocated block for the life of a compiled filter, so that matching
/// an event passes a raw pointer instead of touching an Array (no retain, no bounds checks, no allocation).
final class ByteConstant: @unchecked Sendable {
    let base: UnsafeMutablePointer<UInt8>
    let count: Int

    init(_ bytes: [UInt8]) {
        count = bytes.count
        base = .allocate(capacity: max(1, bytes.count))
        base.initialize(from: bytes, count: bytes.count)
    }

    deinit { base.deallocate() }

    var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
}
