/// A view of one `struct kcap_syscall` record: the syscall's number, raw arguments, result, latency and items.
///
/// Valid only as long as the bytes it was made from (inside the reader's callback). Creating it checks the header and
/// lengths once; the accessors then read at fixed offsets and allocate nothing.
public struct SyscallRecord {
    /// The record's bytes, cut to `hdr.len`.
    public let bytes: UnsafeRawBufferPointer

    /// Checks that `bytes` hold a syscall record whose `hdr.len` fits; items are checked lazily (see `items`).
    @inlinable
    public init(bytes: UnsafeRawBufferPointer) throws(RecordDecodeError) {
        self.bytes = try validatedRecordBytes(bytes, expected: .syscall, name: "kcap_syscall")
    }

    /// The common header.
    public var header: RecordHeader { RecordHeader(unchecked: bytes) }
    /// Boot-time nanoseconds at syscall exit.
    @inlinable public var timestampNs: UInt64 { LE.u64(bytes, KcapABI.Header.tsNs) }
    /// Thread id.
    @inlinable public var tid: UInt32 { LE.u32(bytes, KcapABI.Header.tid) }
    /// Process id.
    @inlinable public var pid: UInt32 { LE.u32(bytes, KcapABI.Header.pid) }
    /// CPU of the exit.
    @inlinable public var cpu: UInt16 { LE.u16(bytes, KcapABI.Header.cpu) }
    /// Record flags (truncated item, failed read, entry not seen).
    @inlinable public var flags: RecordFlags { RecordFlags(rawValue: LE.u16(bytes, KcapABI.Header.flags)) }
    /// Syscall number in the recording machine's ABI.
    @inlinable public var nr: Int { Int(LE.u16(bytes, KcapABI.Syscall.nr)) }
    /// Raw return value (negative errno on failure).
    @inlinable public var ret: Int64 { Int64(bitPattern: LE.u64(bytes, KcapABI.Syscall.ret)) }
    /// Exit minus entry time, or nil when the entry was not seen.
    @inlinable public var latencyNs: UInt64? {
        flags.contains(.noEnter) ? nil : LE.u64(bytes, KcapABI.Syscall.latencyNs)
    }
    /// The raw latency field (0 when the entry was not seen).
    @inlinable public var rawLatencyNs: UInt64 { LE.u64(bytes, KcapABI.Syscall.latencyNs) }
    /// Boot-time nanoseconds of the syscall entry (exit time minus latency).
    @inlinable public var enterTimestampNs: UInt64 { timestampNs &- rawLatencyNs }
    /// Raw argument `index` (0-5); 0 for an index out of range.
    @inlinable public func arg(_ index: Int) -> UInt64 {
        guard index >= 0, index < KcapABI.Syscall.argCount else { return 0 }
        return LE.u64(bytes, KcapABI.Syscall.args + 8 * index)
    }
    /// The six raw arguments.
    public var args: [UInt64] { (0..<KcapABI.Syscall.argCount).map { arg($0) } }
    /// Number of items the record declares.
    @inlinable public var itemCount: Int { Int(LE.u16(bytes, KcapABI.Syscall.nitems)) }
    /// The errno of a failed syscall (ret in -4095...-1), else nil.
    @inlinable public var errno: Int32? { (-4095 ... -1).contains(ret) ? Int32(-ret) : nil }

    /// The packed items (path, sockaddr, data, fd pair, tuple, clone args).
    public var items: RecordItems {
        RecordItems(bytes: UnsafeRawBufferPointer(rebasing: bytes[KcapABI.Syscall.size..<bytes.count]),
                    count: itemCount, recordName: "kcap_syscall", baseOffset: KcapABI.Syscall.size)
    }
}

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

/// A view of one `struct kcap_proc_exec` record: a successful exec. The header's tid/pid are the thread after exec.
public struct ExecRecord {
    /// The record's bytes, cut to `hdr.len`.
    public let bytes: UnsafeRawBufferPointer

    /// Checks the header and lengths.
    public init(bytes: UnsafeRawBufferPointer) throws(RecordDecodeError) {
        self.bytes = try validatedRecordBytes(bytes, expected: .procExec, name: "kcap_proc_exec")
    }

    /// The common header.
    public var header: RecordHeader { RecordHeader(unchecked: bytes) }
    /// Thread id after exec.
    public var tid: UInt32 { LE.u32(bytes, KcapABI.Header.tid) }
    /// Process id.
    public var pid: UInt32 { LE.u32(bytes, KcapABI.Header.pid) }
    /// The tid that called exec (differs from `tid` when a non-leader thread exec'd).
    public var oldTid: UInt32 { LE.u32(bytes, KcapABI.ProcExec.oldTid) }
    /// Process id of the real parent.
    public var ppid: UInt32 { LE.u32(bytes, KcapABI.ProcExec.ppid) }
    /// Real uid.
    public var uid: UInt32 { LE.u32(bytes, KcapABI.ProcExec.uid) }
    /// Real gid.
    public var gid: UInt32 { LE.u32(bytes, KcapABI.ProcExec.gid) }
    /// The new comm.
    public var comm: String { LE.cString(bytes, KcapABI.ProcExec.comm, maxLength: KcapABI.ProcExec.commSize) }
    /// Number of items the record declares.
    public var itemCount: Int { Int(LE.u16(bytes, KcapABI.ProcExec.nitems)) }
    /// The packed items (PATH, ARGV).
    public var items: RecordItems {
        RecordItems(bytes: UnsafeRawBufferPointer(rebasing: bytes[KcapABI.ProcExec.size..<bytes.count]),
                    count: itemCount, recordName: "kcap_proc_exec", baseOffset: KcapABI.ProcExec.size)
    }
    /// The file the kernel executed, or nil when the record has no PATH item.
    public var filename: String? { items.first(.path)?.string }
    /// The new image's arguments (empty when the record has no ARGV item).
    public var argv: [String] { items.first(.argv)?.argv ?? [] }
}

/// A view of one `struct kcap_proc_exit` record: a thread ended.
public struct ExitRecord {
    /// The record's bytes, cut to `hdr.len`.
    public let bytes: UnsafeRawBufferPointer

    /// Checks the header and lengths.
    public init(bytes: UnsafeRawBufferPointer) throws(RecordDecodeError) {
        self.bytes = try validatedRecordBytes(bytes, expected: .procExit, name: "kcap_proc_exit")
    }

    /// The common header.
    public var header: RecordHeader { RecordHeader(unchecked: bytes) }
    /// Thread id.
    public var tid: UInt32 { LE.u32(bytes, KcapABI.Header.tid) }
    /// Process id.
    public var pid: UInt32 { LE.u32(bytes, KcapABI.Header.pid) }
    /// `task->exit_code`: `(status << 8) | terminating signal`.
    public var exitCode: Int32 { Int32(bitPattern: LE.u32(bytes, KcapABI.ProcExit.exitCode)) }
    /// The exit status a parent's wait sees (meaningful when `signal` is 0).
    public var status: Int32 { (exitCode >> 8) & 0xff }
    /// The signal that killed the thread, or 0.
    public var signal: Int32 { exitCode & 0x7f }
    /// True when a core dump was written.
    public var coreDumped: Bool { exitCode & 0x80 != 0 }
    /// True when this was the last thread of its process.
    public var groupDead: Bool { LE.u32(bytes, KcapABI.ProcExit.groupDead) != 0 }
}
