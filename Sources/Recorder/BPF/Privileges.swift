import Glibc

/// The capabilities this process holds, from /proc/self/status (CapEff), which is what the kernel checks.
public enum Privileges {
    /// CAP_SYS_ADMIN (21): enough for everything on any kernel.
    static let sysAdmin = 21
    /// CAP_PERFMON (38): tracing programs and perf events.
    static let perfmon = 38
    /// CAP_BPF (39): BPF maps and programs.
    static let bpf = 39

    /// The effective capability mask, or nil when /proc is not readable.
    public static var effective: UInt64? {
        guard let status = ProcFiles.text("/proc/self/status") else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("CapEff:") {
            return UInt64(line.dropFirst(7).trimmingCharacters(whitespace: true), radix: 16)
        }
        return nil
    }

    /// Whether capability number `cap` is effective.
    public static func has(_ cap: Int) -> Bool { ((effective ?? 0) >> UInt64(cap)) & 1 == 1 }

    /// Whether this process may load and attach kcap's tracing programs.
    public static var canUseBPF: Bool { has(sysAdmin) || (has(bpf) && has(perfmon)) }
}
