/// The syscall ABIs kcap knows; the capture header's `machine` selects one.
public enum SyscallArch: String, Sendable, CaseIterable, Codable {
    /// x86_64 (`arch/x86/entry/syscalls/syscall_64.tbl` numbering).
    case x86_64
    /// aarch64 (the generic `asm-generic/unistd.h` numbering).
    case aarch64

    /// The arch for a `uname -m` value (`x86_64`, `aarch64`, `arm64`), or nil for one kcap has no table for.
    public init?(machine: String) {
        switch machine {
        case "x86_64", "amd64": self = .x86_64
        case "aarch64", "arm64": self = .aarch64
        default: return nil
        }
    }
}
