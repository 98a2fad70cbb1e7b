import Foundation

/// Renders a `StatisticsReport` as aligned text tables or as JSON; both byte-identical for the same report.
public enum StatisticsRenderer {
    /// Pretty JSON with sorted keys.
    public static func json(_ report: StatisticsReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
    }

    /// A duration for people: `850ns`, `12.3us`, `4.56ms`, `1.20s`.
    public static func duration(_ ns: UInt64) -> String {
        func fixed(_ v: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", v) }
        switch ns {
        case ..<1_000: return "\(ns)ns"
        case ..<1_000_000: return fixed(Double(ns) / 1e3, ns < 10_000 ? 2 : 1) + "us"
        case ..<1_000_000_000: return fixed(Double(ns) / 1e6, ns < 10_000_000 ? 2 : 1) + "ms"
        default: return fixed(Double(ns) / 1e9, 2) + "s"
        }
    }

    /// A byte count for people: `512B`, `4.0KiB`, `1.5MiB`.
    public static func bytes(_ n: UInt64) -> String {
        if n < 1024 { return "\(n)B" }
        let units = ["KiB", "MiB", "GiB", "TiB"]
        var v = Double(n) / 1024
        var i = 0
        while v >= 1024 && i < units.count - 1 { v /= 1024; i += 1 }
        return String(format: "%.1f", v) + units[i]
    }

    static func table(_ title: String, _ header: [String], _ rows: [[String]], rightAligned: Set<Int>) -> String {
        guard !rows.isEmpty else { return "\(title)\n  (none)\n\n" }
        return "\(title)\n" + TextTable.render(header: header, rows: rows, rightAligned: rightAligned, indent: "  ") + "\n"
    }

    /// The tables of `kcap stats`.
    public static func text(_ r: StatisticsReport) -> String {
        var out = "events: \(r.events)  syscalls: \(r.syscalls)  processes: \(r.processCount)  duration: \(duration(r.durationNs))"
        if r.untimedSyscalls > 0 { out += "  (\(r.untimedSyscalls) syscalls without latency)" }
        out += "\n"
        if let d = r.drops {
            out += "recorder: seen \(d.eventsSeen), written \(d.eventsWritten), dropped \(d.dropped)"
            if d.dropped > 0 {
                out += " (ring full \(d.ringFull), too large \(d.tooLarge), writer queue \(d.writerQueueFull))"
            }
            if d.readFailures > 0 { out += ", payload read failures \(d.readFailures)" }
            out += "\n"
        }
        if !r.processEvents.isEmpty {
            out += "process events: " + r.processEvents.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                .joined(separator: ", ") + "\n"
        }
        if !r.categories.isEmpty {
            out += "by category: " + r.categories.map { "\($0.category) \($0.count)" }.joined(separator: ", ") + "\n"
        }
        out += "\n"
        func lat(_ s: StatisticsReport.SyscallRow) -> [String] {
            guard let p = s.latencyNs else { return ["-", "-", "-", "-"] }
            return [duration(p.p50), duration(p.p90), duration(p.p99), duration(p.max)]
        }
        out += table("Top syscalls by count", ["SYSCALL", "COUNT", "ERRORS", "TOTAL", "P50", "P90", "P99", "MAX"],
                     r.topSyscallsByCount.map { [$0.name, "\($0.count)", "\($0.errors)", duration($0.totalNs)] + lat($0) },
                     rightAligned: [1, 2, 3, 4, 5, 6, 7])
        out += table("Top syscalls by time", ["SYSCALL", "TOTAL", "COUNT", "MEAN", "P50", "P90", "P99", "MAX"],
                     r.topSyscallsByTime.map { [$0.name, duration($0.totalNs), "\($0.count)", $0.meanNs.map(duration) ?? "-"] + lat($0) },
                     rightAligned: [1, 2, 3, 4, 5, 6, 7])
        out += table("Top processes by bytes", ["PID", "COMM", "READ", "WRITTEN", "EVENTS", "ERRORS"],
                     r.topProcessesByBytes.map { ["\($0.pid)", $0.comm, bytes($0.bytesRead), bytes($0.bytesWritten), "\($0.events)", "\($0.errors)"] },
                     rightAligned: [0, 2, 3, 4, 5])
        out += table("Top processes by events", ["PID", "COMM", "EVENTS", "ERRORS", "SYSCALL TIME"],
                     r.topProcessesByEvents.map { ["\($0.pid)", $0.comm, "\($0.events)", "\($0.errors)", duration($0.syscallNs)] },
                     rightAligned: [0, 2, 3, 4])
        out += table("Top files by bytes", ["READ", "WRITTEN", "OPS", "FILE"],
                     r.topFiles.map { [bytes($0.bytesRead), bytes($0.bytesWritten), "\($0.reads &+ $0.writes)", $0.name] },
                     rightAligned: [0, 1, 2])
        out += table("Top connections by bytes", ["IN", "OUT", "OPS", "CONNECTION"],
                     r.topConnections.map { [bytes($0.bytesRead), bytes($0.bytesWritten), "\($0.reads &+ $0.writes)", $0.name] },
                     rightAligned: [0, 1, 2])
        out += table("Errors by errno", ["ERRNO", "COUNT", "SYSCALLS"],
                     r.errors.map { [$0.name, "\($0.count)", $0.syscalls.joined(separator: " ")] },
                     rightAligned: [1])
        if let rows = r.inFlightAtEnd, !rows.isEmpty {
            out += table("In flight at the end (entered, never returned)", ["FOR", "TID", "COMM", "SYSCALL", "ON"],
                         rows.map { [$0.blockedNs.map { ">= " + duration($0) } ?? "whole capture", "\($0.tid)", $0.comm,
                                     $0.syscall, $0.on] },
                         rightAligned: [0, 1])
        }
        return out
    }
}
