/// A view of one `struct kcap_proc_fork` record: a new thread or process. The header's tid/pid are the parent's.
public struct ForkRecord {
    /// The record's bytes, cut to `hdr.len`.
    public let bytes: UnsafeRawBufferPointer

    /// Checks the header and lengths.
    public init(bytes: UnsafeRawBufferPointer) throws(RecordDecodeError) {
        self.bytes = try validatedRecordBytes(bytes, expected: .procFork, name: "kcap_proc_fork")
    }

    /// The common header (parent thread).
    public var header: RecordHeader { RecordHeader(unchecked: bytes) }
    /// Parent thread id.
    public var parentTid: UInt32 { LE.u32(bytes, KcapABI.Header.tid) }
    /// Parent process id.
    public var parentPid: UInt32 { LE.u32(bytes, KcapABI.Header.pid) }
    /// The new thread's id.
    public var childTid: UInt32 { LE.u32(bytes, KcapABI.ProcFork.childTid) }
    /// The new thread's process id (the parent's pid when a thread was created).
    public var childPid: UInt32 { LE.u32(bytes, KcapABI.ProcFork.childPid) }
    /// The child's comm.
    public var childComm: String { LE.cString(bytes, KcapABI.ProcFork.childComm, maxLength: KcapABI.ProcFork.commSize) }
    /// True when the child is a new thread of the parent's process rather than a new process.
    public var isThread: Bool { childPid == parentPid && childTid != childPid }
}
