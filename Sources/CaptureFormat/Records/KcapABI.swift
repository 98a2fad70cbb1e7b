/// Offsets and sizes of the records defined in `bpf/kcap_abi.h`, as Swift reads them.
///
/// Swift decodes the raw records with explicit little-endian loads at these offsets instead of importing the C
/// structs, so a capture is read anywhere without the C header and never through the host's struct layout.
/// `ABILayoutTests` proves that every constant here equals the C compiler's layout of the header; the record
/// views (`RecordView`, `SyscallRecord`, `RecordItem`, ...) are the only code that reads at these offsets.
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
        /// `pad0` as readers of other formats use it: their own event type + 1 (a sysdig capture's ppm event
        /// id) in the low 16 bits, the event's parameter count in the high 16; 0 for the recorder's records.
        public static let foreignType = pad0
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

    /// Layout of `struct kcap_inode` (an INODE item's bytes).
    public enum Inode {
        public static let size = 48
        /// The length of the first recorders' items, and of an open's: the fields up to `gid`.
        public static let v1Size = 24
        public static let ino = 0
        public static let dev = 8
        public static let mode = 12
        public static let uid = 16
        public static let gid = 20
        public static let fileSize = 24
        public static let stxMask = 32
        public static let pad0 = 36
        public static let stxAttributes = 40
        /// The `arg` of the INODE item an open* attaches for the fd it returned.
        public static let returnedFdArg: UInt8 = Item.noArg
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

    /// Layout of `struct kcap_host` (hdr.type `KCAP_REC_HOST`): written only by `kcap merge` of several hosts;
    /// not a `RecordType`, since no event comes of it: the sources read it, the engine never sees it.
    public enum Host {
        public static let recordType: UInt16 = 5
        public static let size = 32
        public static let host = 24
    }

    /// Layout of `struct kcap_proc_exit`.
    public enum ProcExit {
        public static let size = 32
        public static let exitCode = 24
        public static let groupDead = 28
    }

    /// Layout of `struct kcap_signal`.
    public enum Signal {
        public static let size = 64
        public static let sig = 24
        public static let code = 28
        public static let senderPid = 32
        public static let senderUid = 36
        public static let status = 40
        public static let flags = 44
        /// `flags`: the kernel passed a siginfo.
        public static let hasInfo: UInt32 = 1
        public static let addr = 48
        public static let handler = 56
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
