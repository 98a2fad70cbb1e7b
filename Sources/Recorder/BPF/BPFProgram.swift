import CLibBPF

/// One program of a `BPFObject`.
struct BPFProgram {
    let handle: OpaquePointer

    /// The C function name, e.g. "kcap_sys_enter".
    var name: String { String(cString: bpf_program__name(handle)) }

    /// The ELF section, e.g. "tp_btf/sys_enter", which says where it attaches.
    var sectionName: String { String(cString: bpf_program__section_name(handle)) }

    /// The hook after the section's prefix: "sys_enter" for "tp_btf/sys_enter".
    var attachTarget: String {
        let s = sectionName
        guard let slash = s.lastIndex(of: "/") else { return s }
        return String(s[s.index(after: slash)...])
    }

    /// Whether `load()` verifies and loads this program; switch off before load.
    var autoload: Bool {
        get { bpf_program__autoload(handle) }
        nonmutating set { _ = bpf_program__set_autoload(handle, newValue) }
    }
}
