import Glibc

/// CLOCK_BOOTTIME, the clock of every record's timestamp (bpf_ktime_get_boot_ns).
public enum BootClock {
    /// Now, in boot-time ns.
    public static func nowNs() -> UInt64 { ns(CLOCK_BOOTTIME) }
    /// Now, in wall-clock ns since the epoch.
    public static func realtimeNs() -> UInt64 { ns(CLOCK_REALTIME) }
    /// Now, in monotonic ns (for deadlines).
    public static func monotonicNs() -> UInt64 { ns(CLOCK_MONOTONIC) }
    static func ns(_ clock: clockid_t) -> UInt64 {
        var t = timespec()
        clock_gettime(clock, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }
}
