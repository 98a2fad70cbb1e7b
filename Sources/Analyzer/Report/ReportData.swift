/// What `kcap report` embeds in its page: one JSON document (the page's `<script type="application/json"
/// id="kcap-data">`), from which the page's script draws everything. Deterministic: the same captures, filter
/// and window give the same bytes (keys sorted, every list in a stated order, no time of generation).
///
/// Times are nanoseconds relative to `capture.originNs` (the first event of the captures, the `+0` of
/// `--since +Ns`); `capture.originWall` is that instant on the wall clock. docs/report.md describes each part.
public struct ReportData: Codable, Equatable, Sendable {
    /// The layout's version: a new field is added without a bump, a changed meaning bumps it.
    public static let currentVersion = 1

    /// The layout's version (`currentVersion`).
    public var version = ReportData.currentVersion
    /// How the report was made: what `kcap read` needs to list the same events.
    public var query: Query
    /// The capture's facts.
    public var capture: Capture
    /// `kcap stats --json`'s report of the selected events, the tables at most `ReportSink.Limits.tableRows`
    /// rows each: the page's numbers are these.
    public var stats: StatisticsReport
    /// Events per time bucket, per process (the busiest) and in all.
    public var timeline: Timeline
    /// Latency per syscall over time, in log-scale buckets.
    public var heatmap: Heatmap
    /// The processes' lifetimes.
    public var processes: Processes
    /// Failures by process and errno, most first.
    public var errorsByProcess: [ProcessErrorRow]
    /// A bounded choice of single events: the slowest calls of each syscall and the first failures of each
    /// kind, each as `kcap read` prints it.
    public var events: RepresentativeEvents

    /// The command line's selection.
    public struct Query: Codable, Equatable, Sendable {
        /// The captures as given (the report's `kcap read` commands name them so).
        public var paths: [String]
        /// The filter ("" for none).
        public var filter: String
        /// `--since` and `--until` as given, nil when absent.
        public var since: String?
        public var until: String?
        /// The window they select, relative ns (nil: from the start, to the end).
        public var windowStartNs: Int64?
        public var windowEndNs: Int64?
        /// True for a sysdig capture: it holds an entry event (`>`) and an exit event (`<`) per syscall, the
        /// figures count each syscall once (at its exit), and the page's commands select the exits and the
        /// process events: `(evt.dir=< or evt.type in (procfork, procexec, procexit))`.
        public var entryEvents = false
    }

    /// Wall-clock time as whole seconds since the epoch and nanoseconds (JSON numbers stay exact).
    public struct WallClock: Codable, Equatable, Sendable {
        public var seconds: Int64
        public var nanos: Int64

        /// Splits epoch ns (floor division: the nanos are 0...999999999).
        public init(epochNs: Int64) {
            var s = epochNs / 1_000_000_000, n = epochNs % 1_000_000_000
            if n < 0 { s -= 1; n += 1_000_000_000 }
            seconds = s
            nanos = n
        }
    }

    /// One capture file.
    public struct File: Codable, Equatable, Sendable {
        public var path: String
        public var format: String
        public var hostname: String
        public var kernel: String
        public var machine: String
        public var cpus: Int
        public var bytes: UInt64
        /// The recorder's command line, "" when unknown.
        public var recordedCommand: String
        /// Integrity problems found while reading.
        public var problems: [String]

        /// The facts as given.
        public init(path: String, format: String, hostname: String, kernel: String, machine: String, cpus: Int,
                    bytes: UInt64, recordedCommand: String, problems: [String]) {
            self.path = path
            self.format = format
            self.hostname = hostname
            self.kernel = kernel
            self.machine = machine
            self.cpus = cpus
            self.bytes = bytes
            self.recordedCommand = recordedCommand
            self.problems = problems
        }
    }

    /// The recorder's drops found by one counters block: how many more than at the block before, by reason.
    public struct DropMark: Codable, Equatable, Sendable {
        /// When the counters were read (relative ns); the drops happened since the block before.
        public var atNs: Int64
        /// Since when (relative ns): the counters block before, or the first event.
        public var sinceNs: Int64
        public var ringFull: UInt64
        public var tooLarge: UInt64
        public var writerQueueFull: UInt64
        public var readFailures: UInt64
    }

    /// The captures as a whole.
    public struct Capture: Codable, Equatable, Sendable {
        public var files: [File]
        /// Distinct host names and kernel releases, sorted.
        public var hosts: [String]
        public var kernels: [String]
        /// Boot-time ns of the first event of the captures: relative ns count from it.
        public var originNs: UInt64
        /// The origin on the wall clock (UTC).
        public var originWall: WallClock
        /// Relative ns of the last event of the captures.
        public var endNs: Int64
        /// The recorder's totals (nil when the captures hold no counters).
        public var drops: StatisticsReport.Drops?
        /// When drops happened.
        public var dropMarks: [DropMark]
        /// Thread/fd snapshots (relative ns), in time order.
        public var snapshotsNs: [Int64]
    }

    /// The time axis shared by the timeline, the heat map and the process bars.
    public struct Timeline: Codable, Equatable, Sendable {
        /// Relative ns of bucket 0's start.
        public var startNs: Int64
        /// Each bucket's length.
        public var bucketNs: UInt64
        /// Number of buckets.
        public var buckets: Int
        /// Events per bucket (one per syscall: a sysdig capture's entry events are not counted).
        public var total: [UInt64]
        /// Failed syscalls per bucket.
        public var errors: [UInt64]
        /// The busiest processes (as `stats.topProcessesByEvents` orders them), each with its events per bucket.
        public var series: [Series]
        /// Every other process's events per bucket.
        public var rest: [UInt64]
    }

    /// One process's events per bucket.
    public struct Series: Codable, Equatable, Sendable {
        public var pid: UInt32
        public var comm: String
        public var counts: [UInt64]
    }

    /// The heat map: for each chosen syscall, calls per (time bucket, latency bucket).
    public struct Heatmap: Codable, Equatable, Sendable {
        /// Lower bound (ns) of each latency bucket; bucket i holds latencies in [bounds[i], bounds[i+1]).
        public var latencyBoundsNs: [UInt64]
        public var syscalls: [HeatRow]
    }

    /// One syscall's cells: `[timeBucket, latencyBucket, calls]`, by time then latency.
    public struct HeatRow: Codable, Equatable, Sendable {
        public var name: String
        public var count: UInt64
        public var totalNs: UInt64
        public var cells: [[UInt64]]
    }

    /// The process lifetimes.
    public struct Processes: Codable, Equatable, Sendable {
        /// By start (unknown first), then pid.
        public var rows: [ProcessRow]
        /// Lifetimes left out to bound the page (the ones with the fewest events, not ancestors of a kept one).
        public var omitted: Int
        /// Syscalls in flight at the end (entered, never returned), as `kcap stats` lists them; nil with a
        /// filter or `--until` (as there).
        public var inFlightAtEnd: [InFlightRow]?
    }

    /// A syscall in flight at the end (`StatisticsReport.InFlightRow`, its entry in relative ns).
    public struct InFlightRow: Codable, Equatable, Sendable {
        public var tid: UInt32
        public var pid: UInt32
        public var comm: String
        public var syscall: String
        /// The fd it waits on, as `kcap stats` shows it.
        public var on: String
        /// Relative ns of its entry, nil when it began before the recording.
        public var enteredNs: Int64?
        /// How long it had been in flight at the last snapshot of its thread, ns.
        public var blockedNs: UInt64?
    }

    /// One process lifetime.
    public struct ProcessRow: Codable, Equatable, Sendable {
        public var pid: UInt32
        public var ppid: UInt32
        public var comm: String
        public var exe: String
        /// argv after its last exec, joined by spaces (cut at 200 bytes).
        public var cmdline: String
        /// Relative ns of its start (fork, or what a snapshot said), nil when unknown.
        public var startNs: Int64?
        /// Relative ns of its execs seen (at most 8).
        public var execNs: [Int64]
        /// Relative ns of its end, nil when it outlived the capture.
        public var exitNs: Int64?
        public var exitStatus: Int32?
        public var exitSignal: Int32?
        /// Selected events of this lifetime, and how many failed.
        public var events: UInt64
        public var errors: UInt64
        /// Relative ns of its first and last selected event, nil when none.
        public var firstNs: Int64?
        public var lastNs: Int64?
    }

    /// Failures of one process with one errno.
    public struct ProcessErrorRow: Codable, Equatable, Sendable {
        public var pid: UInt32
        public var comm: String
        public var errno: Int
        public var name: String
        public var count: UInt64
    }

    /// One event as `kcap read` prints it.
    public struct EventRow: Codable, Equatable, Sendable {
        /// `evt.num`.
        public var num: UInt64
        /// Relative ns.
        public var atNs: Int64
        public var pid: UInt32
        public var type: String
        /// ns, nil when the entry was not seen.
        public var latencyNs: UInt64?
        /// errno name when it failed.
        public var error: String?
        /// The default `kcap read` line.
        public var line: String
    }

    /// The representative events.
    public struct RepresentativeEvents: Codable, Equatable, Sendable {
        /// The slowest calls of each syscall, slowest first.
        public var slowest: [EventRow]
        /// The first failures of each (syscall, errno), in time order.
        public var failures: [EventRow]
    }
}
