/// What an event is about; the same classes `kcap record --events` and `kcap stats` group by.
public enum EventCategory: String, Sendable, CaseIterable, Codable {
    /// Files, directories, fds of any kind.
    case file
    /// Sockets.
    case net
    /// Processes and threads: creation, exec, exit, credentials, scheduling.
    case process
    /// Memory mappings and policies.
    case memory
    /// Pipes, futexes, System V and POSIX IPC, eventfd, splice.
    case ipc
    /// Signals.
    case signal
    /// Clocks, timers, sleeps.
    case time
    /// Everything else (modules, keys, BPF, system administration).
    case other
}
