import Analyzer
import ArgumentParser
import Foundation
import ScapFormat
#if canImport(Glibc)
import Glibc
#endif

/// `kcap read|stats|info` on a sysdig/falco capture (scap), told apart from a kcap capture by its first
/// bytes. The same source → engine → filter → sink wiring as for kcap captures, with `ScapFileSource` as the
/// source; each command keeps its own options and output.
enum ScapCommands {
    /// True when the file starts like a scap capture (section header block, or a gzip/zstd/LZ4 stream).
    static func isScap(_ path: String) -> Bool {
        // Only a regular file is looked into: opening a FIFO with no writer would block, and everything that
        // is not a regular file gets the capture reader's one-line refusal.
        var st = stat()
        guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return false }
        let fd = Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { Glibc.close(fd) }
        var prefix = [UInt8](repeating: 0, count: 4)
        let n = Glibc.read(fd, &prefix, prefix.count)
        return n == prefix.count && ScapCapture.looksLikeScap(prefix)
    }

    /// Opens the capture, or prints one line and exits 1.
    static func open(_ path: String, command: String) -> ScapFileSource {
        do { return try ScapFileSource(path: path) } catch {
            FileHandle.standardError.write(Data("kcap \(command): \(path): \(error)\n".utf8))
            Foundation.exit(ExitStatus.failure)
        }
    }

    static func compile(_ text: String, engine: Engine, command: String) -> EventFilter? {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        do {
            return try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: engine.machine)).compile(text, for: Event.self)
        } catch {
            FileHandle.standardError.write(Data("kcap \(command): \(error)\n".utf8))
            Foundation.exit(ExitStatus.failure)
        }
    }

    /// Prints the source's problems (damage, truncation) as warnings; the exit status says the file is damaged.
    static func finish(_ source: ScapFileSource, _ path: String) throws {
        for p in source.problems { FileHandle.standardError.write(Data("warning: \(path): \(p)\n".utf8)) }
        if !source.problems.isEmpty { throw ExitCode(ExitStatus.problems) }
    }

    /// The `--since`/`--until` window: a scan of the capture gives its time range (scap clocks are wall-clock
    /// ns, so the realtime offset is 0).
    static func window(_ source: ScapFileSource, since: String?, until: String?, command: String) -> (start: UInt64?, end: UInt64) {
        guard since != nil || until != nil else { return (nil, .max) }
        source.scan()
        do { return try TimeBound.window(since: since, until: until, range: source.timeRange, realtimeOffsetNs: 0) } catch {
            FileHandle.standardError.write(Data("kcap \(command): \(error)\n".utf8))
            Foundation.exit(ExitStatus.failure)
        }
    }

    static func read(path: String, filter text: String, output: ReadPipeline.Output, maxEvents: UInt64?,
                     timeMode: EventPrinter.TimeMode, since: String?, until: String?,
                     bufferFormat: EventPrinter.BufferFormat = .dots, showInternal: Bool = false) throws {
        let replay = Replay(source: open(path, command: "read"))
        replay.source.showInternal = showInternal
        var options = ReadPipeline.Options()
        (options.startNs, options.endNs) = window(replay.source, since: since, until: until, command: "read")
        options.filter = compile(text, engine: replay.engine, command: "read")
        replay.source.onlyTypeCodes = options.filter.flatMap { EventTypeSet.codes($0, machine: replay.engine.machine) }
        options.maxEvents = maxEvents
        options.timeMode = timeMode
        options.bufferFormat = bufferFormat
        do {
            _ = try ReadPipeline.run(replay, output: output, to: OutputBuffer(fd: 1), options: options)
        } catch OutputError.closed {
            throw ExitCode.success
        } catch {
            FileHandle.standardError.write(Data("kcap read: \(error)\n".utf8))
            Foundation.exit(ExitStatus.failure)
        }
        try finish(replay.source, path)
    }

    static func stats(path: String, filter text: String, json: Bool, top: Int, since: String?, until: String?,
                      showInternal: Bool = false) throws {
        let replay = Replay(source: open(path, command: "stats"))
        replay.source.showInternal = showInternal
        let engine = replay.engine
        var options = ReadPipeline.Options()
        (options.startNs, options.endNs) = window(replay.source, since: since, until: until, command: "stats")
        options.filter = compile(text, engine: engine, command: "stats")
        replay.source.onlyTypeCodes = options.filter.flatMap { EventTypeSet.codes($0, machine: engine.machine) }
        let stats = CaptureStatistics(machine: engine.machine)
        do { _ = try ReadPipeline.run(replay, into: stats, options: options) } catch {
            FileHandle.standardError.write(Data("kcap stats: \(error)\n".utf8))
            Foundation.exit(ExitStatus.failure)
        }
        let report = stats.report(limit: top == 0 ? Int.max : top, counters: nil) { engine.paths.string($0) }
        print(json ? try StatisticsRenderer.json(report) : StatisticsRenderer.text(report), terminator: "")
        try finish(replay.source, path)
    }

    static func info(path: String, json: Bool) throws {
        let source = open(path, command: "info")
        source.scan()
        var facts: [(String, String)] = [
            ("format", "sysdig/falco capture (scap)" + (source.compression.map { ", \($0)-compressed" } ?? "")),
            ("file size", "\(source.fileBytes) B" + (source.compression == nil ? "" : " (\(source.inflatedBytes) B inflated)")),
        ]
        if let m = source.machineInfo {
            facts.append(("hostname", m.hostname))
            facts.append(("cpus", "\(m.cpuCount)"))
            facts.append(("memory", "\(m.memoryBytes) B"))
        }
        if let r = source.timeRange {
            facts.append(("first event", Self.utc(r.first)))
            facts.append(("last event", Self.utc(r.last)))
            facts.append(("duration", String(format: "%.3f s", Double(r.last - r.first) / 1e9)))
        }
        facts.append(("events", "\(source.eventCount) (\(source.hiddenEvents) internal or metadata, not shown by read)"))
        facts.append(("threads listed", "\(source.threadCount)"))
        facts.append(("fds listed", "\(source.fdCount)"))
        let blocks = source.blockCounts.sorted { $0.key < $1.key }.map { "0x\(String($0.key, radix: 16)): \($0.value)" }
        facts.append(("blocks", blocks.joined(separator: ", ")))
        facts.append(("integrity", source.problems.isEmpty ? "intact" : "\(source.problems.count) problem(s)"))
        if json {
            var object: [String: Any] = [:]
            for (k, v) in facts { object[k.replacingOccurrences(of: " ", with: "_")] = v }
            object["problems"] = source.problems
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            let width = facts.map(\.0.count).max() ?? 0
            for (k, v) in facts { print(k.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + v) }
            for p in source.problems { print("problem".padding(toLength: width, withPad: " ", startingAt: 0) + "  " + p) }
        }
        if !source.problems.isEmpty { throw ExitCode(ExitStatus.problems) }
    }

    /// ISO 8601 UTC with ns of epoch ns.
    static func utc(_ ns: UInt64) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        let base = f.string(from: Date(timeIntervalSince1970: TimeInterval(ns / 1_000_000_000)))
        var frac = String(ns % 1_000_000_000)
        while frac.count < 9 { frac = "0" + frac }
        return base.replacingOccurrences(of: "Z", with: ".\(frac)Z")
    }
}
