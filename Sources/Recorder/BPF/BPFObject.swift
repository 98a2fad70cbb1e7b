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
