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
    private var consumer: Consumer
    private let out: OutputBuffer

    /// A live printer for records of `machine` writing to `fd`. Throws `FilterError` for a bad filter or format.
    public init(machine: String, realtimeOffsetNs: Int64, filter: String? = nil, output: ReadPipeline.Output = .text,
                fd: Int32 = 1, maxEvents: UInt64? = nil) throws {
        engine = Engine(machine: machine, realtimeOffsetNs: realtimeOffsetNs)
        out = OutputBuffer(fd: fd, chunkSize: 1 << 14)
        var compiled: CompiledFilter<Event>? = nil
        if let filter, !filter.allSatisfy({ $0 == " " }) {
            compiled = try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: machine)).compile(filter, for: Event.self)
        }
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
        let more = engine.process(record, into: &forward)
        if let error = lastError {
            lastError = nil
            if error == .closed { return false }
            throw error
        }
        return more
    }

    private var lastError: OutputError?

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

    /// Hands buffered lines out (call after each drain, so live output is not held back).
    public func flush() throws {
        do { try out.flush() } catch OutputError.closed {}
    }
}
