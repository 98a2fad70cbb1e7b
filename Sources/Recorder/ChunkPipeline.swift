import CaptureFormat
import Glibc

/// The bounded hand-off between the drain thread and the writer thread: a fixed pool of event chunks
/// allocated up front. The drainer trades a full chunk for an empty one without waiting and without
/// allocating; when the writer has fallen so far behind that no empty chunk is left, the full chunk's
/// records are dropped and counted (dropUserQueue) rather than stalling the drain (which would overflow the
/// kernel ring instead, where nothing can be counted per reason).
final class ChunkPipeline {
    private var mutex = pthread_mutex_t()
    private var cond = pthread_cond_t()
    private var ready: [EventChunk] = []
    private var free: [EventChunk] = []
    private var closed = false
    private var droppedRecords: UInt64 = 0
    private let poolSize: Int

    /// A pipeline of `chunks` chunks of `capacity` raw bytes each (one is held by the drainer).
    init(chunks: Int, capacity: Int) {
        poolSize = max(chunks, 2)
        pthread_mutex_init(&mutex, nil)
        var attr = pthread_condattr_t()
        pthread_condattr_init(&attr)
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC)
        pthread_cond_init(&cond, &attr)
        pthread_condattr_destroy(&attr)
        ready.reserveCapacity(poolSize)
        free.reserveCapacity(poolSize)
        for _ in 1..<poolSize { free.append(EventChunk(capacity: capacity)) }
    }

    deinit {
        pthread_cond_destroy(&cond)
        pthread_mutex_destroy(&mutex)
    }

    /// Drainer side: hands `chunk` to the writer and replaces it with an empty one; if none is free,
    /// counts its records as dropped and empties it in place. Never blocks on the writer, never allocates.
    func seal(_ chunk: inout EventChunk) {
        if chunk.isEmpty { return }
        pthread_mutex_lock(&mutex)
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
        pthread_mutex_unlock(&mutex)
    }

    /// Records dropped because the writer was behind.
    var userQueueDrops: UInt64 {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return droppedRecords
    }
}
