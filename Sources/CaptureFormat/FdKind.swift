/// What an fd refers to. The raw values are stored in snapshot blocks: append new kinds, never renumber.
public enum FdKind: UInt8, Sendable, CaseIterable {
    /// Not known (the snapshot could not tell).
    case unknown = 0
    /// A regular file or device.
    case file
    /// A directory.
    case directory
    /// An AF_INET socket.
    case ipv4
    /// An AF_INET6 socket.
    case ipv6
    /// An AF_UNIX socket.
    case unix
    /// A pipe or FIFO.
    case pipe
    /// An eventfd.
    case event
    /// A signalfd.
    case signalfd
    /// An epoll instance.
    case eventpoll
    /// An inotify instance.
    case inotify
    /// A timerfd.
    case timerfd
    /// An AF_NETLINK socket.
    case netlink
    /// A BPF map, program or link.
    case bpf
    /// A userfaultfd.
    case userfaultfd
    /// An io_uring instance.
    case iouring
    /// A memfd.
    case memfd
    /// A pidfd.
    case pidfd
    /// Anything else (anon inodes kcap does not name).
    case other
}
