import CLibBPF
import CaptureFormat
import Glibc

/// The drain thread: polls the BPF ring buffer on a short timeout and copies each record into the current
/// event chunk, nothing else (no decoding, no allocation per record). A full chunk, or a partial one at
/// least every `sealIntervalNs`, goes to the writer through the `ChunkPipeline`.
final class RingDrainer {
    private var ring: OpaquePointer?
    private let pipeline: ChunkPipeline
    private var chunk: EventChunk
    /// Records taken from the ring and kept (the -n limit counts these).
    private var accepted: UInt64 = 0
    private let maxRecords: UInt64
    private let sealIntervalNs: UInt64
    private let pollTimeoutMs: Int32
    private var lastSealNs: UInt64 = 0
    /// Records larger than a whole chunk (cannot happen with KCAP_RECORD_MAX; counted, not trusted).
    private var oversized: UInt64 = 0

    // Shared with the controlling thread, under `mutex`.
    private var mutex = pthread_mutex_t()
    private var stopRequested = false
    private var published = (accepted: UInt64(0), limitReached: false, error: Int32(0))

    /// A drainer over the ring map `ringFD`; `maxRecords` 0 means no limit.
    init(ringFD: Int32, pipeline: ChunkPipeline, chunkCapacity: Int, maxRecords: UInt64,
         pollTimeoutMs: Int32 = 5, sealIntervalNs: UInt64 = 1_000_000_000) throws {
        self.pipeline = pipeline
        self.maxRecords = maxRecords
        self.pollTimeoutMs = pollTimeoutMs
        self.sealIntervalNs = sealIntervalNs
        chunk = EventChunk(capacity: chunkCapacity)
        pthread_mutex_init(&mutex, nil)
        let ctx = Unmanaged.passUnretained(self).toOpaque()
        guard let rb = ring_buffer__new(ringFD, { ctx, data, size in
            guard let ctx, let data else { return 0 }
            // Guaranteed reference: the drainer outlives its ring, so no retain/release per record.
            return Unmanaged<RingDrainer>.fromOpaque(ctx)._withUnsafeGuaranteedRef {
                $0.take(UnsafeRawBufferPointer(start: data, count: size))
            }
        }, ctx, nil) else {
            let err = Glibc.errno
            throw RecorderError(step: "open ring buffer", object: "kcap_ring", errno: err, hint: RecorderError.bpfHint(err))
        }
        ring = rb
    }

    deinit {
        if let ring { ring_buffer__free(ring) }
        pthread_mutex_destroy(&mutex)
    }

    /// The ring callback: copy one record. Returning non-zero stops the current poll (used at the -n limit).
    @inline(__always)
    private func take(_ record: UnsafeRawBufferPointer) -> Int32 {
        if maxRecords != 0 && accepted >= maxRecords { return 1 }
        if !chunk.append(record) {
            pipeline.seal(&chunk)
            lastSealNs = BootClock.monotonicNs()
            if !chunk.append(record) { oversized += 1; return 0 }
        }
        accepted += 1
        return 0
    }

    /// The thread body: poll, copy, seal on time; returns after `stop()` once the ring is empty.
    func run() {
        lastSealNs = BootClock.monotonicNs()
        var stopping = false
        while true {
            // poll only sleeps until a wakeup or the timeout: the program submits with BPF_RB_NO_WAKEUP below
            // its fill threshold, so epoll rarely reports the ring ready. consume then takes whatever is there.
            var rc = ring_buffer__poll(ring, stopping ? 0 : pollTimeoutMs)
            if rc >= 0 || rc == -EINTR { rc = ring_buffer__consume(ring) }
            if rc < 0 && rc != -EINTR {
                publish(error: -rc)
                break
            }
            let now = BootClock.monotonicNs()
            if now &- lastSealNs >= sealIntervalNs {
                pipeline.seal(&chunk)
                lastSealNs = now
            }
            if stopping { break }
            stopping = publish(error: 0)
        }
        // The programs are detached by now: take what is left, then hand over the last partial chunk.
        if maxRecords == 0 || accepted < maxRecords { _ = ring_buffer__consume(ring) }
        pipeline.seal(&chunk)
        _ = publish(error: 0)
        pipeline.close()
    }

    /// Copies the counters to the shared state; returns whether a stop was requested.
    @discardableResult
    private func publish(error: Int32) -> Bool {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        published.accepted = accepted
        published.limitReached = maxRecords != 0 && accepted >= maxRecords
        if error != 0 { published.error = error }
        return stopRequested
    }

    /// Asks the thread to drain what is left and end.
    func stop() {
        pthread_mutex_lock(&mutex)
        stopRequested = true
        pthread_mutex_unlock(&mutex)
    }

    /// Records kept so far, whether the -n limit was reached, and a poll errno (0 when none).
    var status: (accepted: UInt64, limitReached: Bool, error: Int32) {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return published
    }
}

/// A joinable native thread running a closure (the drain and writer threads).
final class NativeThread {
    private var thread = pthread_t()
    private let body: () -> Void

    /// Starts `body` on a new thread; `name` appears in errors.
    init(name: String, _ body: @escaping () -> Void) throws {
        self.body = body
        let box = Unmanaged.passRetained(self)
        let rc = pthread_create(&thread, nil, { arg in
            let me = Unmanaged<NativeThread>.fromOpaque(arg!).takeRetainedValue()
            me.body()
            return nil
        }, box.toOpaque())
        if rc != 0 {
            box.release()
            throw RecorderError(step: "start thread", object: name, errno: rc, hint: "the system is out of threads or memory")
        }
    }

    /// Waits for the thread to end.
    func join() { pthread_join(thread, nil) }
}
