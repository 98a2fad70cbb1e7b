/// The type of a block (u16 in the frame). A struct rather than an enum so unknown types from newer
/// writers stay representable: readers skip them by length.
public struct BlockType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The u16 stored in the frame.
    public var rawValue: UInt16
    /// Wraps a raw type number, known or not.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// JSON of CaptureHeader; always the first block.
    public static let header = BlockType(rawValue: 1)
    /// Raw kcap records, verbatim, usually LZ4-compressed.
    public static let events = BlockType(rawValue: 2)
    /// Thread and fd tables (CaptureSnapshot, binary encoding), usually LZ4-compressed.
    public static let snapshot = BlockType(rawValue: 3)
    /// Cumulative counters (CaptureCounters).
    public static let counters = BlockType(rawValue: 4)
    /// The index of every earlier block; written once by finish().
    public static let footer = BlockType(rawValue: 5)

    /// A short name for messages ("events", "snapshot", ... or "type 42").
    public var description: String {
        switch self {
        case .header: return "header"
        case .events: return "events"
        case .snapshot: return "snapshot"
        case .counters: return "counters"
        case .footer: return "footer"
        default: return "type \(rawValue)"
        }
    }
}
