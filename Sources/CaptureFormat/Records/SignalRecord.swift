/// A view of one `struct kcap_signal` record: a signal delivered to the thread in the header.
public struct SignalRecord: TypedRecordView {
    public static let recordType = RecordType.signal, structName: StaticString = "kcap_signal"
    public let bytes: UnsafeRawBufferPointer
    @inlinable public init(unchecked view: RecordView) { bytes = view.bytes }

    /// The signal number.
    @inlinable public var signal: Int32 { Int32(bitPattern: LE.u32(bytes, KcapABI.Signal.sig)) }
    /// `si_code`: who or what sent it (SI_USER, SI_TKILL, SI_KERNEL, CLD_EXITED, SEGV_MAPERR...).
    @inlinable public var code: Int32 { Int32(bitPattern: LE.u32(bytes, KcapABI.Signal.code)) }
    /// The sending process (kill, tgkill, sigqueue; a child's SIGCHLD), or 0.
    @inlinable public var senderPid: UInt32 { LE.u32(bytes, KcapABI.Signal.senderPid) }
    /// The sender's uid (with `senderPid`).
    @inlinable public var senderUid: UInt32 { LE.u32(bytes, KcapABI.Signal.senderUid) }
    /// SIGCHLD: the child's exit status, or the signal that ended or stopped it.
    @inlinable public var status: Int32 { Int32(bitPattern: LE.u32(bytes, KcapABI.Signal.status)) }
    /// The faulting address of SIGSEGV, SIGBUS, SIGILL, SIGFPE and SIGTRAP, else 0.
    @inlinable public var address: UInt64 { LE.u64(bytes, KcapABI.Signal.addr) }
    /// True when the kernel passed a siginfo: `code`, the sender, `status` and `address` are meaningful (a
    /// group exit's SIGKILL comes without one).
    @inlinable public var hasInfo: Bool { LE.u32(bytes, KcapABI.Signal.flags) & KcapABI.Signal.hasInfo != 0 }
    /// The disposition that runs: 0 SIG_DFL, 1 SIG_IGN, else the handler's address.
    @inlinable public var handler: UInt64 { LE.u64(bytes, KcapABI.Signal.handler) }
}
