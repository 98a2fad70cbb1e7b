import Foundation

/// Renders a `RunDiff` as text (nothing at all when nothing changed, as `diff` prints) or as JSON.
public enum RunDiffRenderer {
    /// Pretty JSON with sorted keys.
    public static func json(_ diff: RunDiff) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(diff), as: UTF8.self) + "\n"
    }

    /// `+ item` for what B added, `- item` for what it no longer did, then the count and latency tables, then
    /// one line per threshold exceeded.
    public static func text(_ diff: RunDiff, minChangePercent: Double) -> String {
        var out = ""
        for part in diff.sets where !(part.added.isEmpty && part.removed.isEmpty) {
            out += "\(part.part)\n"
            func events(_ n: UInt64) -> String { n == 1 ? "(1 event)" : "(\(n) events)" }
            let rows = part.added.map { ["+", $0.item, events($0.after)] } + part.removed.map { ["-", $0.item, events($0.before)] }
            out += TextTable.render(rows: rows, rightAligned: [], indent: "  ")
        }
        let min = RunDiff.text(minChangePercent)
        if !diff.syscalls.isEmpty {
            out += "syscalls per program (new, gone, errors changed, or calls changed by more than \(min)%)\n"
            let rows = diff.syscalls.map { c in
                [c.program, c.syscall, "\(c.countBefore) -> \(c.countAfter)", change(c.countBefore, c.countAfter),
                 "\(c.errorsBefore) -> \(c.errorsAfter)"]
            }
            out += TextTable.render(header: ["PROGRAM", "SYSCALL", "CALLS", "CHANGE", "ERRORS"], rows: rows, rightAligned: [], indent: "  ")
        }
        if !diff.latency.isEmpty {
            out += "latency per syscall (p50 or p99 changed by more than \(min)%)\n"
            let rows = diff.latency.map { l in
                [l.syscall, "\(StatisticsRenderer.duration(l.p50Before)) -> \(StatisticsRenderer.duration(l.p50After))",
                 "\(StatisticsRenderer.duration(l.p99Before)) -> \(StatisticsRenderer.duration(l.p99After))", change(l.p99Before, l.p99After)]
            }
            out += TextTable.render(header: ["SYSCALL", "P50", "P99", "P99 CHANGE"], rows: rows, rightAligned: [], indent: "  ")
        }
        for line in diff.exceeded { out += "threshold exceeded: \(line)\n" }
        return out
    }

    /// `+150%`, `-20%`, `new`, `gone`.
    static func change(_ x: UInt64, _ y: UInt64) -> String {
        if x == 0 { return y == 0 ? "0%" : "new" }
        if y == 0 { return "gone" }
        let p = RunDiff.percent(x, y)
        return (p > 0 ? "+" : "") + String(format: "%.0f%%", p)
    }
}
