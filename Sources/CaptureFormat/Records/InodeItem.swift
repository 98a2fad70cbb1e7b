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
    /// The file's size (st_size, stx_size): stat* items of recorders since issue 10; nil in an open's item and
    /// in older captures.
    public let size: UInt64?
    /// statx: the fields the kernel filled (`stx_mask`), and the file's attributes; nil for the other calls.
    public let statxMask: UInt32?
    /// statx: `stx_attributes` (STATX_ATTR_*).
    public let statxAttributes: UInt64?

    /// Decodes an item's bytes; nil when they are shorter than the first recorders' `struct kcap_inode`.
    public init?(_ data: UnsafeRawBufferPointer) {
        guard data.count >= KcapABI.Inode.v1Size else { return nil }
        ino = LE.u64(data, KcapABI.Inode.ino)
        dev = LE.u32(data, KcapABI.Inode.dev)
        mode = LE.u32(data, KcapABI.Inode.mode)
        uid = LE.u32(data, KcapABI.Inode.uid)
        gid = LE.u32(data, KcapABI.Inode.gid)
        if data.count >= KcapABI.Inode.size {
            size = LE.u64(data, KcapABI.Inode.fileSize)
            let mask = LE.u32(data, KcapABI.Inode.stxMask)
            statxMask = mask == 0 ? nil : mask
            statxAttributes = mask == 0 ? nil : LE.u64(data, KcapABI.Inode.stxAttributes)
        } else {
            size = nil
            statxMask = nil
            statxAttributes = nil
        }
    }
}
