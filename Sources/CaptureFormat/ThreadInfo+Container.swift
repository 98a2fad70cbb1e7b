extension ThreadInfo {
    /// The container id in a cgroup path (docker, containerd, cri-o, podman): the first 12 hex digits of a
    /// 64-hex-digit component, as docker and sysdig show it; "" on the host. Shared by the /proc scanner and
    /// the sysdig capture reader, whose process lists carry the same cgroup paths. Scans the UTF-8 bytes
    /// (a capture lists a cgroup line per subsystem for every thread: splitting Characters cost more than the
    /// rest of reading a small capture).
    public static func containerID(fromCgroup path: String) -> String {
        var path = path
        return path.withUTF8 { b -> String in
            var start = 0
            var i = 0
            while i <= b.count {
                let end = i == b.count
                let c = end ? 0 : b[i]
                if end || c == UInt8(ascii: "/") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c == UInt8(ascii: ":") {
                    if i - start == 64 && b[start..<i].allSatisfy(Self.isHexDigit) {
                        return String(decoding: UnsafeBufferPointer(rebasing: b[start..<(start + 12)]), as: UTF8.self)
                    }
                    start = i + 1
                }
                i += 1
            }
            return ""
        }
    }

    @inline(__always)
    static func isHexDigit(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f"))
            || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "F"))
    }
}
