import CaptureFormat
import Glibc

/// Takes the periodic thread/fd snapshots on a thread of its own, so a long /proc scan on a busy machine
/// never holds up the writer (which must keep emptying the drain pipeline). The writer collects the latest
/// snapshot with `take()` and writes it between chunks.
final class SnapshotScheduler {
    private let intervalNs: UInt64
    private let scan: () -> CaptureSnapshot
    private var mutex = pthread_mutex_t()
    private var cond = pthread_cond_t()
    private var ready: CaptureSnapshot?
    private var stopping = false
    private var thread: NativeThread?

    /// Scans every `intervalNs` with `scan` (the first scan one interval after `start()`).
    init(intervalNs: UInt64, scan: @escaping () -> CaptureSnapshot) {
        self.intervalNs = intervalNs
        self.scan = scan
        pthread_mutex_init(&mutex, nil)
        var attr = pthread_condattr_t()
        pthread_condattr_init(&attr)
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC)
        pthread_cond_init(&cond, &attr)
        pthread_condattr_destroy(&attr)
    }

    deinit {
        pthread_cond_destroy(&cond)
        pthread_mutex_destroy(&mutex)
    }

    /// Starts the thread (nothing when the interval is 0: snapshots only at the start of each file).
    func start() throws {
        guard intervalNs > 0 else { return }
        thread = try NativeThread(name: "kcap-snapshot") { [unowned self] in self.run() }
    }

    private func run() {
        var next = BootClock.monotonicNs() + intervalNs
        pthread_mutex_lock(&mutex)
        while !stopping {
            if BootClock.monotonicNs() < next {
                var ts = timespec(tv_sec: Int(next / 1_000_000_000), tv_nsec: Int(next % 1_000_000_000))
                _ = pthread_cond_timedwait(&cond, &mutex, &ts)
                continue
            }
            pthread_mutex_unlock(&mutex)
            let snap = scan()
            pthread_mutex_lock(&mutex)
            ready = snap
            next = BootClock.monotonicNs() + intervalNs
        }
        pthread_mutex_unlock(&mutex)
    }

    /// The snapshot taken since the last call, if any.
    func take() -> CaptureSnapshot? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        let s = ready
        ready = nil
        return s
    }

    /// Stops the thread and waits for it (a scan in progress finishes first).
    func stop() {
        pthread_mutex_lock(&mutex)
        stopping = true
        pthread_cond_broadcast(&cond)
        pthread_mutex_unlock(&mutex)
        thread?.join()
        thread = nil
    }
}
