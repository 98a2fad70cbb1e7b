/// One block of a scap file: its type, where its body lies in the file's bytes, and its byte offset.
public struct ScapBlock: Sendable, Equatable {
    /// Block types from falcosecurity/libs' scap_savefile.h (public facts).
    public static let sectionHeader: UInt32 = 0x0A0D0D0A
    public static let machineInfo: UInt32 = 0x201
    public static let processLists: Set<UInt32> = [0x202, 0x207, 0x209, 0x210, 0x211, 0x212, 0x213, 0x214, 0x215]
    public static let fdLists: Set<UInt32> = [0x203, 0x218]
    public static let interfaceLists: Set<UInt32> = [0x205, 0x219]
    public static let userLists: Set<UInt32> = [0x206, 0x220]
    public static let events: Set<UInt32> = [0x204, 0x216, 0x221]
    public static let eventsWithFlags: Set<UInt32> = [0x208, 0x217, 0x222]

    public var type: UInt32
    /// Offset of the block header in the file.
    public var offset: Int
    /// The body: after the 8-byte header, before the 4-byte trailing length.
    public var body: Range<Int>

    @inlinable
    public init(type: UInt32, offset: Int, body: Range<Int>) {
        self.type = type
        self.offset = offset
        self.body = body
    }

    /// An event block (a switch, not the sets: asked once per block, where hashing showed in profiles).
    @inlinable
    public var isEvent: Bool {
        switch type {
        case 0x204, 0x216, 0x221, 0x208, 0x217, 0x222: return true
        default: return false
        }
    }

    /// An event block with a flags word (0x208, 0x217, 0x222).
    @inlinable
    public var hasEventFlags: Bool { type == 0x208 || type == 0x217 || type == 0x222 }
}
