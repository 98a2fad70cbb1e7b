import CLibBPF
import Glibc

extension BPFObject {
    /// BTF_KIND_DATASEC (<linux/btf.h>), spelled out: the name is ambiguous between libbpf's and the uapi
    /// headers, so Swift imports neither.
    static let btfKindDatasec: UInt32 = 15

    /// Writes `values` into the object's read-only data before load, so the verifier sees them as constants
    /// (the kernel-side filters then cost nothing when off). Variables are found by name through the
    /// object's BTF, so the loader does not depend on the compiler's layout of .rodata.
    /// A name the object lacks is an error only when its value is not zero.
    func setRodata(_ values: [String: RodataValue]) throws {
        guard let rodata = maps.first(where: { $0.name.hasSuffix(".rodata") }) else {
            throw RecorderError(step: "find .rodata", errno: ENOENT,
                                hint: "the embedded BPF object has no configuration section; rebuild kcap")
        }
        var size = 0
        guard let raw = bpf_map__initial_value(rodata.handle, &size), let btf else {
            throw RecorderError(step: "map .rodata", errno: ENOENT, hint: "the embedded BPF object has no BTF; rebuild kcap")
        }
        let base = UnsafeMutableRawPointer(mutating: raw)
        let secID = btf__find_by_name_kind(btf, ".rodata", BPFObject.btfKindDatasec)
        guard secID > 0, let sec = btf__type_by_id(btf, UInt32(secID)) else {
            throw RecorderError(step: "find .rodata in BTF", errno: ENOENT, hint: "rebuild kcap (the BPF object lacks BTF)")
        }
        var layout: [String: (offset: Int, size: Int)] = [:]
        let count = Int(btf_vlen(sec))
        if let infos = btf_var_secinfos(sec) {
            for i in 0..<count {
                let info = infos[i]
                guard let varType = btf__type_by_id(btf, info.type),
                      let cname = btf__name_by_offset(btf, varType.pointee.name_off) else { continue }
                layout[String(cString: cname)] = (Int(info.offset), Int(info.size))
            }
        }
        for (name, value) in values {
            guard let slot = layout[name], slot.offset + slot.size <= size else {
                if case .integer(0) = value { continue }
                throw RecorderError(step: "set rodata", object: name, errno: ENOENT,
                                    hint: "the embedded BPF object lacks this setting; rebuild kcap")
            }
            let dst = base + slot.offset
            switch value {
            case .integer(let v):
                guard [1, 2, 4, 8].contains(slot.size) else {
                    throw RecorderError(step: "set rodata", object: "\(name) (\(slot.size) bytes)", errno: EINVAL,
                                        hint: "the BPF object and the loader disagree; rebuild kcap")
                }
                if slot.size < 8 && v >> (UInt64(slot.size) * 8) != 0 {
                    throw RecorderError(step: "set rodata", object: "\(name)=\(v)", errno: ERANGE,
                                        hint: "use a smaller value")
                }
                var le = v.littleEndian
                withUnsafeBytes(of: &le) { dst.copyMemory(from: $0.baseAddress!, byteCount: slot.size) }
            case .bytes(let b):
                dst.initializeMemory(as: UInt8.self, repeating: 0, count: slot.size)
                b.prefix(slot.size).withUnsafeBytes { dst.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            }
        }
    }
}
