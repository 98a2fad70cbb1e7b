extension ThreadInfo {
    /// The container id in a cgroup path (docker, containerd, cri-o, podman): the first 12 hex digits of a
    /// 64-hex-digit component, as docker and sysdig show it; "" on the host. Shared by the /proc scanner and
    /// the sysdig capture reader, whose process lists carry the same cgroup paths.
    public static func containerID(fromCgroup path: String) -> String {
        for comp in path.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." || $0 == ":" }) {
            if comp.count == 64 && comp.allSatisfy({ $0.isHexDigit }) { return String(comp.prefix(12)) }
        }
        return ""
    }
}
