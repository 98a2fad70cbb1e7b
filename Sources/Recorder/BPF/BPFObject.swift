import CLibBPF
import Glibc

/// One BPF object file opened from memory: its maps and programs, loaded into the kernel by `load()`.
/// A thin typed layer over libbpf's `bpf_object`; every failure becomes a `RecorderError` naming its step.
final class BPFObject {
    let handle: OpaquePointer
    /// libbpf parses the ELF in place until load, so the bytes must outlive the object.
    private let image: UnsafeMutableRawBufferPointer
    private var links: [OpaquePointer] = []

    /// Opens an object from its ELF bytes (`bpf_object__open_mem`); `name` prefixes the internal maps.
    init(elf bytes: UnsafeRawBufferPointer, name: String) throws {
        LibBPFLog.install()
        LibBPFLog.clear()
        let image = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        image.copyMemory(from: bytes)
        self.image = image
        var opts = bpf_object_open_opts()
        opts.sz = MemoryLayout<bpf_object_open_opts>.size
        let obj: OpaquePointer? = name.withCString { cname in
            opts.object_name = cname
            return bpf_object__open_mem(image.baseAddress, bytes.count, &opts)
        }
        guard let obj else {
            let err = Glibc.errno
            image.deallocate()
            throw RecorderError(step: "open BPF object", object: name, errno: err,
                                hint: "the embedded BPF object is damaged; rebuild kcap", detail: LibBPFLog.lastLine())
        }
        handle = obj
    }

    deinit {
        detachAll()
        bpf_object__close(handle)
        image.deallocate()
    }

    /// The map called `name`, or nil.
    func map(named name: String) -> BPFMap? {
        guard let m = bpf_object__find_map_by_name(handle, name) else { return nil }
        return BPFMap(handle: m, name: name)
    }

    /// The map called `name`; throws naming the step when the object lacks it.
    func requireMap(_ name: String) throws -> BPFMap {
        guard let m = map(named: name) else {
            throw RecorderError(step: "find map", object: name, errno: ENOENT,
                                hint: "the embedded BPF object does not match this kcap; rebuild kcap")
        }
        return m
    }

    /// Every map of the object, internal ones (.rodata, .bss) included.
    var maps: [BPFMap] {
        var out: [BPFMap] = []
        var cur = bpf_object__next_map(handle, nil)
        while let m = cur {
            out.append(BPFMap(handle: m, name: String(cString: bpf_map__name(m))))
            cur = bpf_object__next_map(handle, m)
        }
        return out
    }

    /// Every program of the object.
    var programs: [BPFProgram] {
        var out: [BPFProgram] = []
        var cur = bpf_object__next_program(handle, nil)
        while let p = cur {
            out.append(BPFProgram(handle: p))
            cur = bpf_object__next_program(handle, p)
        }
        return out
    }

    /// Verifies and loads every program whose autoload is on, and creates the maps (`bpf_object__load`).
    func load() throws {
        LibBPFLog.clear()
        let rc = bpf_object__load(handle)
        if rc != 0 {
            throw RecorderError(step: "load BPF programs", errno: -rc, hint: RecorderError.bpfHint(-rc),
                                detail: LibBPFLog.lastLine())
        }
    }

    /// Attaches one loaded program at the hook its section names; the link lives until `detachAll()`.
    func attach(_ program: BPFProgram) throws {
        LibBPFLog.clear()
        guard let link = bpf_program__attach(program.handle) else {
            let err = Glibc.errno
            throw RecorderError(step: "attach", object: "\(program.name) (\(program.sectionName))", errno: err,
                                hint: RecorderError.bpfHint(err), detail: LibBPFLog.lastLine())
        }
        links.append(link)
    }

    /// Detaches every attached program: no new records after this returns.
    func detachAll() {
        for link in links { bpf_link__destroy(link) }
        links.removeAll()
    }

    /// The object's BTF (types of its maps and global variables), or nil when it has none.
    var btf: OpaquePointer? { bpf_object__btf(handle) }
}

/// One map of a `BPFObject`. Before load it is configured (size); after load it is read and written by fd.
struct BPFMap {
    let handle: OpaquePointer
    let name: String

    /// The map's file descriptor; valid only after the object is loaded.
    var fd: Int32 { bpf_map__fd(handle) }

    /// The number of entries (bytes for a ring buffer).
    var maxEntries: UInt32 { bpf_map__max_entries(handle) }

    /// Sets the number of entries (for a ring buffer: its size in bytes); only before load.
    func setMaxEntries(_ n: UInt32) throws {
        let rc = bpf_map__set_max_entries(handle, n)
        if rc != 0 {
            throw RecorderError(step: "size map", object: "\(name) to \(n)", errno: -rc,
                                hint: "choose a --buffer-size that is a power of two of at least 4096 bytes")
        }
    }

    /// Sets the size of each value; only before load.
    func setValueSize(_ n: UInt32) throws {
        let rc = bpf_map__set_value_size(handle, n)
        if rc != 0 {
            throw RecorderError(step: "size map", object: "\(name) values to \(n) bytes", errno: -rc,
                                hint: "choose a smaller --buffer-size")
        }
    }

    /// Writes one entry (`bpf_map_update_elem`).
    func update<K: BitwiseCopyable, V: BitwiseCopyable>(key: K, value: V) throws {
        let rc = withUnsafeBytes(of: key) { k in
            withUnsafeBytes(of: value) { v in bpf_map_update_elem(fd, k.baseAddress, v.baseAddress, 0) }
        }
        if rc != 0 {
            let err = rc < 0 ? -rc : Glibc.errno
            throw RecorderError(step: "update map", object: name, errno: err, hint: RecorderError.bpfHint(err))
        }
    }

    /// Reads `size` bytes of the entry at `key` into `into`; returns false when there is none.
    func lookup<K: BitwiseCopyable>(key: K, into: UnsafeMutableRawPointer) -> Bool {
        withUnsafeBytes(of: key) { bpf_map_lookup_elem(fd, $0.baseAddress, into) == 0 }
    }

    /// Every key of a map whose keys are UInt32 (e.g. kcap_traced), in the kernel's order.
    func keysUInt32(limit: Int = 1 << 20) -> [UInt32] {
        var out: [UInt32] = []
        var next: UInt32 = 0
        var rc = bpf_map_get_next_key(fd, nil, &next)
        while rc == 0 && out.count < limit {
            out.append(next)
            var prev = next
            rc = bpf_map_get_next_key(fd, &prev, &next)
        }
        return out
    }
}

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
