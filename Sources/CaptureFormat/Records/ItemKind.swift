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
    /// A `struct kcap_inode`: the file an open* returned (arg 0xff) or a stat* described (its buffer's arg).
    case inode = 9
    /// Set only by readers of other formats: an integer parameter of the original event (a sysdig capture's)
    /// that no syscall argument holds; `arg` is its index in that event, the bytes its little-endian value.
    case foreignInteger = 10
    /// The bytes of user memory an argument points to, read at the syscall's exit: a value the call wrote
    /// (wait4's status). `arg` is the argument.
    case memory = 11

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
        case .inode: return "KCAP_ITEM_INODE"
        case .foreignInteger: return "KCAP_ITEM_FOREIGN_INT"
        case .memory: return "KCAP_ITEM_MEMORY"
        }
    }
}
