/// What the kernel side of a recording is told before it is loaded.
public struct ProbeOptions: Sendable {
    /// Bytes of kernel record buffers, spread over the CPUs (each CPU's share rounded down to a power of two,
    /// at least 64 KiB).
    public var bufferSize: Int = 64 << 20
    /// Bytes of I/O buffers copied into records; 0 copies none.
    public var snaplen: Int = 80
    /// Which syscalls to record.
    public var events: EventSelection
    /// Record only these processes and their descendants (empty: no pid filter, unless `followTraced`).
    public var pids: [Int32] = []
    /// Filter by the `kcap_traced` map even when `pids` is empty (a `-- COMMAND` child is added later).
    public var followTraced: Bool = false
    /// Record only threads whose comm is this (at most 15 bytes), or nil.
    public var comm: String? = nil
    /// Record execve/execveat's environment too (`--env`; off by default: an environment may hold secrets).
    public var environment: Bool = false
    /// Load the empty programs too, next to the recorder's, so a benchmark can switch between them in one
    /// process (`Recording.runBenchmark` sets it).
    public var loadFloorPrograms: Bool = false
    /// Tracepoints to handle as if the kernel lacked them (tests take the switch-off path with it).
    var treatAsMissing: Set<String> = []

    /// Options with the defaults of `kcap record`.
    public init(events: EventSelection) { self.events = events }
}
