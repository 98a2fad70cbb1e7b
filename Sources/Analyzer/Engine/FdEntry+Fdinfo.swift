extension FdEntry {
    /// The open flags as /proc/PID/fdinfo shows them, and as a snapshot stores them: O_CLOEXEC set exactly
    /// when the fd is close-on-exec (an `fcntl(F_SETFD)` changes that after the open).
    public var fdinfoFlags: UInt32 {
        cloexec ? openFlags | Self.oCloexec : openFlags & ~Self.oCloexec
    }

    /// O_CLOEXEC (the same on x86_64 and arm64).
    static let oCloexec: UInt32 = 0o2000000
}
