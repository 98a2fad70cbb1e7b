import CLibBPF
import CaptureFormat
import Glibc
import Synchronization

/// The drain thread: merges the per-CPU record buffers by timestamp into event chunks, copying and nothing
/// else (no decoding, no allocation per record). A full chunk, or a partial one at least every
/// `sealIntervalNs`, goes to the writer through the `ChunkPipeline`.
///
/// Why a merge: each CPU's buffer is in timestamp order (a CPU's programs never interleave), but a thread
/// that opens an fd on one CPU may close it on another, and the analyzer's tables need the open first.
/// Why a watermark: a pass takes only records stamped before the previous pass began. A program publishes
/// its record microseconds after taking its timestamp, with preemption off, so by then every CPU has
/// published everything older, and no CPU can still add a record that belongs before one already taken.
final class BufferDrainer {
    private let buffers: CPUBuffers
    private var wake: OpaquePointer?
    private let pipeline: ChunkPipeline
    private var chunk: EventChunk
    /// Records taken and kept (the -n limit counts these).
    private var accepted: UInt64 = 0
    private let maxRecords: UInt64
    private let sealIntervalNs: UInt64
    private let pollTimeoutMs: Int32
    private var lastSealNs: UInt64 = 0
    /// Per CPU: the next record to take, the head seen at the start of the pass, that record's timestamp.
    private var cursor: [UInt64]
    private var limit: [UInt64]
    private var nextTs: [UInt64]
    /// CPUs with a record to take in this pass, as a binary min-heap on nextTs.
    private var heap: [Int]
    private var heapCount = 0
    /// A record whose length cannot be right: the buffers are not what this kcap wrote.
    private var corrupt = false
    /// The writer must never be waited for (a live printer): with no empty chunk free, records stay in the
    /// kernel buffers (tens of MiB) until it catches up, rather than a chunk being dropped.
    private let pauseWhenBehind: Bool
    /// Programs detached: everything left is taken, the writer waited for as the pipeline allows.
    private var finalPass = false

    /// The header of the record at `p` in a CPU buffer, read through the one view of `kcap_abi.h`.
    @inline(__always)
    private static func header(_ p: UnsafeRawPointer) -> RecordView {
        RecordView(bytes: UnsafeRawBufferPointer(start: p, count: KcapABI.Header.size))
    }

    /// What the drain thread and the controlling thread share.
    private struct Shared {
        var stopRequested = false
        var status = Status()
    }
    private let shared = Mutex(Shared())

    /// A drainer of `buffers`, woken early through the ring map `wakeFD`; `maxRecords` 0 means no limit.
    init(buffers: CPUBuffers, wakeFD: Int32, pipeline: ChunkPipeline, chunkCapacity: Int, maxRecords: UInt64,
         pollTimeoutMs: Int32 = 5, sealIntervalNs: UInt64 = 1_000_000_000) throws {
        self.buffers = buffers
        self.pipeline = pipeline
        self.maxRecords = maxRecords
        self.pollTimeoutMs = pollTimeoutMs
        self.sealIntervalNs = sealIntervalNs
        pauseWhenBehind = pipeline.maxWaitNs == 0
        chunk = EventChunk(capacity: chunkCapacity)
        let n = buffers.cpus
        cursor = [UInt64](repeating: 0, count: n)
        limit = [UInt64](repeating: 0, count: n)
        nextTs = [UInt64](repeating: 0, count: n)
        heap = [Int](repeating: 0, count: n)
        for cpu in 0..<n { cursor[cpu] = buffers.head(cpu) }
        // The wake ring carries no data: its records only end the poll early.
        guard let rb = ring_buffer__new(wakeFD, { _, _, _ in 0 }, nil, nil) else {
            let err = Glibc.errno
            throw RecorderError(step: "open ring buffer", object: "kcap_wake", errno: err, hint: RecorderError.bpfHint(err))
        }
        wake = rb
    }

    deinit {
        if let wake { ring_buffer__free(wake) }
    }

    /// The thread body: sleep until the timer or a wakeup, take what is old enough, seal on time; returns
    /// after `stop()` once the buffers are empty.
    func run() {
        lastSealNs = BootClock.monotonicNs()
        var watermark: UInt64 = 0
        var stopping = false
        while true {
            let rc = ring_buffer__poll(wake, stopping ? 0 : pollTimeoutMs)
            if rc < 0 && rc != -EINTR {
                publish(error: -rc)
                break
            }
            let passStart = BootClock.nowNs()
            if !pass(upTo: watermark) { break }
            watermark = passStart
            let now = BootClock.monotonicNs()
            if now &- lastSealNs >= sealIntervalNs {
                if pauseWhenBehind { _ = pipeline.trySeal(&chunk) } else { pipeline.seal(&chunk) }
                lastSealNs = now
            }
            if stopping { break }
            stopping = publish(error: 0)
        }
        // The programs are detached by now: take everything that is left, then hand over the last chunk.
        finalPass = true
        if !corrupt { _ = pass(upTo: .max) }
        pipeline.seal(&chunk, waitNs: pauseWhenBehind ? .max : nil)
        _ = publish(error: corrupt ? EPROTO : 0)
        pipeline.close()
    }

    /// Takes, in timestamp order, every published record stamped at or before `watermark`. Returns false
    /// when draining must end (the -n limit, a corrupt buffer).
    private func pass(upTo watermark: UInt64) -> Bool {
        heapCount = 0
        for cpu in 0..<buffers.cpus {
            let head = buffers.head(cpu)
            limit[cpu] = head
            if cursor[cpu] != head {
                let ts = Self.header(buffers.record(cpu, at: cursor[cpu])).timestampNs
                if ts <= watermark {
                    nextTs[cpu] = ts
                    heapPush(cpu)
                }
            }
        }
        var more = true
        merge: while heapCount > 0 {
            let cpu = heap[0]
            // Take from this CPU while it stays the oldest: up to the next CPU's first record. The records are
            // copied as runs (contiguous in the CPU's buffer, fitting the chunk): one copy per run, not per record.
            var bound = watermark
            if heapCount > 1 { bound = min(bound, nextTs[heap[1]]) }
            if heapCount > 2 { bound = min(bound, nextTs[heap[2]]) }
            var run = Run()
            defer { flush(&run) }
            while true {
                let record = buffers.record(cpu, at: cursor[cpu])
                let len = Self.header(record).length
                if !RecordWalker.isPossible(length: len)
                    || UInt64(len) > limit[cpu] &- cursor[cpu] {
                    corrupt = true
                    more = false
                    break merge
                }
                if maxRecords != 0 && accepted &+ UInt64(run.count) >= maxRecords {
                    more = false
                    break merge
                }
                let ts = nextTs[cpu]
                if run.count > 0 && (record != run.start! + run.bytes || len > chunk.freeBytes &- run.bytes) {
                    flush(&run)
                }
                if run.count == 0 && len > chunk.freeBytes {
                    // The chunk is full: the one-record path seals it (and may wait for, or pause on, the writer).
                    switch take(UnsafeRawBufferPointer(start: record, count: len)) {
                    case .taken: break
                    case .limitReached:
                        more = false
                        break merge
                    case .writerBehind:
                        break merge
                    }
                } else {
                    if run.count == 0 { run.start = record; run.firstTs = ts }
                    run.bytes &+= len
                    run.count &+= 1
                    run.lastTs = ts
                }
                cursor[cpu] &+= UInt64(len)
                if cursor[cpu] == limit[cpu] {
                    heapPop()
                    break
                }
                let next = Self.header(buffers.record(cpu, at: cursor[cpu])).timestampNs
                nextTs[cpu] = next
                if next > watermark {
                    heapPop()
                    break
                }
                if next > bound {
                    heapSiftDown(0)
                    break
                }
            }
        }
        releaseAll()
        return more
    }

    /// Gives every copied byte back to the program.
    private func releaseAll() {
        for cpu in 0..<buffers.cpus {
            buffers.release(cpu, upTo: cursor[cpu])
            buffers.rearmWakeup(cpu)
        }
    }

    private enum Take { case taken, limitReached, writerBehind }

    /// Records of one CPU taken but not copied yet: contiguous in its buffer, in timestamp order, fitting the
    /// chunk. Copied (`flush`) before anything gives buffer space back to the program.
    private struct Run {
        var start: UnsafeRawPointer?
        var bytes = 0
        var count = 0
        var firstTs: UInt64 = 0
        var lastTs: UInt64 = 0
    }

    /// Copies a pending run into the chunk (it fits: records join a run only while they do).
    @inline(__always)
    private func flush(_ run: inout Run) {
        guard run.count > 0, let start = run.start else { return }
        _ = chunk.appendRun(UnsafeRawBufferPointer(start: start, count: run.bytes), count: run.count,
                            firstTs: run.firstTs, lastTs: run.lastTs)
        accepted &+= UInt64(run.count)
        run = Run()
    }

    /// Copies one record, unless the -n limit is reached or (pausing) the writer has no empty chunk.
    @inline(__always)
    private func take(_ record: UnsafeRawBufferPointer) -> Take {
        if maxRecords != 0 && accepted >= maxRecords { return .limitReached }
        if !chunk.append(record) {
            // Free what is copied so far before possibly waiting on the writer: the program keeps room.
            releaseAll()
            if !pauseWhenBehind {
                pipeline.seal(&chunk)
            } else if !finalPass {
                if !pipeline.trySeal(&chunk) { return .writerBehind }
            } else {
                // The end: what is left goes out once the printer moves (a reader that never does holds the
                // end, as its blocked write already would; a second signal ends kcap at once).
                pipeline.seal(&chunk, waitNs: .max)
            }
            lastSealNs = BootClock.monotonicNs()
            _ = chunk.append(record) // a record always fits an empty chunk (KCAP_RECORD_MAX < chunk size)
        }
        accepted += 1
        return .taken
    }

    // MARK: the heap of CPUs, ordered by nextTs (ties by CPU number, so the merge is deterministic)

    @inline(__always)
    private func before(_ a: Int, _ b: Int) -> Bool {
        nextTs[a] < nextTs[b] || (nextTs[a] == nextTs[b] && a < b)
    }

    private func heapPush(_ cpu: Int) {
        var i = heapCount
        heap[i] = cpu
        heapCount += 1
        while i > 0 {
            let parent = (i - 1) / 2
            if !before(heap[i], heap[parent]) { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    private func heapPop() {
        heapCount -= 1
        if heapCount > 0 {
            heap[0] = heap[heapCount]
            heapSiftDown(0)
        }
    }

    private func heapSiftDown(_ start: Int) {
        var i = start
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heapCount && before(heap[l], heap[m]) { m = l }
            if r < heapCount && before(heap[r], heap[m]) { m = r }
            if m == i { return }
            heap.swapAt(i, m)
            i = m
        }
    }

    // MARK: status for the controlling thread

    /// What the controlling thread polls.
    struct Status {
        /// Records kept so far.
        var accepted: UInt64 = 0
        /// Whether the -n limit was reached.
        var limitReached = false
        /// The errno draining ended with (0 when none).
        var error: Int32 = 0
    }

    /// Copies the counters to the shared state; returns whether a stop was requested.
    @discardableResult
    private func publish(error: Int32) -> Bool {
        let accepted = self.accepted, limitReached = maxRecords != 0 && accepted >= maxRecords
        return shared.withLock {
            $0.status.accepted = accepted
            $0.status.limitReached = limitReached
            if error != 0 { $0.status.error = error }
            return $0.stopRequested
        }
    }

    /// Asks the thread to drain what is left and end.
    func stop() {
        shared.withLock { $0.stopRequested = true }
    }

    /// Records kept so far, whether the -n limit was reached, and an errno (0 when none).
    var status: Status { shared.withLock { $0.status } }
}
