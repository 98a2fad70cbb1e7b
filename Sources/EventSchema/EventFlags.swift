/// Properties of an event type that the engine, filters and statistics act on (falcosecurity's EF_ flags:
/// `createsFd` is EF_CREATES_FD, `usesFd` EF_USES_FD, `closesFd` EF_DESTROYS_FD, `modifiesState` EF_MODIFIES_STATE).
public struct EventFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    /// Creates flags from their raw bits.
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    /// A successful call returns a new fd (open, socket, accept, dup, ...).
    public static let createsFd = EventFlags(rawValue: 1 << 0)
    /// The call acts on an fd given as an argument.
    public static let usesFd = EventFlags(rawValue: 1 << 1)
    /// The call closes an fd (close, close_range, dup2 onto an open fd).
    public static let closesFd = EventFlags(rawValue: 1 << 2)
    /// The call changes the thread table: creation, exec, exit, credentials, cwd.
    public static let changesProcessState = EventFlags(rawValue: 1 << 3)
    /// The call reads data from an fd (evt.is_io_read).
    public static let isIORead = EventFlags(rawValue: 1 << 4)
    /// The call writes data to an fd (evt.is_io_write).
    public static let isIOWrite = EventFlags(rawValue: 1 << 5)
    /// The engine changes its thread or fd table on this event: set from the row's `effect` column (and on the
    /// process events, which the engine applies by record type), never by hand.
    public static let modifiesState = EventFlags(rawValue: 1 << 6)

    /// Every flag with its name, in display order.
    public static let named: [(EventFlags, String)] = [
        (.createsFd, "createsFd"), (.usesFd, "usesFd"), (.closesFd, "closesFd"),
        (.changesProcessState, "changesProcessState"), (.isIORead, "isIORead"), (.isIOWrite, "isIOWrite"),
        (.modifiesState, "modifiesState"),
    ]

    /// The names of the flags that are set, in display order.
    public var names: [String] { EventFlags.named.filter { contains($0.0) }.map { $0.1 } }
}
