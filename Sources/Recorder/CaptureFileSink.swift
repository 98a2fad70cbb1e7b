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
    /// Makes the start snapshot of a rotated file (set by the recorder; runs on the writer thread).
    public var snapshotProvider: (() -> CaptureSnapshot)?
    /// Reads the current counters when a file is closed by rotation (set by the recorder; writer thread).
    public var countersProvider: (() -> CaptureCounters)?

    /// Creates the first file now, so an unwritable path fails before anything is loaded into the kernel.
    public init(path: String, header: CaptureHeader, rotation: RotationPolicy = RotationPolicy()) throws {
        self.path = path
        self.header = header
        self.policy = rotation
        try openNext()
    }

    private func openNext() throws {
        let name = policy.fileName(for: path, index: fileIndex)
        // Check with open(2) first: CaptureWriter's error does not carry the errno, and the user needs it.
        let fd = open(name, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        if fd < 0 {
            let err = errno
            throw RecorderError(step: "create capture file", object: name, errno: err,
                                hint: err == ENOENT ? "create the directory first, or choose another -w path"
                                                    : "choose a writable -w path (or run with the rights to write there)")
        }
        Glibc.close(fd)
        var h = header
        h.extra["fileIndex"] = String(fileIndex)
        h.createdRealtimeNs = Int64(BootClock.realtimeNs())
        do {
            writer = try CaptureWriter(path: name, header: h)
        } catch {
            throw RecorderError(step: "create capture file", object: name, hint: "choose a writable -w path", detail: "\(error)")
        }
        files.append(name)
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
        if let now = countersProvider?() { lastCounters = now }
        try w.write(lastCounters)
        try wrap("close capture file") { try w.finish() }
        writer = nil
        try openNext()
        if let make = snapshotProvider { try consume(make()) }
        let next = try current()
        try wrap("write counters") { try next.write(lastCounters) }
    }

    private func current() throws -> CaptureWriter {
        guard let w = writer else {
            throw RecorderError(step: "write capture", object: path, errno: EBADF, hint: "the capture was already finished")
        }
        return w
    }

    private func wrap(_ step: String, _ body: () throws -> Void) throws {
        do { try body() } catch let e as RecorderError { throw e } catch {
            throw RecorderError.writing(step: step, object: files.last ?? path, error)
        }
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
        guard let w = writer else { return }
        writer = nil
        try wrap("finish capture") { try w.finish() }
    }
}
