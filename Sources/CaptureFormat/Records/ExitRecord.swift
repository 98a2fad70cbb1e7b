/// A view of one `struct kcap_proc_exit` record: a thread ended.
public struct ExitRecord {
    /// The record's bytes, cut to `hdr.len`.
    public let bytes: UnsafeRawBufferPointer

    /// Checks the header and lengths.
    @inlinable
    public init(bytes: UnsafeRawBufferPointer) throws(RecordDecodeError) {
        self.bytes = try validatedRecordBytes(bytes, expected: .procExit, name: "kcap_proc_exit")
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
    /// Thread id.
    @inlinable public var tid: UInt32 { LE.u32(bytes, KcapABI.Header.tid) }
    /// Process id.
    @inlinable public var pid: UInt32 { LE.u32(bytes, KcapABI.Header.pid) }
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
