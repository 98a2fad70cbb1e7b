/// What `kcap stats` prints, as data: the same value renders as tables or as JSON.
public struct StatisticsReport: Codable, Equatable, Sendable {
    /// Latency percentiles of one syscall, in ns (HdrHistogram, two significant digits).
    public struct Percentiles: Codable, Equatable, Sendable {
        /// Median, 90th, 99th and 99.9th percentile, and the exact maximum.
        public var p50, p90, p99, p999, max: UInt64
    }

    /// One event type.
    public struct SyscallRow: Codable, Equatable, Sendable {
        /// Event name (`evt.type`) or file/connection name.
        public var name: String
        /// Event category.
        public var category: String
        /// Number of events.
        public var count: UInt64
        /// Events that failed (negative errno).
        public var errors: UInt64
        /// Sum of latencies of the events whose entry was seen.
        public var totalNs: UInt64
        /// Events with a latency (their entry was seen).
        public var timedCount: UInt64
        /// Mean latency in ns.
        public var meanNs: UInt64?
        /// Latency percentiles in ns.
        public var latencyNs: Percentiles?
    }

    /// One process.
    public struct ProcessRow: Codable, Equatable, Sendable {
        /// Process id.
        public var pid: UInt32
        /// Command name.
        public var comm: String
        /// Executable path.
        public var exe: String
        /// Events of this process (or of the whole selection).
        public var events: UInt64
        /// Events that failed (negative errno).
        public var errors: UInt64
        /// Bytes read or received.
        public var bytesRead: UInt64
        /// Bytes written or sent.
        public var bytesWritten: UInt64
        /// Time spent in syscalls, ns.
        public var syscallNs: UInt64
    }

    /// One file or connection.
    public struct IORow: Codable, Equatable, Sendable {
        /// Event name (`evt.type`) or file/connection name.
        public var name: String
        /// Bytes read or received.
        public var bytesRead: UInt64
        /// Bytes written or sent.
        public var bytesWritten: UInt64
        /// Read operations.
        public var reads: UInt64
        /// Write operations.
        public var writes: UInt64
        /// Processes that did the I/O (up to 64).
        public var pids: [UInt32]
    }

    /// One errno.
    public struct ErrorRow: Codable, Equatable, Sendable {
        /// errno number.
        public var errno: Int
        /// Event name (`evt.type`) or file/connection name.
        public var name: String
        /// Number of events.
        public var count: UInt64
        /// The syscalls that failed with it most, as `name(count)`.
        public var syscalls: [String]
    }

    /// Events per category.
    public struct CategoryRow: Codable, Equatable, Sendable {
        /// Event category.
        public var category: String
        /// Number of events.
        public var count: UInt64
    }

    /// The recorder's counters at the end of the capture.
    public struct Drops: Codable, Equatable, Sendable {
        /// The recorder's cumulative counters.
        public var eventsSeen, eventsWritten, dropped, ringFull, tooLarge, readFailures, writerQueueFull: UInt64
    }

    /// Events of this process (or of the whole selection).
    public var events: UInt64
    /// Syscall events.
    public var syscalls: UInt64
    /// Syscall events without a latency.
    public var untimedSyscalls: UInt64
    /// Time from the first to the last counted event, ns.
    public var durationNs: UInt64
    /// Processes seen.
    public var processCount: Int
    /// Counts of procfork, procexec and procexit events.
    public var processEvents: [String: UInt64]
    /// Events per category.
    public var categories: [CategoryRow]
    /// Event types by count.
    public var topSyscallsByCount: [SyscallRow]
    /// Event types by total latency.
    public var topSyscallsByTime: [SyscallRow]
    /// Processes by bytes read and written.
    public var topProcessesByBytes: [ProcessRow]
    /// Processes by events.
    public var topProcessesByEvents: [ProcessRow]
    /// Files by bytes.
    public var topFiles: [IORow]
    /// Connections by bytes.
    public var topConnections: [IORow]
    /// Failures by errno.
    public var errors: [ErrorRow]
    /// Recorder counters, when the capture has them.
    public var drops: Drops?
    /// Syscalls still in flight at the end (captures of format 1.2 on), longest first; nil when none.
    public var inFlightAtEnd: [InFlightRow]? = nil
}
