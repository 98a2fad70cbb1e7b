import CaptureFormat

/// A socket's endpoints kept inline in an fd entry (no heap storage, so copying an entry allocates nothing).
public struct FdTuple: Sendable, Equatable {
    /// AF_INET (2), AF_INET6 (10), AF_UNIX (1), or 0 when unknown.
    public var family: UInt16 = 0
    /// IPPROTO_TCP (6), IPPROTO_UDP (17), or 0.
    public var proto: UInt16 = 0
    /// Local port, host byte order.
    public var localPort: UInt16 = 0
    /// Remote port, host byte order.
    public var remotePort: UInt16 = 0
    /// Local address, network byte order (IPv4 in the first 4 bytes), as two words.
    public var localHi: UInt64 = 0, localLo: UInt64 = 0
    /// Remote address, network byte order, as two words.
    public var remoteHi: UInt64 = 0, remoteLo: UInt64 = 0

    /// An empty tuple.
    public init() {}

    /// Address bytes (16) of the local (`remote == false`) or remote end.
    public func address(remote: Bool) -> [UInt8] {
        var hi = remote ? remoteHi : localHi, lo = remote ? remoteLo : localLo
        var out = [UInt8](repeating: 0, count: 16)
        withUnsafeBytes(of: &hi) { for i in 0..<8 { out[i] = $0[i] } }
        withUnsafeBytes(of: &lo) { for i in 0..<8 { out[8 + i] = $0[i] } }
        return out
    }

    /// Sets the local or remote address from up to 16 network-order bytes.
    public mutating func setAddress(_ bytes: UnsafeRawBufferPointer, remote: Bool) {
        var buf = (UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &buf) { dst in
            for i in 0..<min(16, bytes.count) { dst[i] = bytes[i] }
        }
        if remote { remoteHi = buf.0; remoteLo = buf.1 } else { localHi = buf.0; localLo = buf.1 }
    }

    /// True when both ends' addresses and ports are zero.
    public var isEmpty: Bool {
        localPort == 0 && remotePort == 0 && localHi == 0 && localLo == 0 && remoteHi == 0 && remoteLo == 0
    }
}

/// One open file descriptor as the engine knows it.
public struct FdEntry: Sendable, Equatable {
    /// What the fd refers to.
    public var kind: FdKind
    /// Open flags as passed to open*/pipe2/socket (O_CLOEXEC included when set).
    public var openFlags: UInt32
    /// Path (files, directories, unix sockets, memfd) in the engine's `PathPool`, or `PathPool.none`.
    public var name: Int32
    /// Close-on-exec.
    public var cloexec: Bool
    /// Socket endpoints (family 0 for non-sockets).
    public var tuple: FdTuple
    /// True for a socket returned by accept: its remote end is the client (fd.name prints remote->local).
    public var accepted: Bool = false
    /// A socket's state (listening after listen(), connected after connect/accept/socketpair), from the
    /// records or the snapshot; `.unknown` for other fds and for sockets nothing told about.
    public var socketState: SocketState = .unknown
    /// The file behind the fd (inode, device, mode, owner), from the open's INODE item, an fstat, or a
    /// snapshot (inode only); `inode == 0` when unknown.
    public var file = FileIdentity()

    /// An entry of `kind` with no name yet.
    public init(kind: FdKind, openFlags: UInt32 = 0, name: Int32 = PathPool.none, cloexec: Bool = false,
                tuple: FdTuple = FdTuple()) {
        self.kind = kind
        self.openFlags = openFlags
        self.name = name
        self.cloexec = cloexec
        self.tuple = tuple
    }

    /// True when `fd.name` has a value: a path, or an inet socket's non-empty tuple.
    public var hasName: Bool {
        if isSocket && kind != .unix { return tuple.family != 0 && !tuple.isEmpty }
        return name >= 0
    }

    /// True for the socket kinds.
    public var isSocket: Bool { kind == .ipv4 || kind == .ipv6 || kind == .unix || kind == .netlink }
}

/// The open fds of one process, shared (by reference) by every thread and every CLONE_FILES child that shares
/// the kernel's files table, so an open in one thread is seen by all of them.
public final class FdTable {
    /// Fds below this live in a flat array; above it (rare), in a dictionary.
    static let denseLimit: Int32 = 1 << 16
    /// Entries of fds 0..<denseCount, in memory the table owns: a lookup per event is a load, with no
    /// reference counting of an array buffer.
    @exclusivity(unchecked)
    private var dense: UnsafeMutablePointer<FdEntry?>
    @exclusivity(unchecked)
    private var denseCount: Int
    @exclusivity(unchecked)
    private var sparse: [Int32: FdEntry] = [:]
    /// Number of open fds known.
    @exclusivity(unchecked)
    public private(set) var count = 0

    /// An empty table. It allocates nothing until an fd is set: every process has one, and a capture of a
    /// million forks would otherwise spend a kilobyte on each.
    public init() {
        denseCount = 0
        dense = .allocate(capacity: 0)
    }

    deinit {
        dense.deinitialize(count: denseCount)
        dense.deallocate()
    }

    /// A copy (fork without CLONE_FILES, exec of a shared table, close_range with CLOSE_RANGE_UNSHARE).
    public func copy() -> FdTable {
        let t = FdTable()
        // Only up to the highest open fd: a forked child of a shell holds fds 0-2, not the parent's capacity.
        var used = denseCount
        while used > 0, dense[used - 1] == nil { used -= 1 }
        t.grow(to: used)
        t.dense.update(from: dense, count: used)
        t.sparse = sparse
        t.count = count
        return t
    }

    private func grow(to n: Int) {
        guard n > denseCount else { return }
        // Doubling, from 4 entries (stdin, stdout, stderr and one more).
        var newCount = max(denseCount * 2, 4)
        while newCount < n { newCount *= 2 }
        let p = UnsafeMutablePointer<FdEntry?>.allocate(capacity: newCount)
        p.moveInitialize(from: dense, count: denseCount)
        (p + denseCount).initialize(repeating: nil, count: newCount - denseCount)
        dense.deallocate()
        dense = p
        denseCount = newCount
    }

    /// The entry of `fd`, or nil when it is not known.
    @inline(__always)
    public subscript(fd: Int32) -> FdEntry? {
        if fd >= 0, fd < Self.denseLimit {
            return Int(fd) < denseCount ? dense[Int(fd)] : nil
        }
        return fd < 0 ? nil : sparse[fd]
    }

    /// Sets (replacing) `fd`.
    public func set(_ fd: Int32, _ entry: FdEntry) {
        guard fd >= 0 else { return }
        if fd < Self.denseLimit {
            let i = Int(fd)
            if i >= denseCount { grow(to: i + 1) }
            if dense[i] == nil { count += 1 }
            dense[i] = entry
        } else {
            if sparse.updateValue(entry, forKey: fd) == nil { count += 1 }
        }
    }

    /// Removes `fd` (no-op when unknown).
    public func remove(_ fd: Int32) {
        guard fd >= 0 else { return }
        if fd < Self.denseLimit {
            let i = Int(fd)
            if i < denseCount, dense[i] != nil { dense[i] = nil; count -= 1 }
        } else if sparse.removeValue(forKey: fd) != nil {
            count -= 1
        }
    }

    /// Updates `fd` in place when known.
    @inline(__always)
    public func update(_ fd: Int32, _ body: (inout FdEntry) -> Void) {
        guard var e = self[fd] else { return }
        body(&e)
        set(fd, e)
    }

    /// Removes every fd in `first...last`.
    public func removeRange(_ first: Int32, _ last: Int32) {
        for fd in allFds() where fd >= first && fd <= last { remove(fd) }
    }

    /// Marks every fd in `first...last` close-on-exec.
    public func setCloexecRange(_ first: Int32, _ last: Int32) {
        for fd in allFds() where fd >= first && fd <= last { update(fd) { $0.cloexec = true } }
    }

    /// Removes every close-on-exec fd (a successful exec).
    public func removeCloexec() {
        for fd in allFds() where self[fd]!.cloexec { remove(fd) }
    }

    /// Removes every fd.
    public func removeAll() {
        dense.update(repeating: nil, count: denseCount)
        sparse.removeAll()
        count = 0
    }

    /// Every known fd, ascending.
    public func allFds() -> [Int32] {
        var out: [Int32] = []
        for i in 0..<denseCount where dense[i] != nil { out.append(Int32(i)) }
        out.append(contentsOf: sparse.keys.sorted())
        return out
    }
}

/// The identity of the file behind an fd, as `struct kcap_inode` carries it (the inode, uid and mode of
/// reads and writes come from here).
public struct FileIdentity: Sendable, Equatable {
    /// Inode number; 0 when unknown.
    public var inode: UInt64 = 0
    /// Kernel dev_t of the filesystem (major << 20 | minor); 0 when unknown.
    public var dev: UInt32 = 0
    /// File type and permission bits (S_IFMT | 07777); 0 when unknown.
    public var mode: UInt32 = 0
    /// Owner uid (initial user namespace); `UInt32.max` when unknown.
    public var uid: UInt32 = .max
    /// Owner gid; `UInt32.max` when unknown.
    public var gid: UInt32 = .max

    /// Unknown.
    public init() {}

    /// The file an INODE item describes.
    public init(_ item: InodeItem) {
        inode = item.ino
        dev = item.dev
        mode = item.mode
        uid = item.uid
        gid = item.gid
    }

    /// Major device number (kernel dev_t layout).
    public var devMajor: UInt32 { dev >> 20 }
    /// Minor device number.
    public var devMinor: UInt32 { dev & 0xfffff }
}
