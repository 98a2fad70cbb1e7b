/// What `kcap stats` prints, as data: the same value renders as tables or as JSON.
public struct StatisticsReport: Codable, Equatable, Sendable {
    /// Latency percentiles of one syscall, in ns (HdrHistogram, two significant digits).
    public struct Percentiles: Codable, Equatable, Sendable {
        public var p50, p90, p99, p999, max: UInt64
    }

    /// One event type.
    public struct SyscallRow: Codable, Equatable, Sendable {
        public var name: String
        public var category: String
        public var count: UInt64
        public var errors: UInt64
        /// Sum of latencies of the events whose entry was seen.
        public var totalNs: UInt64
        public var timedCount: UInt64
        public var meanNs: UInt64?
        public var latencyNs: Percentiles?
    }

    /// One process.
    public struct ProcessRow: Codable, Equatable, Sendable {
        public var pid: UInt32
        public var comm: String
        public var exe: String
        public var events: UInt64
        public var errors: UInt64
        public var bytesRead: UInt64
        public var bytesWritten: UInt64
        public var syscallNs: UInt64
    }

    /// One file or connection.
    public struct IORow: Codable, Equatable, Sendable {
        public var name: String
        public var bytesRead: UInt64
        public var bytesWritten: UInt64
        public var reads: UInt64
        public var writes: UInt64
        public var pids: [UInt32]
    }

    /// One errno.
    public struct ErrorRow: Codable, Equatable, Sendable {
        public var errno: Int
        public var name: String
        public var count: UInt64
        /// The syscalls that failed with it most, as `name(count)`.
        public var syscalls: [String]
    }

    /// Events per category.
    public struct CategoryRow: Codable, Equatable, Sendable {
        public var category: String
        public var count: UInt64
    }

    /// The recorder's counters at the end of the capture.
    public struct Drops: Codable, Equatable, Sendable {
        public var eventsSeen, eventsWritten, dropped, ringFull, tooLarge, readFailures, writerQueueFull: UInt64
    }

    public var events: UInt64
    public var syscalls: UInt64
    public var untimedSyscalls: UInt64
    public var durationNs: UInt64
    public var processCount: Int
    /// Counts of procfork, procexec and procexit events.
    public var processEvents: [String: UInt64]
    public var categories: [CategoryRow]
    public var topSyscallsByCount: [SyscallRow]
    public var topSyscallsByTime: [SyscallRow]
    public var topProcessesByBytes: [ProcessRow]
    public var topProcessesByEvents: [ProcessRow]
    public var topFiles: [IORow]
    public var topConnections: [IORow]
    public var errors: [ErrorRow]
    public var drops: Drops?
}
