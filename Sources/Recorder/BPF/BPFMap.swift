import CLibBPF
import Glibc

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
