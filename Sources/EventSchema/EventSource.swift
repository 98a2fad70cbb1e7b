import CaptureFormat

/// Which record kind an event type is decoded from.
public enum EventSource: Sendable, Equatable {
    /// A `kcap_syscall` record; numbers per architecture (nil: the syscall does not exist there).
    case syscall(x86_64: Int?, aarch64: Int?)
    /// A record of its own: process lifecycle (`procfork`, `procexec`, `procexit`), `signaldeliver`.
    case record(RecordType)
}
