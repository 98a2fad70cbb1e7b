import CLibBPF
import Glibc

/// `kcap doctor`: each thing recording needs, checked for real where it can be (the tracepoints are loaded
/// and attached), with what to do when it is missing.
public enum Doctor {
    /// One check's outcome.
    public struct Check: Sendable {
        /// What was checked, e.g. "privileges".
        public var name: String
        /// Whether it passed.
        public var ok: Bool
        /// What was found.
        public var detail: String
        /// What to do when it failed ("" when ok).
        public var fix: String
        /// Whether recording cannot work without it (a failed non-critical check is a warning).
        public var critical: Bool
    }

    /// RLIMIT_MEMLOCK (<sys/resource.h>), which Swift's Glibc module does not import.
    static let memlockLimit = __rlimit_resource_t(8)

    /// Runs every check; `outputDirectory` is where captures will be written.
    public static func run(outputDirectory: String, objectBytes: [UInt8]? = nil) -> [Check] {
        var checks: [Check] = []
        let privileged = Privileges.canUseBPF
        let capText = Privileges.effective.map { "CapEff=\(String($0, radix: 16))" } ?? "CapEff unreadable"
        checks.append(Check(name: "privileges", ok: privileged,
                            detail: privileged ? (geteuid() == 0 ? "root, \(capText)" : "CAP_BPF+CAP_PERFMON, \(capText)")
                                               : "uid \(geteuid()), \(capText): no CAP_BPF/CAP_PERFMON",
                            fix: "run kcap with sudo, or: sudo setcap cap_bpf,cap_perfmon+ep $(command -v kcap)", critical: true))

        let btf = KernelFeatures.hasBTF
        checks.append(Check(name: "BTF", ok: btf, detail: btf ? "\(KernelFeatures.vmlinuxBTFPath) present" : "\(KernelFeatures.vmlinuxBTFPath) missing",
                            fix: "use a kernel built with CONFIG_DEBUG_INFO_BTF=y (most distributions since 2020)", critical: true))

        // The probe creates a ring buffer: without privileges it fails whatever the kernel supports.
        if privileged {
            let rb = KernelFeatures.ringBufferSupport()
            checks.append(Check(name: "ring buffer", ok: rb == 1,
                                detail: rb == 1 ? "BPF_MAP_TYPE_RINGBUF supported" : rb == 0 ? "not supported (Linux < 5.8?)" : "probe failed: \(String(cString: strerror(-rb)))",
                                fix: rb == 0 ? "upgrade to Linux 5.8 or later" : "run kcap doctor as root", critical: true))
        } else {
            checks.append(Check(name: "ring buffer", ok: false, detail: "not checked (needs the privileges above)",
                                fix: "fix the privileges above, then run kcap doctor again", critical: false))
        }

        var lim = rlimit()
        getrlimit(Doctor.memlockLimit, &lim)
        let unlimited = lim.rlim_cur == rlim_t.max // RLIM_INFINITY
        let memcg = kernelAtLeast(5, 11)
        let memlockOK = unlimited || lim.rlim_cur >= 128 << 20 || memcg
        checks.append(Check(name: "memlock", ok: memlockOK,
                            detail: (unlimited ? "RLIMIT_MEMLOCK unlimited" : "RLIMIT_MEMLOCK \(lim.rlim_cur >> 10) KiB") +
                                (memcg ? " (not used: this kernel charges BPF memory to the cgroup)" : ""),
                            fix: "raise it: ulimit -l unlimited (or LimitMEMLOCK=infinity in a systemd unit)", critical: false))

        // Tracepoints: in BTF, then loaded and attached for real.
        let names = KcapProbe.programs.map { $0.tracepoint }
        let missing = btf ? Set(KernelFeatures.missingTracepoints(names) ?? names) : Set(names)
        var attachErrors: [String: String] = [:]
        var loadError: String? = nil
        if privileged && btf {
            do {
                let bytes = objectBytes ?? KcapBPFObject.bytesArray
                var opts = ProbeOptions(events: try EventSelection("all", machine: machineName()))
                opts.bufferSize = 1 << 16
                let probe = try bytes.withUnsafeBytes { try KcapProbe(options: opts, bytes: $0) }
                let byName = Dictionary(uniqueKeysWithValues: probe.object.programs.map { ($0.name, $0) })
                for (prog, tp) in KcapProbe.programs {
                    guard probe.activePrograms.contains(prog), let p = byName[prog] else { continue }
                    do { try probe.object.attach(p) } catch { attachErrors[tp] = "\(error)" }
                }
                probe.detach()
            } catch {
                loadError = "\(error)"
            }
        }
        for (prog, tp) in KcapProbe.programs {
            let critical = tp == "sys_exit"
            if missing.contains(tp) {
                checks.append(Check(name: "tracepoint \(tp)", ok: false, detail: "not in this kernel's BTF",
                                    fix: critical ? "syscalls cannot be recorded on this kernel; use Linux >= 5.5 with BTF"
                                                  : "\(prog) will be switched off; \(KcapProbe.loss(without: tp))", critical: critical))
            } else if !(privileged && btf) {
                checks.append(Check(name: "tracepoint \(tp)", ok: false, detail: "in BTF; not attached (needs the privileges above)",
                                    fix: "fix the privileges above", critical: critical))
            } else if let e = loadError {
                checks.append(Check(name: "tracepoint \(tp)", ok: false, detail: "load failed: \(e)", fix: "see the load error", critical: true))
            } else if let e = attachErrors[tp] {
                checks.append(Check(name: "tracepoint \(tp)", ok: false, detail: "attach failed: \(e)", fix: "see the error", critical: critical))
            } else {
                checks.append(Check(name: "tracepoint \(tp)", ok: true, detail: "loaded and attached (tp_btf)", fix: "", critical: critical))
            }
        }

        var vfs = statvfs()
        if statvfs(outputDirectory, &vfs) == 0 {
            let free = UInt64(vfs.f_bavail) * UInt64(vfs.f_frsize)
            let writable = access(outputDirectory, W_OK) == 0
            let ok = writable && free >= 100 << 20
            checks.append(Check(name: "disk", ok: ok,
                                detail: "\(outputDirectory): \(free >> 20) MiB free" + (writable ? "" : ", not writable"),
                                fix: writable ? "free some space or write elsewhere (-w /other/dir/trace.kcap); rotate with -C/-W"
                                              : "choose a writable directory for -w", critical: true))
        } else {
            checks.append(Check(name: "disk", ok: false, detail: "\(outputDirectory): \(String(cString: strerror(errno)))",
                                fix: "choose an existing directory for -w", critical: true))
        }
        return checks
    }

    /// uname -m.
    static func machineName() -> String {
        var u = utsname()
        uname(&u)
        let capacity = MemoryLayout.size(ofValue: u.machine)
        return withUnsafePointer(to: &u.machine) { $0.withMemoryRebound(to: CChar.self, capacity: capacity) { String(cString: $0) } }
    }

    /// Whether the running kernel's release is at least major.minor.
    static func kernelAtLeast(_ major: Int, _ minor: Int) -> Bool {
        var u = utsname()
        uname(&u)
        let capacity = MemoryLayout.size(ofValue: u.release)
        let rel = withUnsafePointer(to: &u.release) { $0.withMemoryRebound(to: CChar.self, capacity: capacity) { String(cString: $0) } }
        let parts = rel.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        guard parts.count == 2 else { return false }
        return parts[0] > major || (parts[0] == major && parts[1] >= minor)
    }
}
