import CaptureFormat

/// Takes the periodic thread/fd snapshots on a thread of its own, so a long /proc scan on a busy machine
/// never holds up the writer (which must keep emptying the drain pipeline). The writer collects the latest
/// snapshot with `take()` and writes it between chunks.
final class SnapshotScheduler {
    private let intervalNs: UInt64
    private let scan: () -> CaptureSnapshot
    /// Guards `ready` and `stopping`; its condition wakes the thread early to stop.
    private let lock = ConditionLock()
    private var ready: CaptureSnapshot?
    private var stopping = false
    /// When the next scan is due (monotonic ns); `hurry()` brings it forward.
    private var next: UInt64 = 0
    private var thread: NativeThread?

    /// Scans every `intervalNs` with `scan` (the first scan one interval after `start()`).
    init(intervalNs: UInt64, scan: @escaping () -> CaptureSnapshot) {
        self.intervalNs = intervalNs
        self.scan = scan
    }

    /// Starts the thread (nothing when the interval is 0: snapshots only at the start of each file).
    func start() throws {
        guard intervalNs > 0 else { return }
        thread = try NativeThread(name: "kcap-snapshot") { [unowned self] in self.run() }
    }

    private func run() {
        lock.withLock { next = BootClock.monotonicNs() + intervalNs }
        while true {
            let due: Bool = lock.withLock {
                while !stopping && BootClock.monotonicNs() < next { lock.wait(untilNs: next) }
                return !stopping
            }
            guard due else { return }
            // The scan runs unlocked: `take()` and `stop()` never wait for /proc.
            let snapshot = scan()
            lock.withLock {
                ready = snapshot
                next = BootClock.monotonicNs() + intervalNs
            }
        }
    }

    /// Scans as soon as the thread is free (a scan in progress counts; nothing when none runs).
    func hurry() {
        lock.withLock {
            guard thread != nil, ready == nil else { return }
            let now = BootClock.monotonicNs()
            if next > now {
                next = now
                lock.broadcast()
            }
        }
    }

    /// The snapshot taken since the last call, if any.
    func take() -> CaptureSnapshot? {
        lock.withLock {
            let s = ready
            ready = nil
            return s
        }
    }

    /// Stops the thread and waits for it (a scan in progress finishes first).
    func stop() {
        lock.withLock {
            stopping = true
            lock.broadcast()
        }
        thread?.join()
        thread = nil
    }
}
