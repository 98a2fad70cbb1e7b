/// A view of one `struct kcap_proc_exec` record: a successful exec. The header's tid/pid are the thread after exec.
public struct ExecRecord {
    /// The record's bytes, cut to `hdr.len`.
    public let bytes: UnsafeRawBufferPointer

    /// Checks the header and lengths.
    @inlinable
    public init(bytes: UnsafeRawBufferPointer) throws(RecordDecodeError) {
        self.bytes = try validatedRecordBytes(bytes, expected: .procExec, name: "kcap_proc_exec")
    }

    /// A record already decoded as this type (as the engine does before it hands out an event); on other
    /// bytes the accessors read zeros, never past the end.
    @inlinable
    public init(unchecked view: RecordView) { bytes = view.bytes }

    /// Decodes a record a walker or a reader handed out.
    @inlinable
    public init(_ view: RecordView) throws(RecordDecodeError) { try self.init(bytes: view.bytes) }

    /// The common header.
    public var header: RecordView { RecordView(bytes: bytes) }
    /// Thread id after exec.
    @inlinable public var tid: UInt32 { LE.u32(bytes, KcapABI.Header.tid) }
    /// Process id.
    @inlinable public var pid: UInt32 { LE.u32(bytes, KcapABI.Header.pid) }
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
        RecordItems(bytes: UnsafeRawBufferPointer(rebasing: bytes[KcapABI.ProcExec.size..<bytes.count]),
                    count: itemCount, recordName: "kcap_proc_exec", baseOffset: KcapABI.ProcExec.size)
    }
    /// The file the kernel executed, or nil when the record has no PATH item.
    public var filename: String? { items.first(.path)?.string }
    /// The new image's arguments (empty when the record has no ARGV item).
    public var argv: [String] { items.first(.argv)?.argv ?? [] }
}
