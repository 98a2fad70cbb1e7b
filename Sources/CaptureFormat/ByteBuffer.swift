/// A growable block of raw memory owned by a reader or writer and reused for every block, so memory stays
/// at a few chunks whatever the file size. Not thread-safe; never shared.
final class ByteBuffer {
    private(set) var base: UnsafeMutableRawPointer
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    /// Makes room for `n` bytes; keeps the first `preserving` bytes. Callers bound `n` first.
    func reserve(_ n: Int, preserving: Int = 0) {
        guard n > capacity else { return }
        var newCap = capacity
        while newCap < n { newCap *= 2 }
        let fresh = UnsafeMutableRawPointer.allocate(byteCount: newCap, alignment: 16)
        if preserving > 0 { fresh.copyMemory(from: base, byteCount: preserving) }
        base.deallocate()
        base = fresh
        capacity = newCap
    }

    /// Gives memory back after an outsized block: when the buffer grew past `limit`, it becomes `limit` bytes
    /// again (contents are not kept), so one large snapshot does not keep tens of MB alive for the rest of
    /// the walk, or while the engine loads what was decoded from it.
    func shrink(to limit: Int) {
        guard capacity > limit else { return }
        base.deallocate()
        capacity = max(limit, 64)
        base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }
}
