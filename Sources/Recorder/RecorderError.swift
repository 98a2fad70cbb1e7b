import CaptureFormat
import Glibc

/// Why recording could not start or go on. Every error names the step that failed (the libbpf call or the
/// file operation), the object involved, the errno when there is one, and ends as one line saying what to do.
public struct RecorderError: Error, CustomStringConvertible, Sendable {
    /// The step that failed, e.g. "open BPF object", "attach kcap_sys_enter", "create capture file".
    public var step: String
    /// The object involved (a path, a map or program name), or "" when none.
    public var object: String
    /// The errno the failing call reported, or 0.
    public var errno: Int32
    /// What the user should do about it.
    public var hint: String
    /// Extra detail (e.g. the last line libbpf logged), or "".
    public var detail: String

    /// Creates an error for `step` on `object`, with the errno and the advice to print.
    public init(step: String, object: String = "", errno: Int32 = 0, hint: String, detail: String = "") {
        self.step = step
        self.object = object
        self.errno = errno
        self.hint = hint
        self.detail = detail
    }

    /// One line: `kcap record: <step> <object>: <strerror> (<detail>); <hint>`.
    public var description: String {
        var s = step
        if !object.isEmpty { s += " \(object)" }
        if errno != 0 { s += ": \(String(cString: strerror(errno))) (errno \(errno))" }
        if !detail.isEmpty { s += " [\(detail)]" }
        if !hint.isEmpty { s += "; \(hint)" }
        return s
    }
}

extension RecorderError {
    /// The error for a capture file that could not be written: the errno and byte offset of a failed write
    /// (named once, not repeated from the CaptureError's own text), advice for a full disk, and what is left
    /// of the file: `kept` bytes (the end of its last complete block) when the writer cut it back, `removed`
    /// when nothing had reached the disk and the empty file was deleted.
    static func writing(step: String, object: String, _ error: Error, kept: UInt64? = nil, removed: Bool = false) -> RecorderError {
        guard let e = error as? CaptureError, case .io(let err) = e.kind else {
            return RecorderError(step: step, object: object, hint: "check free space and the disk (df -h)",
                                 detail: "\(error)")
        }
        let at = e.offset.map { "at byte \($0)" } ?? ""
        let full = err == ENOSPC || err == EDQUOT || err == EFBIG
        var hint = full ? "the disk is full: free space (df -h) or choose another -w path" : "check the disk (df -h, dmesg)"
        if removed {
            hint += "; nothing reached the disk, so the empty file was removed"
        } else if let kept, kept == 0 {
            hint += "; nothing reached the disk: the file is empty, not a capture"
        } else if let kept {
            hint += "; the capture is readable up to byte \(kept), the end of its last complete block"
        }
        return RecorderError(step: step, object: object, errno: err, hint: hint, detail: at)
    }

    /// The advice for an errno from a BPF syscall: most failures are privileges or memlock.
    static func bpfHint(_ err: Int32) -> String {
        switch err {
        case EPERM, EACCES:
            return "run as root or grant CAP_BPF and CAP_PERFMON (sudo setcap cap_bpf,cap_perfmon+ep kcap); `kcap doctor` checks"
        case ENOMEM:
            return "raise the memlock limit (ulimit -l unlimited) or use a smaller --buffer-size"
        case ENOENT, EOPNOTSUPP, EINVAL:
            return "this kernel may lack BTF or a tracepoint kcap needs; run `kcap doctor`"
        default:
            return "run `kcap doctor` to see what this machine lacks"
        }
    }
}
