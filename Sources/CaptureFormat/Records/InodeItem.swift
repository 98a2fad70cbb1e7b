/// The bytes of an INODE item (`struct kcap_inode`): the identity and ownership of the file an open*
/// returned or a stat* described.
public struct InodeItem: Sendable, Equatable {
    /// Inode number.
    public let ino: UInt64
    /// Kernel dev_t of the filesystem (major << 20 | minor).
    public let dev: UInt32
    /// File type and permission bits (S_IFMT | 07777).
    public let mode: UInt32
    /// Owner uid, as seen from the initial user namespace.
    public let uid: UInt32
    /// Owner gid.
    public let gid: UInt32

    /// Decodes an item's bytes; nil when they are shorter than `struct kcap_inode`.
    public init?(_ data: UnsafeRawBufferPointer) {
        guard data.count >= KcapABI.Inode.size else { return nil }
        ino = LE.u64(data, KcapABI.Inode.ino)
        dev = LE.u32(data, KcapABI.Inode.dev)
        mode = LE.u32(data, KcapABI.Inode.mode)
        uid = LE.u32(data, KcapABI.Inode.uid)
        gid = LE.u32(data, KcapABI.Inode.gid)
    }
}
