/// A view of one `struct kcap_proc_fork` record: a new thread or process. The header's tid/pid are the parent's.
public struct ForkRecord: TypedRecordView {
    public static let recordType = RecordType.procFork, structName: StaticString = "kcap_proc_fork"
    public let bytes: UnsafeRawBufferPointer
    @inlinable public init(unchecked view: RecordView) { bytes = view.bytes }

    /// Parent thread id.
    @inlinable public var parentTid: UInt32 { LE.u32(bytes, KcapABI.Header.tid) }
    /// Parent process id.
    @inlinable public var parentPid: UInt32 { LE.u32(bytes, KcapABI.Header.pid) }
    /// The new thread's id.
    @inlinable public var childTid: UInt32 { LE.u32(bytes, KcapABI.ProcFork.childTid) }
    /// The new thread's process id (the parent's pid when a thread was created).
    @inlinable public var childPid: UInt32 { LE.u32(bytes, KcapABI.ProcFork.childPid) }
    /// The child's comm.
    public var childComm: String { LE.cString(bytes, KcapABI.ProcFork.childComm, maxLength: KcapABI.ProcFork.commSize) }
    /// The child's comm as bytes, without the NUL padding.
    public var childCommBytes: UnsafeRawBufferPointer {
        LE.cStringBytes(bytes, KcapABI.ProcFork.childComm, maxLength: KcapABI.ProcFork.commSize)
    }
    /// True when the child is a new thread of the parent's process rather than a new process.
    public var isThread: Bool { childPid == parentPid && childTid != childPid }
}
