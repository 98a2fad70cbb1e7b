/// `enum kcap_record_flags` in `hdr.flags`.
public struct RecordFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    /// Creates flags from the raw `hdr.flags` value.
    @inlinable public init(rawValue: UInt16) { self.rawValue = rawValue }
    // The flags are inlinable computed constants, not stored statics: a stored static of another module is
    // reached through a once-guarded accessor call, and the replay tests flags on every record.
    /// `KCAP_F_TRUNCATED`: an item was cut short (snaplen, scratch space or a string limit).
    @inlinable public static var truncated: RecordFlags { RecordFlags(rawValue: 1 << 0) }
    /// `KCAP_F_READ_FAILED`: a user-memory read failed and the affected item is absent.
    @inlinable public static var readFailed: RecordFlags { RecordFlags(rawValue: 1 << 1) }
    /// `KCAP_F_NO_ENTER`: the syscall entry was not seen, so the latency is unknown.
    @inlinable public static var noEnter: RecordFlags { RecordFlags(rawValue: 1 << 2) }
    /// `KCAP_F_ENTRY`: a syscall's entry event (evt.dir `>`), from a source that records both directions (a
    /// sysdig capture); it has arguments but no result, and the engine applies no effect for it.
    @inlinable public static var entry: RecordFlags { RecordFlags(rawValue: 1 << 3) }
    /// `KCAP_F_SYNTHETIC`: a record a reader of another format made to carry state that format gives another
    /// way (a sysdig clone child's parent); the engine applies it and hands no event out.
    @inlinable public static var synthetic: RecordFlags { RecordFlags(rawValue: 1 << 4) }
    /// `KCAP_F_NO_FD`: the other format's event has no fd (sysdig's table gives this event none), so the
    /// event has no `fd.*` fields even where kcap's row for the syscall names one.
    @inlinable public static var noFd: RecordFlags { RecordFlags(rawValue: 1 << 5) }
    /// `KCAP_F_CONTEXT`: written by `kcap slice` for a record its filter hid but whose state change (a fork,
    /// an open, a close) the slice keeps; readers apply it and do not print it unless asked.
    @inlinable public static var context: RecordFlags { RecordFlags(rawValue: 1 << 6) }
}
