/// `enum kcap_record_flags` in `hdr.flags`.
public struct RecordFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    /// Creates flags from the raw `hdr.flags` value.
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    /// `KCAP_F_TRUNCATED`: an item was cut short (snaplen, scratch space or a string limit).
    public static let truncated = RecordFlags(rawValue: 1 << 0)
    /// `KCAP_F_READ_FAILED`: a user-memory read failed and the affected item is absent.
    public static let readFailed = RecordFlags(rawValue: 1 << 1)
    /// `KCAP_F_NO_ENTER`: the syscall entry was not seen, so the latency is unknown.
    public static let noEnter = RecordFlags(rawValue: 1 << 2)
    /// `KCAP_F_ENTRY`: a syscall's entry event (evt.dir `>`), from a source that records both directions (a
    /// sysdig capture); it has arguments but no result, and the engine applies no effect for it.
    public static let entry = RecordFlags(rawValue: 1 << 3)
    /// `KCAP_F_SYNTHETIC`: a record a reader of another format made to carry state that format gives another
    /// way (a sysdig clone child's parent); the engine applies it and hands no event out.
    public static let synthetic = RecordFlags(rawValue: 1 << 4)
    /// `KCAP_F_NO_FD`: the other format's event has no fd (sysdig's table gives this event none), so the
    /// event has no `fd.*` fields even where kcap's row for the syscall names one.
    public static let noFd = RecordFlags(rawValue: 1 << 5)
    /// `KCAP_F_CONTEXT`: written by `kcap slice` for a record its filter hid but whose state change (a fork,
    /// an open, a close) the slice keeps; readers apply it and do not print it unless asked.
    public static let context = RecordFlags(rawValue: 1 << 6)
}
