import Analyzer
import CaptureFormat
import ScapFormat
#if canImport(Glibc)
import Glibc
#endif

/// The fuzz targets and their entry functions. libFuzzer (`kcap-fuzz` built with `-sanitize=fuzzer`) and the
/// regression tests (`FuzzRegressionTests`) call the same `run`, so a crash input kept under
/// Tests/FuzzRegressions replays exactly the code the fuzzer ran.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The capture reader alone: open (preamble, header, footer or scan), summary, every block, a time seek.
    case reader
    /// A whole replay: reader → engine → the text, JSON or `-p` printer, or statistics and the in-flight report.
    case engine
    /// The filter parser and compiler, and the `-p` format parser, evaluated against a real capture.
    case filter
    /// A sysdig/falco capture read as kcap reads it: inflating, the block walker, the state and event
    /// decoders, and the engine and printers behind them.
    case scap

    /// Runs one input through the target. Errors are the expected answer to bad input and are swallowed;
    /// only a trap (or a sanitizer report, or a hang) is a finding.
    public func run(_ data: UnsafeRawBufferPointer) {
        switch self {
        case .reader: FuzzTarget.runReader(data)
        case .engine: FuzzTarget.runEngine(data)
        case .filter: FuzzTarget.runFilter(data)
        case .scap: FuzzTarget.runScap(data)
        }
    }

    /// The target's structure-aware mutation of `input` (`LLVMFuzzerCustomMutator`): kcap captures through
    /// `CaptureMutator`, sysdig captures through `ScapMutator`; nil for inputs that take libFuzzer's own
    /// byte mutations (filter text).
    public func mutate(_ input: [UInt8], maxSize: Int, seed: UInt32, bytes: CaptureMutator.ByteMutator) -> [UInt8]? {
        switch self {
        case .reader, .engine: return CaptureMutator.mutate(input, maxSize: maxSize, seed: seed, bytes: bytes)
        case .scap: return ScapMutator.mutate(input, maxSize: maxSize, seed: seed, bytes: bytes)
        case .filter: return nil
        }
    }

    // MARK: - reader

    static func runReader(_ data: UnsafeRawBufferPointer) {
        FuzzInputFile.shared.store(data)
        guard let reader = try? CaptureReader(path: FuzzInputFile.shared.path) else { return }
        guard let summary = try? reader.summarize() else { return }
        var sink: UInt64 = 0
        // A second walk that touches every record, and a seek into the middle of the time range.
        try? reader.forEachBlock { block in
            switch block {
            case .events(let view):
                view.forEachRecord { r in sink &+= r.timestampNs &+ UInt64(r.length) }
            case .snapshot(let s):
                sink &+= UInt64(s.threads.count &+ s.fds.count &+ s.users.count &+ s.groups.count)
            case .counters(let c):
                sink &+= c.eventsDropped
            }
        }
        if let first = summary.firstTimestampNs, let last = summary.lastTimestampNs {
            let mid = first / 2 + last / 2
            try? reader.forEachBlock(from: mid) { _ in sink &+= 1 }
        }
        for p in reader.problems { sink &+= UInt64(p.description.utf8.count) }
        blackHole(sink)
    }

    // MARK: - engine

    /// Where printed output goes: written for real (the printers' flush path runs) but discarded.
    static let devNull = open("/dev/null", O_WRONLY | O_CLOEXEC)

    /// A `-p` format that reaches the wall-clock, process, fd and argument renderers (`*`: on every event, even
    /// those that lack a field).
    static let engineFormat = "*%evt.num %evt.datetime %evt.reltime %proc.name %proc.cmdline %thread.tid %fd.name %fd.type %evt.type %evt.args %evt.res %user.name"

    /// One replay per input through one printer, and for one input in four the statistics too. Which one
    /// follows from the input's size, so an input always takes the same path (libFuzzer needs that to keep
    /// coverage stable), and the corpus, whose sizes vary, covers all of them. One pass per input instead of
    /// four keeps the target fast enough for about a million executions per CI run.
    static func runEngine(_ data: UnsafeRawBufferPointer) {
        FuzzInputFile.shared.store(data)
        let path = FuzzInputFile.shared.path
        guard let reader = try? CaptureReader(path: path) else { return }
        let replay = CaptureReplay(reader: reader)
        let mode = data.count % 4
        if mode == 3 {
            let engine = replay.engine
            let stats = CaptureStatistics(machine: engine.machine)
            _ = try? ReadPipeline.run(replay, into: stats, options: ReadPipeline.Options())
            var report = stats.report(limit: 10, counters: replay.counters().last) { engine.paths.string($0) }
            let rows = InFlightReport.rows(engine: engine, machine: engine.machine, limit: 10)
            if !rows.isEmpty { report.inFlightAtEnd = rows }
            var sink = StatisticsRenderer.text(report).utf8.count
            sink &+= (try? StatisticsRenderer.json(report))?.utf8.count ?? 0
            blackHole(UInt64(sink))
            return
        }
        let output: ReadPipeline.Output = [.text, .json, .format(engineFormat)][mode]
        var options = ReadPipeline.Options()
        options.timeMode = mode == 1 ? .relative : .absolute
        if mode == 2, let w = try? replay.window(since: "+0.001s", until: nil) { (options.startNs, options.endNs) = w }
        let out = OutputBuffer(fd: devNull)
        _ = try? ReadPipeline.run(replay, output: output, to: out, options: options)
        _ = replay.dropWarning { "\($0)" }
    }

    // MARK: - scap

    /// One replay per input through the text, lean JSON or `-p` printer (by the input's size, as the engine
    /// target chooses), or the statistics; then the source's `kcap info` walk.
    static func runScap(_ data: UnsafeRawBufferPointer) {
        guard let capture = try? ScapCapture(data: Array(data)), let source = try? ScapFileSource(capture: capture) else { return }
        let replay = Replay(source: source)
        let mode = data.count % 4
        if mode == 3 {
            let stats = CaptureStatistics(machine: replay.engine.machine)
            _ = try? ReadPipeline.run(replay, into: stats, options: ReadPipeline.Options())
            let report = stats.report(limit: 10) { replay.engine.paths.string($0) }
            blackHole(UInt64(StatisticsRenderer.text(report).utf8.count))
        } else {
            let output: ReadPipeline.Output = [.text, .leanJSON, .format(engineFormat)][mode]
            _ = try? ReadPipeline.run(replay, output: output, to: OutputBuffer(fd: devNull), options: ReadPipeline.Options())
        }
        source.scan()
        blackHole(source.eventCount &+ UInt64(source.problems.count))
    }

    // MARK: - filter

    /// The capture filters are evaluated against: a real recording with sockets, files and processes.
    /// KCAP_FUZZ_FIXTURE overrides it.
    public static let filterFixture: String = {
        if let p = getenv("KCAP_FUZZ_FIXTURE") { return String(cString: p) }
        // Sources/KcapFuzz/FuzzTarget.swift → the repository root.
        var root = "\(#filePath)"
        for _ in 0..<3 { if let slash = root.lastIndex(of: "/") { root = String(root[..<slash]) } }
        return root + "/Tests/Fixtures/net-loopback/capture.kcap"
    }()

    static let compiler = FilterCompiler(eventTypeCodes: Event.typeCodes(machine: "x86_64"))

    /// The filter fixture, read and decoded once: its snapshots and record runs in file order, as the live
    /// source holds what it drained. Each input replays it from memory through a fresh engine, so an execution
    /// spends its time in the filter, the fields and the engine instead of opening, inflating and decoding the
    /// same file again (which took about a third of the target's time).
    static let fixtureItems: (machine: String, realtimeOffsetNs: Int64, items: [LiveRingSource.Item]) = {
        guard let reader = try? CaptureReader(path: filterFixture) else {
            fatalError("kcap-fuzz: the filter target needs the fixture \(filterFixture) (set KCAP_FUZZ_FIXTURE)")
        }
        var items: [LiveRingSource.Item] = []
        do {
            try reader.forEachBlock { block in
                switch block {
                case .snapshot(let s):
                    items.append(.snapshot(s))
                case .events(let view):
                    var chunk = EventChunk(capacity: max(view.bytes.count, KcapABI.recordMax))
                    view.forEachRecord { _ = chunk.append($0.bytes) }
                    items.append(.records(chunk))
                case .counters:
                    break
                }
            }
        } catch {
            fatalError("kcap-fuzz: the filter fixture \(filterFixture) does not read: \(error)")
        }
        let file = CaptureFileSource(reader: reader)
        return (file.machine, file.realtimeOffsetNs, items)
    }()

    static func runFilter(_ data: UnsafeRawBufferPointer) {
        _ = replayFixture(String(decoding: data, as: UTF8.self))
    }

    /// Compiles `text` as a filter and counts the fixture's events it passes; text that is no filter is
    /// parsed as a `-p` format instead (its `%field` references and escapes) and printed to /dev/null. Returns
    /// the events that passed or were printed, nil when the text is neither.
    public static func replayFixture(_ text: String) -> UInt64? {
        let filter = try? compiler.compile(text, for: Event.self)
        let fixture = fixtureItems
        var source = LiveRingSource(machine: fixture.machine, realtimeOffsetNs: fixture.realtimeOffsetNs)
        for item in fixture.items { source.append(item) }
        let replay = Replay(source: source)
        let printer = EventPrinter(engine: replay.engine)
        if let filter {
            var consumer = FilteredSink(sink: NullSink(), filter: filter, printer: printer)
            _ = try? replay.run(into: &consumer)
            return consumer.written
        }
        guard let sink = try? FormatSink(format: text, out: OutputBuffer(fd: devNull), printer: printer) else { return nil }
        var consumer = FilteredSink(sink: sink, printer: printer)
        _ = try? replay.run(into: &consumer)
        try? consumer.sink.finish()
        return consumer.written
    }

    @inline(never) static func blackHole(_ v: UInt64) {
        if v == 0x5EED_F00D_DEAD_BEEF { print("") }
    }
}
