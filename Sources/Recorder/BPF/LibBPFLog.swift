import CLibBPF
import Glibc
import Synchronization

/// Keeps the last lines libbpf logged (warnings and errors), so an error can quote the verifier's or
/// libbpf's own reason instead of a bare errno. libbpf logs only while loading, never on the hot path.
enum LibBPFLog {
    /// The log buffer. libbpf's print callback is process-wide and takes no context, so what it writes to
    /// has to be reachable from a static; it is behind a lock because libbpf may log from any thread.
    private static let state = Mutex(State())
    /// Lines kept; older ones are forgotten.
    private static let keptLines = 64
    /// The longest line formatted; libbpf's lines are far shorter.
    private static let lineCapacity = 1024

    private struct State {
        var lines: [String] = []
        var installed = false
        /// When true, libbpf's debug lines are echoed to stderr (KCAP_LIBBPF_DEBUG=1).
        var echo = false
    }

    /// Routes libbpf's log into this buffer; safe to call more than once.
    static func install() {
        let first = state.withLock { s in
            if s.installed { return false }
            s.installed = true
            s.echo = getenv("KCAP_LIBBPF_DEBUG") != nil
            return true
        }
        guard first else { return }
        _ = libbpf_set_print { level, format, args in
            guard let format, let args else { return 0 }
            var buf = [CChar](repeating: 0, count: LibBPFLog.lineCapacity)
            _ = vsnprintf(&buf, buf.count, format, args)
            let line = String(cString: buf).trimmingCharacters(whitespace: true)
            LibBPFLog.record(line, debug: level == LIBBPF_DEBUG)
            return 0
        }
    }

    private static func record(_ line: String, debug: Bool) {
        let echo = state.withLock { s in
            if !debug {
                s.lines.append(line)
                if s.lines.count > keptLines { s.lines.removeFirst(s.lines.count - keptLines) }
            }
            return s.echo
        }
        if echo { fputs(line.hasPrefix("libbpf:") ? "\(line)\n" : "libbpf: \(line)\n", stderr) }
    }

    /// The last non-empty line libbpf logged, or "".
    static func lastLine() -> String {
        state.withLock { $0.lines.last(where: { !$0.isEmpty }) ?? "" }
    }

    /// Forgets what was logged (before a new step, so an error quotes its own step's log).
    static func clear() {
        state.withLock { $0.lines.removeAll(keepingCapacity: true) }
    }
}
