import ArgumentParser
import CaptureFormat
import Foundation

/// `kcap info FILE`: what a capture holds and whether it is intact.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe a capture file and check its integrity.",
        discussion: """
        Reads every block (checking every checksum) and prints the host facts, the time range, what the file \
        holds, the recorder's counters and every integrity problem found. A file whose recording was killed \
        is read up to its last complete chunk.

        \(ExitStatus.helpText)

        Examples:
          kcap info trace.kcap
          kcap info --json trace.kcap | jq .records
        """
    )

    @Argument(help: "The capture file.")
    var file: String

    @Flag(name: [.customShort("j"), .long], help: "Print the same facts as one JSON object.")
    var json = false

    func run() throws {
        if ScapCommands.isScap(file) { return try ScapCommands.info(path: file, json: json) }
        let summary: CaptureSummary
        do {
            let reader = try CaptureReader(path: file)
            summary = try reader.summarize()
        } catch let error as CaptureError {
            FileHandle.standardError.write(Data("kcap info: \(error)\n".utf8))
            throw ExitCode(ExitStatus.failure)
        }
        if json {
            print(try InfoCommand.json(summary))
        } else {
            print(InfoCommand.text(summary), terminator: "")
        }
        if !summary.problems.isEmpty { throw ExitCode(ExitStatus.problems) }
    }

    static func bytes(_ n: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var v = Double(n)
        var u = 0
        while v >= 1024 && u < units.count - 1 { v /= 1024; u += 1 }
        return u == 0 ? "\(n) B" : String(format: "%.1f %@", v, units[u])
    }

    static func duration(_ ns: UInt64) -> String {
        String(format: "%.3f s", Double(ns) / 1e9)
    }

    static func text(_ s: CaptureSummary) -> String {
        var out = ""
        func line(_ key: String, _ value: String) {
            out += key.padding(toLength: 14, withPad: " ", startingAt: 0) + value + "\n"
        }
        let h = s.header
        line("file", "\(s.path) (\(bytes(s.fileSize)), format \(s.formatVersion), \(s.finished ? "finished" : "not finished: no footer, read by scanning"))")
        line("host", "\(h.hostname.isEmpty ? "?" : h.hostname), Linux \(h.kernelRelease.isEmpty ? "?" : h.kernelRelease), \(h.machine.isEmpty ? "?" : h.machine), \(h.cpuCount) CPUs")
        if h.hosts.count > 1 {
            line("hosts", "\(h.hosts.count): " + h.hosts.map { "\($0.hostname) (Linux \($0.kernelRelease.isEmpty ? "?" : $0.kernelRelease), \($0.cpuCount) CPUs)" }.joined(separator: ", ")
                 + "; one clock, the earliest-booted host's")
        }
        if h.isRedacted {
            line("redacted", "yes: no I/O data; paths, arguments, host, user and group names and addresses are keyed hashes (\(h.redaction["scheme"] ?? "?"); key fingerprint \(h.redaction["keyFingerprint"] ?? "?"))")
        }
        line("abi", "\(h.abiVersion)")
        if h.createdRealtimeNs != 0 { line("created", formatWallClock(ns: h.createdRealtimeNs)) }
        if !h.recorder.isEmpty {
            line("recorder", h.recorder.keys.sorted().map { "\($0)=\(h.recorder[$0]!)" }.joined(separator: " "))
        }
        if let first = s.firstTimestampNs, let last = s.lastTimestampNs {
            if h.bootTimeRealtimeOffsetNs == 0 && h.recorder["convertedFrom"] == nil {
                // No realtime offset recorded: wall-clock time is unknown, show time since boot. (A capture
                // converted from a sysdig capture has wall-clock timestamps: its offset is 0.)
                line("time range", "boot+\(duration(first)) .. boot+\(duration(last)) (wall clock unknown)")
            } else {
                line("time range", "\(formatWallClock(ns: s.wallClockNs(first))) .. \(formatWallClock(ns: s.wallClockNs(last)))")
            }
            line("duration", duration(last >= first ? last - first : 0))
        } else {
            line("time range", "no events")
        }
        line("blocks", "\(s.eventChunks) event chunks, \(s.snapshots) snapshot\(s.snapshots == 1 ? "" : "s"), \(s.counterBlocks) counter block\(s.counterBlocks == 1 ? "" : "s")"
             + (s.unknownBlocks > 0 ? ", \(s.unknownBlocks) of unknown type (skipped)" : ""))
        line("records", "\(s.records)")
        line("event bytes", "\(bytes(s.rawEventBytes)) raw, \(bytes(s.storedEventBytes)) stored, ratio "
             + String(format: "%.2f", s.compressionRatio))
        if let c = s.lastCounters {
            line("counters", "seen \(c.eventsSeen), written \(c.eventsWritten), dropped \(c.eventsDropped) "
                 + "(ring full \(c.dropRingFull), too large \(c.dropTooLarge), writer queue \(c.dropUserQueue)), "
                 + "read failures \(c.dropReadFail)")
        } else {
            line("counters", "none recorded")
        }
        if s.problems.isEmpty {
            line("integrity", "OK")
        } else {
            line("integrity", "\(s.problemCount) problem\(s.problemCount == 1 ? "" : "s"); the damaged parts are skipped")
            for p in s.problems { out += "  \(p)\n" }
            for p in s.omittedProblems { out += "  \(p)\n" }
        }
        return out
    }

    /// The JSON form: the summary's fields plus wall-clock strings and derived numbers.
    static func json(_ s: CaptureSummary) throws -> String {
        struct Output: Encodable {
            var summary: CaptureSummary
            var startWallClock: String?
            var endWallClock: String?
            var durationNs: UInt64?
            var compressionRatio: Double
            var eventsDropped: UInt64?
            var redacted: Bool
            func encode(to encoder: Encoder) throws {
                try summary.encode(to: encoder)
                var c = encoder.container(keyedBy: Keys.self)
                try c.encodeIfPresent(startWallClock, forKey: .startWallClock)
                try c.encodeIfPresent(endWallClock, forKey: .endWallClock)
                try c.encodeIfPresent(durationNs, forKey: .durationNs)
                try c.encode(compressionRatio, forKey: .compressionRatio)
                try c.encodeIfPresent(eventsDropped, forKey: .eventsDropped)
                try c.encode(redacted, forKey: .redacted)
            }
            enum Keys: String, CodingKey { case startWallClock, endWallClock, durationNs, compressionRatio, eventsDropped, redacted }
        }
        var o = Output(summary: s, compressionRatio: (s.compressionRatio * 100).rounded() / 100,
                       eventsDropped: s.lastCounters?.eventsDropped, redacted: s.header.isRedacted)
        if let f = s.firstTimestampNs, let l = s.lastTimestampNs {
            o.startWallClock = formatWallClock(ns: s.wallClockNs(f))
            o.endWallClock = formatWallClock(ns: s.wallClockNs(l))
            o.durationNs = l >= f ? l - f : 0
        }
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try enc.encode(o), as: UTF8.self)
    }
}
