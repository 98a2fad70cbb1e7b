import Glibc

/// Opens a capture file for writing the way a recorder that often runs as root, in directories others can
/// write to, must: without following a symbolic link at the path (unless asked), only onto a regular file
/// that this user owns and that has no other name, and under an exclusive lock held for as long as the file
/// is written, so a second recorder on the same path fails at once instead of interleaving its blocks with
/// the first one's. The file is truncated only once the lock is held: a recorder that loses the race leaves
/// the winner's file untouched.
enum CaptureFileOpener {
    /// Opens (creating with mode 0600) and locks `name`, truncates it and returns the fd, blocking writes,
    /// close-on-exec. The lock (flock, on the open file description) lasts until every dup of the fd is closed.
    static func open(_ name: String, followSymlinks: Bool) throws -> Int32 {
        // O_NONBLOCK: a FIFO without a reader would block open(2) forever; it fails with ENXIO instead, and is
        // refused below anyway. O_NOFOLLOW: a link planted at the path (the classic /tmp attack on a root
        // process) fails with ELOOP instead of redirecting the capture and its chmod onto the link's target.
        var flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NONBLOCK
        if !followSymlinks { flags |= O_NOFOLLOW }
        let fd = Glibc.open(name, flags, 0o600)
        if fd < 0 {
            let err = errno
            if err == ELOOP && !followSymlinks && isSymbolicLink(name) {
                throw RecorderError(step: "create capture file", object: name,
                                    hint: "it is a symbolic link, which kcap does not follow (it could point anywhere, e.g. planted in a shared directory): remove it, choose another -w path, or pass --follow-symlinks")
            }
            if err == ENXIO || err == EISDIR {
                throw notRegular(name, err == EISDIR ? "a directory" : "a FIFO")
            }
            throw RecorderError(step: "create capture file", object: name, errno: err,
                                hint: err == ENOENT ? "create the directory first, or choose another -w path"
                                                    : "choose a writable -w path (or run with the rights to write there)")
        }
        do {
            try prepare(fd, name)
            return fd
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    /// Checks what `fd` is, locks it, truncates it and makes it blocking.
    private static func prepare(_ fd: Int32, _ name: String) throws {
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw RecorderError(step: "create capture file", object: name, errno: errno, hint: "choose another -w path")
        }
        switch st.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFCHR: throw notRegular(name, "a character device")
        case S_IFBLK: throw notRegular(name, "a block device")
        case S_IFIFO: throw notRegular(name, "a FIFO")
        case S_IFSOCK: throw notRegular(name, "a socket")
        default: throw notRegular(name, "not a regular file")
        }
        // A capture holds paths, arguments and I/O data: a file someone else owns would let them read it, and
        // a file with another name (a hard link) would have that other file's contents replaced.
        if st.st_uid != geteuid() {
            throw RecorderError(step: "create capture file", object: name,
                                hint: "it belongs to uid \(st.st_uid), who could read the capture: remove it first or choose another -w path")
        }
        if st.st_nlink > 1 {
            throw RecorderError(step: "create capture file", object: name,
                                hint: "it has \(st.st_nlink) hard links, and writing would replace the other names' contents too: remove it first or choose another -w path")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let err = errno
            if err == EWOULDBLOCK {
                let who = lockHolder(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
                    .map { pid in " (pid \(pid)\(commandName(pid).map { ", \($0)" } ?? ""))" } ?? ""
                throw RecorderError(step: "lock capture file", object: name,
                                    hint: "another recorder\(who) is writing it; stop that one first or choose another -w path")
            }
            throw RecorderError(step: "lock capture file", object: name, errno: err,
                                hint: "kcap locks the file it writes; choose a -w path on a local file system")
        }
        // Only now, the file being ours, may its old contents go.
        if ftruncate(fd, 0) != 0 {
            throw RecorderError(step: "truncate capture file", object: name, errno: errno, hint: "choose another -w path")
        }
        let fl = fcntl(fd, F_GETFL)
        if fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0 {
            throw RecorderError(step: "create capture file", object: name, errno: errno, hint: "choose another -w path")
        }
    }

    private static func notRegular(_ name: String, _ what: String) -> RecorderError {
        RecorderError(step: "create capture file", object: name,
                      hint: "it is \(what), not a regular file: a capture is written to a file (choose a file path with -w)")
    }

    private static func isSymbolicLink(_ name: String) -> Bool {
        var st = stat()
        return lstat(name, &st) == 0 && st.st_mode & S_IFMT == S_IFLNK
    }

    /// The pid holding a flock on the file, from /proc/locks (which names the locking process for flock
    /// locks; fcntl's F_GETLK only answers for POSIX ones), or nil when it cannot be told.
    static func lockHolder(device: UInt64, inode: UInt64) -> Int32? {
        // /proc/locks prints the device as the kernel's MAJOR:MINOR in hex; glibc's dev_t packs them apart.
        let major = ((device >> 8) & 0xfff) | ((device >> 32) & ~UInt64(0xfff))
        let minor = (device & 0xff) | ((device >> 12) & ~UInt64(0xff))
        guard let text = ProcFiles.read("/proc/locks", limit: 1 << 20).map({ String(decoding: $0, as: UTF8.self) }) else { return nil }
        // e.g. "2: FLOCK  ADVISORY  WRITE 14048 fe:00:16220630 0 EOF"; waiters' lines have "->" after the id.
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ")
            guard f.count >= 6, f[1] == "FLOCK", let pid = Int32(f[4]) else { continue }
            let id = f[5].split(separator: ":")
            guard id.count == 3, UInt64(id[0], radix: 16) == major, UInt64(id[1], radix: 16) == minor,
                  UInt64(id[2]) == inode else { continue }
            return pid
        }
        return nil
    }

    private static func commandName(_ pid: Int32) -> String? {
        guard let s = ProcFiles.text("/proc/\(pid)/comm") else { return nil }
        let name = s.split(separator: "\n").first.map(String.init) ?? ""
        return name.isEmpty ? nil : name
    }
}
