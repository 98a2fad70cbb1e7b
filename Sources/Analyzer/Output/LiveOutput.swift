import CaptureFormat

/// The live pipeline (`kcap record` without `-w`): the live ring's replay (`LiveRingSource` → engine)
/// through a filter into a printing sink, the same engine, filter and sinks as `kcap read`. The recorder hands
/// it snapshots and drained chunks as they come (`load`, `feed`); `kcap record` wires the pieces.
public final class LiveOutput {
    /// The live ring's replay.
    public let replay: Replay<LiveRingSource>
    /// The engine (its tables follow the live records).
    public var engine: Engine { replay.engine }
    private enum Consumer {
        case text(FilteredSink<TextSink>)
        case json(FilteredSink<JSONSink>)
        case format(FilteredSink<FormatSink>)
        case match(MatchWatch)
    }

    /// The flight recorder's `--trigger FILTER`: notes the first event that matches, prints nothing.
    struct MatchWatch {
        let filter: EventFilter
        let printer: EventPrinter
        /// Events before this boot-time ns are not looked at (the engine still follows them).
        var notBeforeNs: UInt64 = .max
        var firstMatchNs: UInt64?

        @inline(__always)
        mutating func consume(_ event: Event) -> Bool {
            let ts = event.timestampNs
            if firstMatchNs == nil && ts >= notBeforeNs && filter.matches(EventFields(event, printer: printer)) {
                firstMatchNs = ts
            }
            return true
        }
    }
    @exclusivity(unchecked)
    private var consumer: Consumer
    private let out: OutputBuffer

    /// A live printer for records of `machine` writing to `fd`. Throws `FilterError` for a bad filter or format.
    public convenience init(machine: String, realtimeOffsetNs: Int64, filter: String? = nil, output: ReadPipeline.Output = .text,
                            fd: Int32 = 1, maxEvents: UInt64? = nil) throws {
        var compiled: EventFilter? = nil
        if let filter, !filter.allSatisfy({ $0 == " " }) {
            compiled = try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: machine)).compile(filter, for: Event.self)
        }
        let replay = Replay(source: LiveRingSource(machine: machine, realtimeOffsetNs: realtimeOffsetNs))
        try self.init(replay: replay, filter: compiled, output: output, printer: EventPrinter(engine: replay.engine),
                      out: OutputBuffer(fd: fd, chunkSize: 1 << 14), maxEvents: maxEvents)
    }

    /// Live output of `replay`'s events that pass `filter` (compiled by the caller, so it can report a bad
    /// filter and a bad format apart, with `kcap read`'s messages) into the sink `output` names, rendering with
    /// `printer` (made for `replay.engine`), written to `out`. Throws `FilterError` for a bad `-p` format.
    public init(replay: Replay<LiveRingSource>, filter compiled: EventFilter?, output: ReadPipeline.Output = .text,
                printer: EventPrinter, out: OutputBuffer, maxEvents: UInt64? = nil) throws {
        self.replay = replay
        self.out = out
        switch output {
        // Live JSON stays every field for now (`kcap record -j`); one more sink would be one more copy of the
        // replay loop (see `pump`).
        case .json, .leanJSON, .fieldsJSON, .fieldListJSON:
            consumer = .json(FilteredSink(sink: JSONSink(out: out, printer: printer), filter: compiled, printer: printer,
                                          maxEvents: maxEvents))
        case .format(let f):
            consumer = .format(FilteredSink(sink: try FormatSink(format: f, out: out, printer: printer), filter: compiled,
                                            printer: printer, maxEvents: maxEvents))
        case .text, .none:
            consumer = .text(FilteredSink(sink: TextSink(out: out, printer: printer), filter: compiled, printer: printer,
                                          maxEvents: maxEvents))
        }
    }

    /// A watch for `filter` over `replay`'s events, for the flight recorder's `--trigger`: `firstMatch(in:)`
    /// runs records through the engine and says when the filter first matched. Nothing is printed.
    public init(replay: Replay<LiveRingSource>, trigger filter: EventFilter) {
        self.replay = replay
        out = OutputBuffer()
        consumer = .match(MatchWatch(filter: filter, printer: EventPrinter(engine: replay.engine)))
    }

    /// A trigger watch (`init(replay:trigger:)`): feeds the chunk's records through the engine and returns the
    /// boot-time ns of the first one at or after `notBeforeNs` that matches the filter, or nil.
    public func firstMatch(in chunk: EventChunk, notBeforeNs: UInt64) -> UInt64? {
        guard case .match(var watch) = consumer else { return nil }
        watch.notBeforeNs = notBeforeNs
        watch.firstMatchNs = nil
        consumer = .match(watch)
        _ = try? feed(chunk)
        guard case .match(let done) = consumer else { return nil }
        return done.firstMatchNs
    }

    /// Loads a thread/fd snapshot, in its place among the records.
    public func load(_ snapshot: CaptureSnapshot) {
        replay.source.append(.snapshot(snapshot))
        _ = try? pump()  // a snapshot prints nothing, so nothing can fail
    }

    /// Processes a drained run of records (an `EventChunk`, as the recorder's drain copied it from the ring),
    /// walked in place like the file replay walks a chunk; returns false once the output closed or
    /// `maxEvents` were printed (the rest of the run is skipped). Throws `OutputError.io` when writing fails
    /// for another reason.
    public func feed(_ chunk: EventChunk) throws -> Bool {
        replay.source.append(.records(chunk))
        return try pump()
    }

    /// Feeds what the source holds through the engine. One forwarding consumer, so the engine's loop has a
    /// single specialisation for the live path (more would grow the replay loop's copies and cost `kcap read`
    /// its inlining).
    private func pump() throws -> Bool {
        var forward = Forwarding(owner: self)
        let more = try replay.run(into: &forward)
        return try settle(more)
    }

    private var lastError: OutputError?

    /// True once a write found the reader gone (EPIPE): nothing more will be printed.
    public private(set) var isClosed = false

    private func settle(_ more: Bool) throws -> Bool {
        guard let error = lastError else { return more }
        lastError = nil
        if error == .closed { isClosed = true; return false }
        throw error
    }

    private struct Forwarding: EventConsumer {
        unowned(unsafe) let owner: LiveOutput
        mutating func consume(_ event: Event) -> Bool { owner.consume(event) }
    }

    @inline(never)
    private func consume(_ event: Event) -> Bool {
        var more: Bool
        switch consumer {
        case .text(var c): more = c.consume(event); lastError = c.error; consumer = .text(c)
        case .json(var c): more = c.consume(event); lastError = c.error; consumer = .json(c)
        case .format(var c): more = c.consume(event); lastError = c.error; consumer = .format(c)
        case .match(var c): more = c.consume(event); consumer = .match(c)
        }
        return more
    }

    /// Hands buffered lines out (call after each drain, so live output is not held back). A closed output
    /// is not an error here: `feed` already reported it by returning false.
    public func flush() throws {
        do { try out.flush() } catch OutputError.closed { isClosed = true }
    }
}
