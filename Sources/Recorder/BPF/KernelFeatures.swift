import CLibBPF
import Glibc

/// What the running kernel offers to kcap, read without loading anything: BTF, tp_btf tracepoints,
/// ring buffers. Used by the loader (switch off what is missing) and by `kcap doctor`.
public enum KernelFeatures {
    /// Path of the kernel's own type information; tp_btf programs and CO-RE need it. `KCAP_VMLINUX_BTF`
    /// overrides it for the checks (tests use it to take the "no BTF" path on a kernel that has BTF).
    public static var vmlinuxBTFPath: String {
        getenv("KCAP_VMLINUX_BTF").map { String(cString: $0) } ?? "/sys/kernel/btf/vmlinux"
    }

    /// BTF_KIND_TYPEDEF (<linux/btf.h>), spelled out as `BPFObject.btfKindDatasec` is.
    static let btfKindTypedef: UInt32 = 8

    /// Whether the kernel exposes its BTF.
    public static var hasBTF: Bool { access(vmlinuxBTFPath, R_OK) == 0 }

    /// The tracepoints among `names` that the kernel's BTF lacks (a tp_btf program attaches to the
    /// `btf_trace_<name>` typedef); nil when the BTF cannot be read at all.
    public static func missingTracepoints(_ names: [String]) -> [String]? {
        guard let vmlinux = btf__load_vmlinux_btf() else { return nil }
        defer { btf__free(vmlinux) }
        return names.filter { btf__find_by_name_kind(vmlinux, "btf_trace_" + $0, btfKindTypedef) < 0 }
    }

    /// Whether BPF ring buffers can be created: 1 yes, 0 no, negative errno when the probe itself failed
    /// (usually missing privileges).
    public static func ringBufferSupport() -> Int32 {
        libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, nil)
    }

    /// The possible CPU count as libbpf sees it (the size of per-CPU map values).
    static var possibleCPUs: Int { Int(max(libbpf_num_possible_cpus(), 1)) }
}
