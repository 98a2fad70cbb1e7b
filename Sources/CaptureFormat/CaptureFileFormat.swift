// The capture file: blocks, chunks, LZ4, checksums, index, snapshots, recovery.
// docs/capture-format.md is the specification; the constants here are its numbers.

/// Numbers of the capture file format (docs/capture-format.md). A namespace, not a type to instantiate.
public enum CaptureFileFormat {
    /// The 8 bytes every capture starts with. 0x89 (not ASCII) catches 7-bit transfers and text-mode UTF-8
    /// re-encoding, "\r\n" then "\n" catch newline translation in either direction, 0x1A stops `type` on DOS.
    public static let magic: [UInt8] = [0x89, 0x4B, 0x43, 0x50, 0x0D, 0x0A, 0x1A, 0x0A]  // \x89 K C P \r \n ^Z \n
    /// The last 8 bytes of a finished file (after the u64 footer offset).
    public static let endMagic: [UInt8] = [0x89, 0x4B, 0x43, 0x50, 0x45, 0x4E, 0x44, 0x0A]  // \x89 K C P E N D \n
    /// Major version written by this code. A reader refuses files with a larger major version.
    public static let majorVersion: UInt16 = 1
    /// Minor version written by this code. Minor versions only add things older readers can skip.
    /// 1.1: snapshots end with the recording host's user and group name tables.
    /// 1.2: a snapshot thread entry may end with the syscall the thread was inside (`InFlightSyscall`).
    /// 1.3: header keys `hosts` (a merge of several hosts) and `redaction`; a snapshot may end with its host's
    /// number; a socket's fd entry may end with its state (listening, connected).
    public static let minorVersion: UInt16 = 3
    /// Size of the file preamble: magic, u16 major, u16 minor, u32 flags.
    public static let preambleSize = 16
    /// Size of a block frame.
    public static let frameSize = 48
    /// Size of the trailer of a finished file: u64 footer offset + end magic.
    public static let trailerSize = 16
    /// Every block frame starts with this u32 (bytes "KBk" 0xB7 on disk), so a scanning reader can find
    /// the next block after damage. Checked together with the frame's own CRC.
    public static let syncMarker: UInt32 = 0xB76B_424B
    /// Block flag bit 0: the payload is LZ4 block-compressed (LZ4_compress_default) as one unit.
    public static let flagLZ4: UInt16 = 1
    /// Block flag bits this version understands; a block with any other bit set is reported and skipped.
    public static let knownBlockFlags: UInt16 = flagLZ4
    /// Upper bound on a block's stored and raw payload length; anything larger is damage, not data.
    public static let maxPayloadLength = 64 << 20
    /// Default raw size of one event chunk.
    public static let defaultChunkCapacity = 1 << 20
    /// Upper bound on the header block's JSON; a larger one is damage (the header holds a few KiB).
    public static let maxHeaderLength = 1 << 20
    /// Upper bound on the number of blocks a reader indexes (4 Mi blocks of ~1 MiB raw each is ~4 TiB of
    /// events), so a hostile file of empty blocks cannot make the index itself huge.
    public static let maxBlocks = 1 << 22
    /// Upper bound on strings and lists inside a snapshot entry, so damage cannot ask for huge allocations.
    static let maxSnapshotEntries = 16 << 20
}
