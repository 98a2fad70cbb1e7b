/// A view of one `struct kcap_proc_exec` record: a successful exec. The header's tid/pid are the thread after exec.
public struct ExecRecord: TypedRecordView {
    public static let recordType = RecordType.procExec, structName: StaticString = "kcap_proc_exec"
    public let bytes: UnsafeRawBufferPointer
    @inlinable public init(unchecked view: RecordView) { bytes = view.bytes }

    /// The tid that called exec (differs from `tid` when a non-leader thread exec'd).
    @inlinable public var oldTid: UInt32 { LE.u32(bytes, KcapABI.ProcExec.oldTid) }
    /// Process id of the real parent.
    @inlinable public var ppid: UInt32 { LE.u32(bytes, KcapABI.ProcExec.ppid) }
    /// Real uid.
    @inlinable public var uid: UInt32 { LE.u32(bytes, KcapABI.ProcExec.uid) }
    /// Real gid.
    @inlinable public var gid: UInt32 { LE.u32(bytes, KcapABI.ProcExec.gid) }
    /// The new comm.
    public var comm: String { LE.cString(bytes, KcapABI.ProcExec.comm, maxLength: KcapABI.ProcExec.commSize) }
    /// The new comm as bytes, without the NUL padding.
    public var commBytes: UnsafeRawBufferPointer {
        LE.cStringBytes(bytes, KcapABI.ProcExec.comm, maxLength: KcapABI.ProcExec.commSize)
    }
    /// Number of items the record declares.
    @inlinable public var itemCount: Int { Int(LE.u16(bytes, KcapABI.ProcExec.nitems)) }
    /// The packed items (PATH, ARGV).
    @inlinable public var items: RecordItems {
        RecordItems(bytes: LE.tail(bytes, from: KcapABI.ProcExec.size),
                    count: itemCount, recordName: "kcap_proc_exec", baseOffset: KcapABI.ProcExec.size)
    }
    /// The file the kernel executed, or nil when the record has no PATH item.
    public var filename: String? { items.first(.path)?.string }
    /// The new image's arguments (empty when the record has no ARGV item).
    public var argv: [String] { items.first(.argv)?.argv ?? [] }
}
