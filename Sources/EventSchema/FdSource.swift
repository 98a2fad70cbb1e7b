/// Which fd an event is about (what its `fd.*` fields describe): the event table's `fdSource` column.
public enum FdSource: UInt8, Sendable, CaseIterable {
    /// The event has no fd.
    case none = 0
    /// The fd is argument 0 (read, write, close, connect...).
    case arg0
    /// The fd is the result (open, socket, accept, dup...).
    case result
    /// The first of the two fds the call made (pipe, pipe2: the read end), as sysdig shows them.
    case pairFirst

    /// The name `kcap events` and docs/events.md show.
    public var name: String { String(describing: self) }
}
