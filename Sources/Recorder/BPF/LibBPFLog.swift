import CLibBPF
import Glibc

/// Keeps the last lines libbpf logged (warnings and errors), so an error can quote the verifier's or
/// libbpf's own reason instead of a bare errno. libbpf logs only while loading, never on the hot path.
enum LibBPFLog {
    /// Guarded by `lock`: libbpf may log from whatever thread calls it.
    nonisolated(unsafe) private static var lines: [String] = []
    nonisolated(unsafe) private static var lock = pthread_mutex_t()
    nonisolated(unsafe) private static var installed = false
    /// When true, libbpf's debug lines are echoed to stderr (KCAP_LIBBPF_DEBUG=1).
    nonisolated(unsafe) private static var echo = false

    /// Routes libbpf's log into this buffer; safe to call more than once.
    static func install() {
        if installed { return }
        installed = true
        pthread_mutex_init(&lock, nil)
        echo = getenv("KCAP_LIBBPF_DEBUG") != nil
        _ = libbpf_set_print { level, format, args in
            guard let format, let args else { return 0 }
            var buf = [CChar](repeating: 0, count: 1024)
            _ = vsnprintf(&buf, buf.count, format, args)
            let line = String(cString: buf).trimmingCharacters(whitespace: true)
            if LibBPFLog.echo { fputs(line.hasPrefix("libbpf:") ? "\(line)\n" : "libbpf: \(line)\n", stderr) }
            if level == LIBBPF_DEBUG { return 0 }
            LibBPFLog.append(line)
            return 0
        }
    }

    private static func append(_ line: String) {
        pthread_mutex_lock(&lock)
        lines.append(line)
        if lines.count > 64 { lines.removeFirst(lines.count - 64) }
        pthread_mutex_unlock(&lock)
    }

    /// The last non-empty line libbpf logged, or "".
    static func lastLine() -> String {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        return lines.last(where: { !$0.isEmpty }) ?? ""
    }

    /// Forgets what was logged (before a new step, so an error quotes its own step's log).
    static func clear() {
        pthread_mutex_lock(&lock)
        lines.removeAll(keepingCapacity: true)
        pthread_mutex_unlock(&lock)
    }
}

extension StringProtocol {
    /// The string without leading and trailing spaces, tabs and newlines (no Foundation needed).
    func trimmingCharacters(whitespace: Bool) -> String {
        let ws: Set<Character> = [" ", "\t", "\n", "\r"]
        var s = Substring(String(self))
        while let f = s.first, ws.contains(f) { s = s.dropFirst() }
        while let l = s.last, ws.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
