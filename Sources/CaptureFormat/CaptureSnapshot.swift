/// The thread and fd tables at one moment, so a reader can start anywhere and resynchronise after drops.
public struct CaptureSnapshot: Sendable, Equatable {
    /// Boot-time ns when the snapshot was taken.
    public var timestampNs: UInt64
    /// Every thread.
    public var threads: [ThreadInfo]
    /// Every open fd.
    public var fds: [FdInfo]
    /// User names of the recording host (uid → name, from /etc/passwd), so `user.name` works on any machine
    /// that reads the capture. Empty in captures of format 1.0.
    public var users: [UInt32: String]
    /// Group names of the recording host (gid → name, from /etc/group). Empty in captures of format 1.0.
    public var groups: [UInt32: String]
    /// Format 1.3: the host (its number in the header's `hosts`) whose tables these are, in a capture merged
    /// from several hosts; nil in a capture of one host.
    public var host: UInt32?

    /// Memberwise initializer.
    public init(timestampNs: UInt64, threads: [ThreadInfo] = [], fds: [FdInfo] = [],
                users: [UInt32: String] = [:], groups: [UInt32: String] = [:], host: UInt32? = nil) {
        self.host = host
        self.timestampNs = timestampNs
        self.threads = threads
        self.fds = fds
        self.users = users
        self.groups = groups
    }
}
