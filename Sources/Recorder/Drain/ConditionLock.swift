import Glibc

/// A mutex with condition variables whose timed waits run on CLOCK_MONOTONIC (the clock of every deadline in
/// the recorder, which wall-clock steps do not move), for the hand-offs where one thread sleeps until another
/// moves. Where nothing waits, `Synchronization.Mutex` is used instead.
final class ConditionLock {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let conditions: UnsafeMutablePointer<pthread_cond_t>
    private let conditionCount: Int
    private static let nanosecondsPerSecond: UInt64 = 1_000_000_000

    /// A lock with `conditions` condition variables, numbered from 0.
    init(conditions: Int = 1) {
        conditionCount = max(conditions, 1)
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        self.conditions = .allocate(capacity: conditionCount)
        var attr = pthread_condattr_t()
        pthread_condattr_init(&attr)
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC)
        for i in 0..<conditionCount { pthread_cond_init(self.conditions + i, &attr) }
        pthread_condattr_destroy(&attr)
    }

    deinit {
        for i in 0..<conditionCount { pthread_cond_destroy(conditions + i) }
        conditions.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the lock held.
    func withLock<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// With the lock held (inside `withLock`): sleeps until condition `condition` is signalled or the monotonic
    /// clock reaches `deadlineNs`, and takes the lock again. Wakeups can be spurious: the caller re-checks.
    func wait(_ condition: Int = 0, untilNs deadlineNs: UInt64) {
        var ts = timespec(tv_sec: Int(deadlineNs / ConditionLock.nanosecondsPerSecond),
                          tv_nsec: Int(deadlineNs % ConditionLock.nanosecondsPerSecond))
        _ = pthread_cond_timedwait(conditions + condition, mutex, &ts)
    }

    /// With the lock held: wakes one thread waiting on `condition`.
    func signal(_ condition: Int = 0) { pthread_cond_signal(conditions + condition) }

    /// With the lock held: wakes every thread waiting on `condition`.
    func broadcast(_ condition: Int = 0) { pthread_cond_broadcast(conditions + condition) }
}
