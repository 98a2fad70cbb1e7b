/// A syscall a thread had entered and not yet returned from when a snapshot was taken (blocked, usually).
/// Records are written at sys_exit, so without this a call that never returns during the capture (a hung
/// read, a lock wait) would leave no trace.
public struct InFlightSyscall: Sendable, Equatable {
    /// Syscall number in the recording machine's ABI.
    public var nr: Int32
    /// The six raw arguments.
    public var args: [UInt64]
    /// Boot-time ns of the syscall's entry when the recorder saw it, 0 when it began before the recording.
    public var enteredNs: UInt64

    /// Memberwise initializer.
    public init(nr: Int32, args: [UInt64], enteredNs: UInt64 = 0) {
        self.nr = nr
        self.args = args
        self.enteredNs = enteredNs
    }
}
