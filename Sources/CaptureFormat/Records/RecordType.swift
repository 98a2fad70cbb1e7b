/// `enum kcap_record_type`: what follows the common header.
public enum RecordType: UInt16, Sendable, CaseIterable, CustomStringConvertible {
    /// `struct kcap_syscall`, one per syscall, written at its exit.
    case syscall = 1
    /// `struct kcap_proc_fork` from `sched_process_fork`.
    case procFork = 2
    /// `struct kcap_proc_exec` from `sched_process_exec`.
    case procExec = 3
    /// `struct kcap_proc_exit` from `sched_process_exit`.
    case procExit = 4
    /// `struct kcap_signal` from `signal_deliver`.
    case signal = 6

    /// The C enumerator's name, for messages and docs.
    public var description: String {
        switch self {
        case .syscall: return "KCAP_REC_SYSCALL"
        case .procFork: return "KCAP_REC_PROC_FORK"
        case .procExec: return "KCAP_REC_PROC_EXEC"
        case .procExit: return "KCAP_REC_PROC_EXIT"
        case .signal: return "KCAP_REC_SIGNAL"
        }
    }

    /// The fixed part of the record's layout, in bytes (header included).
    public var fixedSize: Int {
        switch self {
        case .syscall: return KcapABI.Syscall.size
        case .procFork: return KcapABI.ProcFork.size
        case .procExec: return KcapABI.ProcExec.size
        case .procExit: return KcapABI.ProcExit.size
        case .signal: return KcapABI.Signal.size
        }
    }
}
