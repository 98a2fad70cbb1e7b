import Glibc

/// Small readers over /proc that return nil when the file or link is gone (a thread or fd that ended
/// mid-scan is normal and never an error). Every read goes through here, so tests can point them elsewhere.
enum ProcFiles {
    /// The whole file as bytes (up to `limit`), or nil.
    static func read(_ path: String, limit: Int = 1 << 22) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 16384)
        while out.count < limit {
            let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; return out.isEmpty ? nil : out }
            if n == 0 { break }
            out.append(contentsOf: buf[0..<n])
        }
        return out
    }

    /// The file as text (invalid UTF-8 repaired), or nil.
    static func text(_ path: String) -> String? {
        guard let b = read(path) else { return nil }
        return String(decoding: b, as: UTF8.self)
    }

    /// The target of a symbolic link, or nil.
    static func readlink(_ path: String) -> String? {
        var buf = [CChar](repeating: 0, count: 4097)
        let n = Glibc.readlink(path, &buf, 4096)
        guard n >= 0 else { return nil }
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The numeric entries of a directory (pids, tids, fds), or [] when it is gone.
    static func numericEntries(_ path: String) -> [Int] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var out: [Int] = []
        while let ent = readdir(dir) {
            let name = withUnsafePointer(to: &ent.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if let n = Int(name) { out.append(n) }
        }
        return out.sorted()
    }
}
