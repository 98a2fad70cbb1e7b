import CaptureFormat

extension SyscallRecord {
    /// Decodes the syscall record a capture reader handed out.
    @inlinable
    public init(_ view: RecordView) throws(RecordDecodeError) { try self.init(bytes: view.bytes) }
}

extension ForkRecord {
    /// Decodes the fork record a capture reader handed out.
    public init(_ view: RecordView) throws(RecordDecodeError) { try self.init(bytes: view.bytes) }
}

extension ExecRecord {
    /// Decodes the exec record a capture reader handed out.
    public init(_ view: RecordView) throws(RecordDecodeError) { try self.init(bytes: view.bytes) }
}

extension ExitRecord {
    /// Decodes the exit record a capture reader handed out.
    public init(_ view: RecordView) throws(RecordDecodeError) { try self.init(bytes: view.bytes) }
}

extension RecordView {
    /// The record's type when kcap knows it; nil means "skip by length".
    public var recordType: RecordType? { RecordType(rawValue: type) }
}
