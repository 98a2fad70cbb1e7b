/// Offsets and sizes of the records defined in `bpf/kcap_abi.h`, as Swift reads them.
///
/// Swift decodes the raw records with explicit little-endian loads at these offsets instead of importing the C
/// structs, so the Analyzer builds without the C header and never depends on the host's struct layout.
/// `ABILayoutTests` proves that every constant here equals the C compiler's layout of the header.
public enum KcapABI {
    /// `KCAP_ABI_VERSION`: the record meaning this decoder understands.
    public static let version = 1
    /// `KCAP_RECORD_ALIGN`: every `hdr.len` is a multiple of this.
    public static let recordAlign = 8
    /// `KCAP_RECORD_MAX`: no record is longer; a longer `hdr.len` marks a corrupt record.
    public static let recordMax = 8192

    /// Layout of `struct kcap_hdr`.
    public enum Header {
        public static let size = 24
        public static let tsNs = 0
        public static let tid = 8
        public static let pid = 12
        public static let type = 16
        public static let len = 18
        public static let cpu = 20
        public static let flags = 22
    }

    /// Layout of `struct kcap_syscall`; items start right after the fixed part.
    public enum Syscall {
        public static let size = 96
        public static let latencyNs = 24
        public static let nr = 32
        public static let nitems = 34
        public static let pad0 = 36
        public static let ret = 40
        public static let args = 48
        public static let argCount = 6
    }

    /// Layout of `struct kcap_item` (the 4-byte header in front of each item's bytes).
    public enum Item {
        public static let size = 4
        public static let kind = 0
        public static let arg = 1
        public static let len = 2
        /// `arg` value meaning "this item decodes no particular argument".
        public static let noArg: UInt8 = 0xff
    }

    /// Layout of `struct kcap_tuple`.
    public enum Tuple {
        public static let size = 40
        public static let family = 0
        public static let proto = 2
        public static let lport = 4
        public static let rport = 6
        public static let laddr = 8
        public static let raddr = 24
        public static let addrSize = 16
    }

    /// Layout of `struct kcap_proc_fork`.
    public enum ProcFork {
        public static let size = 48
        public static let childTid = 24
        public static let childPid = 28
        public static let childComm = 32
        public static let commSize = 16
    }

    /// Layout of `struct kcap_proc_exec`; items start right after the fixed part.
    public enum ProcExec {
        public static let size = 64
        public static let oldTid = 24
        public static let ppid = 28
        public static let uid = 32
        public static let gid = 36
        public static let nitems = 40
        public static let pad0 = 42
        public static let pad1 = 44
        public static let comm = 48
        public static let commSize = 16
    }

    /// Layout of `struct kcap_proc_exit`.
    public enum ProcExit {
        public static let size = 32
        public static let exitCode = 24
        public static let groupDead = 28
    }

    /// Layout of `struct kcap_counters`.
    public enum Counters {
        public static let size = 40
        public static let seen = 0
        public static let written = 8
        public static let dropRingFull = 16
        public static let dropTooLarge = 24
        public static let dropReadFail = 32
    }
}

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

    /// The C enumerator's name, for messages and docs.
    public var description: String {
        switch self {
        case .syscall: return "KCAP_REC_SYSCALL"
        case .procFork: return "KCAP_REC_PROC_FORK"
        case .procExec: return "KCAP_REC_PROC_EXEC"
        case .procExit: return "KCAP_REC_PROC_EXIT"
        }
    }

    /// The fixed part of the record's layout, in bytes (header included).
    public var fixedSize: Int {
        switch self {
        case .syscall: return KcapABI.Syscall.size
        case .procFork: return KcapABI.ProcFork.size
        case .procExec: return KcapABI.ProcExec.size
        case .procExit: return KcapABI.ProcExit.size
        }
    }
}

/// `enum kcap_record_flags` in `hdr.flags`.
public struct RecordFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    /// Creates flags from the raw `hdr.flags` value.
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    /// `KCAP_F_TRUNCATED`: an item was cut short (snaplen, scratch space or a string limit).
    public static let truncated = RecordFlags(rawValue: 1 << 0)
    /// `KCAP_F_READ_FAILED`: a user-memory read failed and the affected item is absent.
    public static let readFailed = RecordFlags(rawValue: 1 << 1)
    /// `KCAP_F_NO_ENTER`: the syscall entry was not seen, so the latency is unknown.
    public static let noEnter = RecordFlags(rawValue: 1 << 2)
}

/// `enum kcap_item_kind`: what an item's bytes hold.
public enum ItemKind: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// A path string as the thread passed it, without the NUL.
    case path = 1
    /// `struct sockaddr` bytes, family first.
    case sockaddr = 2
    /// The first snaplen bytes of an I/O buffer.
    case data = 3
    /// Exec argv: NUL-terminated strings, concatenated.
    case argv = 4
    /// Two `s32` fds (pipe, pipe2, socketpair).
    case fdPair = 5
    /// A `struct kcap_tuple` of a socket fd.
    case tuple = 6
    /// The first bytes of clone3's `struct clone_args`.
    case cloneArgs = 7
    /// Reserved for signal information.
    case siginfo = 8

    /// The C enumerator's name.
    public var description: String {
        switch self {
        case .path: return "KCAP_ITEM_PATH"
        case .sockaddr: return "KCAP_ITEM_SOCKADDR"
        case .data: return "KCAP_ITEM_DATA"
        case .argv: return "KCAP_ITEM_ARGV"
        case .fdPair: return "KCAP_ITEM_FDPAIR"
        case .tuple: return "KCAP_ITEM_TUPLE"
        case .cloneArgs: return "KCAP_ITEM_CLONE_ARGS"
        case .siginfo: return "KCAP_ITEM_SIGINFO"
        }
    }
}
