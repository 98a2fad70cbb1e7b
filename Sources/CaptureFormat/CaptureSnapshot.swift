/// The thread and fd tables at one moment, so a reader can start anywhere and resynchronise after drops.
public struct CaptureSnapshot: Sendable, Equatable {
    /// Boot-time ns when the snapshot was taken.
    public var timestampNs: UInt64
    /// Every thread.
    public var threads: [ThreadInfo]
    /// Every open fd.
    public var fds: [FdInfo]

    /// Memberwise initializer.
    public init(timestampNs: UInt64, threads: [ThreadInfo] = [], fds: [FdInfo] = []) {
        self.timestampNs = timestampNs
        self.threads = threads
        self.fds = fds
    }
}
