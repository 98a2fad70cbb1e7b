import CaptureFormat
import Glibc

/// Writes a recording into capture files through `CaptureWriter`, rotating by size or age and keeping a
/// ring of the newest files. Each new file gets the header, then asks for a start snapshot
/// (`needsSnapshot`) and the current counters, so it reads alone.
public final class CaptureFileSink: RecordSink {
    private let path: String
    private let header: CaptureHeader
    private let policy: RotationPolicy
    private var writer: CaptureWriter?
    private var fileIndex = 0
    private var fileStartNs: UInt64 = 0
    private var lastCounters = CaptureCounters()
    /// Every file this sink created, oldest first (deleted ones included).
    public private(set) var files: [String] = []
    /// Whether the current file still lacks its start snapshot.
    public private(set) var needsSnapshot = true
    /// Records consumed (all files).
    public private(set) var recordsWritten: UInt64 = 0
    /// The recorder's snapshot (a rotated file's start) and counters (a file closed by rotation), from
    /// `begin(with:)`.
    private var providers: RecordSinkProviders?

    /// Whether `-w` may be a symbolic link (`--follow-symlinks`); by default one is refused.
    private let followSymlinks: Bool
    /// A dup of the current file's fd, holding its lock (flock belongs to the open file description) even
    /// after the writer closed its fd on a failed write, so the file can be told apart and removed safely.
    private var currentLock: Int32 = -1
    /// A dup of the first file's fd when rotating, kept to the end of the recording: its lock stays held
    /// after rotation closes the file, so a second recorder started on the same path fails at its first file
    /// instead of overwriting this recording's finished files one by one.
    private var firstFileLock: Int32 = -1

    /// Creates, locks and starts the first file now (its header reaches the disk here), so an unwritable,
    /// locked or full path fails before anything is loaded into the kernel. A symbolic link at the path is
    /// refused unless `followSymlinks`.
    public init(path: String, header: CaptureHeader, rotation: RotationPolicy = RotationPolicy(),
                followSymlinks: Bool = false) throws {
        self.path = path
        self.header = header
        self.policy = rotation
        self.followSymlinks = followSymlinks
        try openNext()
    }

    deinit { releaseLocks() }

    private func releaseLocks() {
        if currentLock >= 0 && currentLock != firstFileLock { Glibc.close(currentLock) }
        if firstFileLock >= 0 { Glibc.close(firstFileLock) }
        currentLock = -1
        firstFileLock = -1
    }

    private func openNext() throws {
        let name = policy.fileName(for: path, index: fileIndex)
        // Every file, rotated ones included, is opened the careful way: no symlink, locked, then truncated.
        let fd = try CaptureFileOpener.open(name, followSymlinks: followSymlinks)
        let lock = fcntl(fd, F_DUPFD_CLOEXEC, 0)
        if lock < 0 {
            let err = errno
            Glibc.close(fd)
            throw RecorderError(step: "create capture file", object: name, errno: err, hint: "raise the open file limit (ulimit -n)")
        }
        if currentLock >= 0 && currentLock != firstFileLock { Glibc.close(currentLock) }
        currentLock = lock
        if fileIndex == 0 && policy.rotates { firstFileLock = lock }
        var h = header
        h.extra["fileIndex"] = String(fileIndex)
        h.createdRealtimeNs = Int64(BootClock.realtimeNs())
        let w: CaptureWriter
        do {
            w = try CaptureWriter(fd: fd, path: name, header: h)
        } catch {
            throw RecorderError(step: "create capture file", object: name, hint: "choose a writable -w path", detail: "\(error)")
        }
        writer = w
        files.append(name)
        // The header goes to the disk at once: a recorder killed from here on leaves a file that reads (with
        // no events yet), and a disk already full fails now, in one line, rather than after the BPF load.
        try wrap("write capture header") { try w.flush() }
        fileStartNs = BootClock.monotonicNs()
        needsSnapshot = true
        if policy.maxFiles > 0 && fileIndex >= policy.maxFiles {
            unlink(policy.fileName(for: path, index: fileIndex - policy.maxFiles))
        }
        fileIndex += 1
    }

    private func rotateIfDue() throws {
        guard policy.rotates, let w = writer, !needsSnapshot else { return }
        let bySize = policy.maxBytes > 0 && w.bytesWritten >= policy.maxBytes
        let byAge = policy.maxAgeNs > 0 && BootClock.monotonicNs() &- fileStartNs >= policy.maxAgeNs
        guard bySize || byAge else { return }
        if let now = providers?.counters() { lastCounters = now }
        try wrap("write counters") { try w.write(lastCounters) }
        try wrap("close capture file") { try w.finish() }
        writer = nil
        try openNext()
        if let providers { try consume(providers.snapshot()) }
        let next = try current()
        try wrap("write counters") { try next.write(lastCounters) }
    }

    private func current() throws -> CaptureWriter {
        guard let w = writer else {
            throw RecorderError(step: "write capture", object: path, errno: EBADF, hint: "the capture was already finished")
        }
        return w
    }

    /// Runs a write, turning its failure into one line that says what is left of the file: readable up to
    /// the last complete block, or, when nothing reached the disk, removed (an empty file is no capture).
    private func wrap(_ step: String, _ body: () throws -> Void) throws {
        do { try body() } catch let e as RecorderError { throw e } catch {
            let name = files.last ?? path
            let kept = writer?.keptBytes
            let removed = kept == 0 && removeEmpty(name)
            throw RecorderError.writing(step: step, object: name, error, kept: kept, removed: removed)
        }
    }

    /// Removes `name` if it still is the empty file this sink created and holds locked (same inode).
    private func removeEmpty(_ name: String) -> Bool {
        var ours = stat(), there = stat()
        guard currentLock >= 0, fstat(currentLock, &ours) == 0, ours.st_size == 0, lstat(name, &there) == 0,
              there.st_dev == ours.st_dev, there.st_ino == ours.st_ino else { return false }
        return unlink(name) == 0
    }

    /// Keeps the recorder's providers for the files rotation starts.
    public func begin(with providers: RecordSinkProviders) {
        self.providers = providers
    }

    /// Writes one event block (rotating first when the current file is due).
    public func consume(_ chunk: EventChunk) throws {
        try rotateIfDue()
        let w = try current()
        try wrap("write events") { try w.write(chunk) }
        recordsWritten += UInt64(chunk.recordCount)
    }

    /// Writes a snapshot block; the first one of each file is its start snapshot.
    public func consume(_ snapshot: CaptureSnapshot) throws {
        let w = try current()
        try wrap("write snapshot") { try w.write(snapshot) }
        needsSnapshot = false
    }

    /// Writes a counters block and remembers it for the end of the file.
    public func consume(_ counters: CaptureCounters) throws {
        lastCounters = counters
        let w = try current()
        try wrap("write counters") { try w.write(counters) }
        try rotateIfDue()
    }

    /// Hands buffered bytes to the kernel (rotating first when due by age).
    public func flush() throws {
        try rotateIfDue()
        let w = try current()
        try wrap("flush capture") { try w.flush() }
    }

    /// Writes the footer of the current file and closes it.
    public func finish() throws {
        defer { releaseLocks() }
        guard let w = writer else { return }
        try wrap("finish capture") { try w.finish() }
        writer = nil
    }
}
