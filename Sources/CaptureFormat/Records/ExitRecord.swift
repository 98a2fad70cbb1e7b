/// A view of one `struct kcap_proc_exit` record: a thread ended.
public struct ExitRecord: TypedRecordView {
    public static let recordType = RecordType.procExit, structName: StaticString = "kcap_proc_exit"
    public let bytes: UnsafeRawBufferPointer
    @inlinable public init(unchecked view: RecordView) { bytes = view.bytes }

    /// `task->exit_code`: `(status << 8) | terminating signal`.
    @inlinable public var exitCode: Int32 { Int32(bitPattern: LE.u32(bytes, KcapABI.ProcExit.exitCode)) }
    /// The exit status a parent's wait sees (meaningful when `signal` is 0).
    public var status: Int32 { (exitCode >> 8) & 0xff }
    /// The signal that killed the thread, or 0.
    public var signal: Int32 { exitCode & 0x7f }
    /// True when a core dump was written.
    public var coreDumped: Bool { exitCode & 0x80 != 0 }
    /// True when this was the last thread of its process.
    @inlinable public var groupDead: Bool { LE.u32(bytes, KcapABI.ProcExit.groupDead) != 0 }
}
