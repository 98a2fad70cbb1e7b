import CaptureFormat

/// The live source's end of the pipeline (`kcap record` without `-w`): the recorder hands it snapshots and
/// raw records as it drains them, and it prints them through the same engine, filter and sinks as
/// `kcap read`.
public final class LiveOutput {
    /// The engine (its tables follow the live records).
    public let engine: Engine
    private enum Consumer {
        case text(FilteredSink<TextSink>)
        case json(FilteredSink<JSONSink>)
        case format(FilteredSink<FormatSink>)
    }
    @exclusivity(unchecked)
    private var consumer: Consumer
    private let out: OutputBuffer

    /// A live printer for records of `machine` writing to `fd`. Throws `FilterError` for a bad filter or format.
    public convenience init(machine: String, realtimeOffsetNs: Int64, filter: String? = nil, output: ReadPipeline.Output = .text,
                            fd: Int32 = 1, maxEvents: UInt64? = nil) throws {
        var compiled: CompiledFilter<Event>? = nil
        if let filter, !filter.allSatisfy({ $0 == " " }) {
            compiled = try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: machine)).compile(filter, for: Event.self)
        }
        try self.init(machine: machine, realtimeOffsetNs: realtimeOffsetNs, compiledFilter: compiled, output: output,
                      fd: fd, maxEvents: maxEvents)
    }

    /// A live printer with a filter the caller compiled (so it can report a bad filter and a bad format apart,
    /// with `kcap read`'s messages). Throws `FilterError` for a bad `-p` format.
    public init(machine: String, realtimeOffsetNs: Int64, compiledFilter compiled: CompiledFilter<Event>?,
                output: ReadPipeline.Output = .text, fd: Int32 = 1, maxEvents: UInt64? = nil) throws {
        engine = Engine(machine: machine, realtimeOffsetNs: realtimeOffsetNs)
        out = OutputBuffer(fd: fd, chunkSize: 1 << 14)
        let printer = engine.printer
        switch output {
        case .json: consumer = .json(FilteredSink(sink: JSONSink(out: out, printer: printer), filter: compiled, maxEvents: maxEvents))
        case .format(let f):
            consumer = .format(FilteredSink(sink: try FormatSink(format: f, out: out, printer: printer), filter: compiled, maxEvents: maxEvents))
        case .text, .none:
            consumer = .text(FilteredSink(sink: TextSink(out: out, printer: printer), filter: compiled, maxEvents: maxEvents))
        }
    }

    /// Loads a thread/fd snapshot.
    public func load(_ snapshot: CaptureSnapshot) { engine.load(snapshot) }

    /// Processes one raw record; returns false once the output closed or `maxEvents` were printed.
    /// Throws `OutputError.io` when writing fails for another reason.
    public func feed(_ record: UnsafeRawBufferPointer) throws -> Bool {
        // One forwarding consumer (a single specialisation of the engine's loop for the live path: more would
        // grow the replay loop's copies and cost `kcap read` its inlining).
        var forward = Forwarding(owner: self)
        let more = engine.process(RecordView(bytes: record), into: &forward)
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

    /// Processes a run of raw records laid end to end (an `EventChunk`'s bytes, as the recorder's drain
    /// copied them from the ring), walking them in place like the file replay does; returns false once the
    /// output closed or `maxEvents` were printed (the rest of the run is skipped). Throws `OutputError.io`
    /// when writing fails for another reason.
    public func feed(records bytes: UnsafeRawBufferPointer) throws -> Bool {
        var forward = Forwarding(owner: self)
        var more = true
        // The drain framed each record by its own hdr.len; a bad length ends the run.
        var walker = RecordWalker(bytes)
        while more, let record = walker.next() { more = engine.process(record, into: &forward) }
        return try settle(more)
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
        }
        return more
    }

    /// Hands buffered lines out (call after each drain, so live output is not held back). A closed output
    /// is not an error here: `feed` already reported it by returning false.
    public func flush() throws {
        do { try out.flush() } catch OutputError.closed { isClosed = true }
    }
}
