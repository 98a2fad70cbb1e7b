import CaptureFormat

/// The bounded hand-off between the drain thread and the writer thread: a fixed pool of event chunks
/// allocated up front. The drainer trades a full chunk for an empty one without allocating. When the writer
/// has fallen behind and no empty chunk is left, the drainer waits for one (up to `maxWaitNs`): meanwhile the
/// kernel ring, tens of MiB, keeps absorbing records, so a writer starved of CPU for a moment loses nothing
/// (measured: both cores saturated by a syscall loop for 30 s lost 0.04% of events when the drainer dropped
/// at once instead). Only a writer stuck longer than that costs the chunk's records, counted as
/// dropUserQueue; a full kernel ring is counted by the BPF program as ring-full drops.
final class ChunkPipeline {
    /// Guards everything below; condition `chunkReady` wakes the writer, `chunkFree` the drainer.
    private let lock = ConditionLock(conditions: 2)
    private static let chunkReady = 0
    private static let chunkFree = 1
    /// The longest wait a deadline may add to the monotonic clock without overflowing (about 146 years).
    private static let longestWaitNs: UInt64 = 1 << 62
    /// How long the drainer waits for an empty chunk before dropping a full one.
    let maxWaitNs: UInt64
    private var ready: [EventChunk] = []
    private var free: [EventChunk] = []
    private var closed = false
    private var droppedRecords: UInt64 = 0
    private let poolSize: Int

    /// A pipeline of `chunks` chunks of `capacity` raw bytes each (one is held by the drainer).
    init(chunks: Int, capacity: Int, maxWaitNs: UInt64 = 2_000_000_000) {
        poolSize = max(chunks, 2)
        self.maxWaitNs = maxWaitNs
        ready.reserveCapacity(poolSize)
        free.reserveCapacity(poolSize)
        for _ in 1..<poolSize { free.append(EventChunk(capacity: capacity)) }
    }

    /// Drainer side: hands `chunk` to the writer and replaces it with an empty one, waiting up to `maxWaitNs`
    /// for the writer to free one; if none comes, counts the chunk's records as dropped and empties it in
    /// place. Never allocates.
    /// `waitNs` overrides `maxWaitNs` (the drainer's last pass waits for a live printer, see BufferDrainer).
    func seal(_ chunk: inout EventChunk, waitNs: UInt64? = nil) {
        if chunk.isEmpty { return }
        let wait = min(waitNs ?? maxWaitNs, ChunkPipeline.longestWaitNs)
        let handedOver: Bool = lock.withLock {
            if free.isEmpty && !closed && wait > 0 {
                let deadline = BootClock.monotonicNs() + wait
                while free.isEmpty && BootClock.monotonicNs() < deadline {
                    lock.wait(ChunkPipeline.chunkFree, untilNs: deadline)
                }
            }
            guard let empty = free.popLast() else {
                droppedRecords += UInt64(chunk.recordCount)
                return false
            }
            ready.append(chunk)
            chunk = empty
            lock.signal(ChunkPipeline.chunkReady)
            return true
        }
        if !handedOver { chunk.reset() }
    }

    /// Drainer side: hands `chunk` to the writer if an empty one is free at once; false (nothing changed)
    /// otherwise. A drainer that may not wait on its writer uses it to leave records in the kernel buffers
    /// until the writer catches up, instead of dropping a chunk.
    func trySeal(_ chunk: inout EventChunk) -> Bool {
        if chunk.isEmpty { return true }
        return lock.withLock {
            guard let empty = free.popLast() else { return false }
            ready.append(chunk)
            chunk = empty
            lock.signal(ChunkPipeline.chunkReady)
            return true
        }
    }

    /// Drainer side: no more chunks will come.
    func close() {
        lock.withLock {
            closed = true
            lock.broadcast(ChunkPipeline.chunkReady)
        }
    }

    /// What `next` found.
    enum Next {
        case chunk(EventChunk)
        case timeout
        case closed
    }

    /// Writer side: the oldest sealed chunk, or `.timeout` once the monotonic clock passes `deadlineNs`,
    /// or `.closed` when the drainer is done and everything was taken.
    func next(deadlineNs: UInt64) -> Next {
        lock.withLock {
            while true {
                if !ready.isEmpty { return .chunk(ready.removeFirst()) }
                if closed { return .closed }
                if BootClock.monotonicNs() >= deadlineNs { return .timeout }
                lock.wait(ChunkPipeline.chunkReady, untilNs: deadlineNs)
            }
        }
    }

    /// Writer side: gives a written (and reset) chunk back to the pool. The caller hands over its only
    /// reference (`recycle(consume c)`), so the drainer later reuses the storage without a copy.
    func recycle(_ chunk: consuming EventChunk) {
        let returned = consume chunk
        lock.withLock {
            free.append(returned)
            lock.signal(ChunkPipeline.chunkFree)
        }
    }

    /// Records dropped because the writer was behind.
    var userQueueDrops: UInt64 { lock.withLock { droppedRecords } }
}
