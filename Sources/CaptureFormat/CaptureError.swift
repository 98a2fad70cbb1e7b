#if canImport(Glibc)
import Glibc
#endif

/// Why a capture could not be opened, read or written. Prints as one line that says what to do.
public struct CaptureError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, in categories a caller can switch on.
    public enum Kind: Sendable, Equatable {
        /// The file is not a kcap capture (wrong magic, empty, random bytes).
        case notACapture
        /// The magic was altered the way a text-mode transfer alters it (newline or 8-bit translation).
        case textModeMangled
        /// The file was written by a newer, incompatible kcap (its major format version is larger).
        case futureVersion(major: UInt16, minor: UInt16)
        /// The file ends before a structure that must be there (preamble, header block).
        case truncated
        /// A structure is present but its bytes are inconsistent.
        case corrupt
        /// A system call failed with this errno.
        case io(errno: Int32)
        /// A value handed to the API cannot be stored (e.g. a header that does not encode).
        case invalidArgument
    }

    /// The category.
    public var kind: Kind
    /// The file involved.
    public var path: String
    /// The byte offset in the file the error is about, when there is one.
    public var offset: UInt64?
    /// What is wrong and what to do, without the path (description adds it).
    public var message: String

    /// Makes an error; `message` is one sentence without the path.
    public init(_ kind: Kind, path: String, offset: UInt64? = nil, _ message: String) {
        self.kind = kind
        self.path = path
        self.offset = offset
        self.message = message
    }

    /// One line: "PATH: MESSAGE (at byte N)".
    public var description: String {
        var line = "\(path): \(message)"
        if let offset { line += " (at byte \(offset))" }
        return line
    }

    /// An error for a failed system call, naming the call and the errno text.
    static func io(_ errnoValue: Int32, path: String, offset: UInt64? = nil, _ what: String) -> CaptureError {
        let text = String(cString: strerror(errnoValue))
        return CaptureError(.io(errno: errnoValue), path: path, offset: offset, "\(what) failed: \(text)")
    }
}
