import CaptureFormat
import Glibc

/// The bounded hand-off between the drain thread and the writer thread: a fixed pool of event chunks
/// allocated up front. The drainer trades a full chunk for an empty one without allocating. When the writer
/// has fallen behind and no empty chunk is left, the drainer waits for one (up to `maxWaitNs`): meanwhile the
/// kernel ring, tens of MiB, keeps absorbing records, so a writer starved of CPU for a moment loses nothing
/// (measured: both cores saturated by a syscall loop for 30 s lost 0.04% of events when the drainer dropped
/// at once instead). Only a writer stuck longer than that costs the chunk's records, counted as
/// dropUserQueue; a full kernel ring is counted by the BPF program as ring-full drops.
final class ChunkPipeline {
    private var mutex = pthread_mutex_t()
    private var cond = pthread_cond_t()
    /// Signalled when the writer gives a chunk back.
    private var freeCond = pthread_cond_t()
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
        pthread_mutex_init(&mutex, nil)
        var attr = pthread_condattr_t()
        pthread_condattr_init(&attr)
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC)
        pthread_cond_init(&cond, &attr)
        pthread_cond_init(&freeCond, &attr)
        pthread_condattr_destroy(&attr)
        ready.reserveCapacity(poolSize)
        free.reserveCapacity(poolSize)
        for _ in 1..<poolSize { free.append(EventChunk(capacity: capacity)) }
    }

    deinit {
        pthread_cond_destroy(&cond)
        pthread_cond_destroy(&freeCond)
        pthread_mutex_destroy(&mutex)
    }

    /// Drainer side: hands `chunk` to the writer and replaces it with an empty one, waiting up to `maxWaitNs`
    /// for the writer to free one; if none comes, counts the chunk's records as dropped and empties it in
    /// place. Never allocates.
    /// `waitNs` overrides `maxWaitNs` (the drainer's last pass waits for a live printer, see BufferDrainer).
    func seal(_ chunk: inout EventChunk, waitNs: UInt64? = nil) {
        if chunk.isEmpty { return }
        let wait = min(waitNs ?? maxWaitNs, 1 << 62)
        pthread_mutex_lock(&mutex)
        if free.isEmpty && !closed && wait > 0 {
            let deadline = BootClock.monotonicNs() + wait
            var ts = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
            while free.isEmpty && BootClock.monotonicNs() < deadline {
                _ = pthread_cond_timedwait(&freeCond, &mutex, &ts)
            }
        }
        if let empty = free.popLast() {
            ready.append(chunk)
            chunk = empty
            pthread_cond_signal(&cond)
            pthread_mutex_unlock(&mutex)
        } else {
            droppedRecords += UInt64(chunk.recordCount)
            pthread_mutex_unlock(&mutex)
            chunk.reset()
        }
    }

    /// Drainer side: hands `chunk` to the writer if an empty one is free at once; false (nothing changed)
    /// otherwise. A drainer that may not wait on its writer uses it to leave records in the kernel buffers
    /// until the writer catches up, instead of dropping a chunk.
    func trySeal(_ chunk: inout EventChunk) -> Bool {
        if chunk.isEmpty { return true }
        pthread_mutex_lock(&mutex)
        guard let empty = free.popLast() else {
            pthread_mutex_unlock(&mutex)
            return false
        }
        ready.append(chunk)
        chunk = empty
        pthread_cond_signal(&cond)
        pthread_mutex_unlock(&mutex)
        return true
    }

    /// Drainer side: no more chunks will come.
    func close() {
        pthread_mutex_lock(&mutex)
        closed = true
        pthread_cond_broadcast(&cond)
        pthread_mutex_unlock(&mutex)
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
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        while true {
            if !ready.isEmpty { return .chunk(ready.removeFirst()) }
            if closed { return .closed }
            if BootClock.monotonicNs() >= deadlineNs { return .timeout }
            var ts = timespec(tv_sec: Int(deadlineNs / 1_000_000_000), tv_nsec: Int(deadlineNs % 1_000_000_000))
            _ = pthread_cond_timedwait(&cond, &mutex, &ts)
        }
    }

    /// Writer side: gives a written (and reset) chunk back to the pool. The caller hands over its only
    /// reference (`recycle(consume c)`), so the drainer later reuses the storage without a copy.
    func recycle(_ chunk: consuming EventChunk) {
        pthread_mutex_lock(&mutex)
        free.append(chunk)
        pthread_cond_signal(&freeCond)
        pthread_mutex_unlock(&mutex)
    }

    /// Records dropped because the writer was behind.
    var userQueueDrops: UInt64 {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return droppedRecords
    }
}
