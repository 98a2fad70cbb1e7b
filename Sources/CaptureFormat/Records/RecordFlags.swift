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
    /// `KCAP_F_CONTEXT`: written by `kcap slice` for a record its filter hid but whose state change (a fork,
    /// an open, a close) the slice keeps; readers apply it and do not print it unless asked.
    public static let context = RecordFlags(rawValue: 1 << 3)
}
