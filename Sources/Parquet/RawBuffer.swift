/// A growable buffer of trivial values whose append is one capacity check and a store: the per-row storage
/// of a column (Array's append also checks uniqueness through a runtime call, a third of the export's time).
/// Owned by one `ParquetColumn`, which frees it.
@usableFromInline
struct RawBuffer<T> {
    @usableFromInline var base: UnsafeMutablePointer<T>
    @usableFromInline var count = 0
    @usableFromInline var capacity: Int

    init(capacity: Int = 1024) {
        self.capacity = Swift.max(16, capacity)
        base = .allocate(capacity: self.capacity)
    }

    @inlinable @inline(__always)
    mutating func append(_ v: T) {
        if count == capacity { grow() }
        (base + count).initialize(to: v)
        count += 1
    }

    @usableFromInline
    mutating func grow() {
        let bigger = UnsafeMutablePointer<T>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }

    /// The values.
    var values: UnsafeBufferPointer<T> { UnsafeBufferPointer(start: base, count: count) }

    /// Forgets the values, keeping the storage (T is trivial: nothing to deinitialize).
    mutating func removeAll() { count = 0 }

    /// Frees the storage; the buffer must not be used after.
    func deallocate() { base.deallocate() }
}
