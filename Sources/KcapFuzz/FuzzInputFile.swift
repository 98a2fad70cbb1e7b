#if canImport(Glibc)
import Glibc
#endif

/// One scratch file per process that holds the current fuzz input, so the path-based `CaptureReader` reads
/// it exactly as it reads a capture on disk. It lives in /dev/shm (memory) when there is one, so an input
/// costs a pwrite and an ftruncate, not disk I/O.
final class FuzzInputFile: Sendable {
    /// The file's path.
    let path: String
    private let fd: Int32

    /// The process's scratch file (created on first use, removed at exit by `atexit`).
    static let shared = FuzzInputFile()

    private init() {
        let dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        path = "\(dir)/kcap-fuzz-\(getpid()).kcap"
        fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        precondition(fd >= 0, "kcap-fuzz: cannot create \(path)")
        atexit { unlink(FuzzInputFile.shared.path) }
    }

    /// Replaces the file's contents with `data`.
    func store(_ data: UnsafeRawBufferPointer) {
        var done = 0
        while done < data.count {
            let n = pwrite(fd, data.baseAddress! + done, data.count - done, off_t(done))
            if n < 0 && errno == EINTR { continue }
            precondition(n > 0, "kcap-fuzz: writing \(path) failed")
            done += n
        }
        precondition(ftruncate(fd, off_t(data.count)) == 0, "kcap-fuzz: truncating \(path) failed")
    }
}
