/// An event as filters and `-p` formats read its fields: the event, and the printer that renders the fields
/// that print (`evt.args`, `evt.arg.NAME`, `evt.rawarg.NAME`, `evt.time`, `evt.datetime`, `evt.res`, a socket's
/// `fd.name`). The engine makes events and knows nothing of printing: whoever evaluates fields (a filtered
/// sink, a format, a test) passes its printer in. Two words on the stack, made per event for free.
public struct EventFields: FieldValueSource {
    /// The event.
    public let event: Event
    /// The renderer (the sink's own, so both share one symbol cache), unretained: its owner outlives the event,
    /// and a field read through a retained or `unowned(unsafe)` reference would cost a retain and a release.
    let printerRef: Unmanaged<EventPrinter>

    /// The renderer.
    public var printer: EventPrinter { printerRef.takeUnretainedValue() }

    /// `event`'s fields, rendered by `printer` where they print.
    @inline(__always)
    public init(_ event: Event, printer: EventPrinter) {
        self.event = event
        printerRef = Unmanaged.passUnretained(printer)
    }

    /// Numeric fields.
    @inline(__always)
    public func int(_ field: FieldRef) -> Int64? { printerRef._withUnsafeGuaranteedRef { event.int(field, $0) } }

    /// String fields.
    @inline(__always)
    public func string(_ field: FieldRef) -> String? { printerRef._withUnsafeGuaranteedRef { event.string(field, $0) } }

    /// Address fields.
    @inline(__always)
    public func ip(_ field: FieldRef) -> IPAddress? { event.ip(field) }

    /// String and bytes fields as bytes; `fd.name` of a file and `evt.type` without making a String.
    @inline(__always)
    public func withBytes(_ field: FieldRef, _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool? {
        printerRef._withUnsafeGuaranteedRef { event.withBytes(field, $0, body) }
    }
}

/// A filter compiled for events (read through `EventFields`).
public typealias EventFilter = CompiledFilter<EventFields>

extension FilterCompiler {
    /// Compiles `text` for the engine's events: a filter over `EventFields`, evaluated with the printer of the
    /// sink or pass that runs it (`FilteredSink`).
    public func compile(_ text: String, for: Event.Type) throws -> EventFilter {
        try compileUnspecialized(text, EventFields.self)
    }

    /// The generic compile, kept unspecialised on purpose: specialised for a struct source, the closure tree
    /// goes through reabstraction thunks that copy the source at every node (a third of a filtered replay's
    /// time); unspecialised, every node takes it by reference.
    @_semantics("optimize.sil.specialize.generic.never")
    @inline(never)
    func compileUnspecialized<S: FieldValueSource>(_ text: String, _ source: S.Type) throws -> CompiledFilter<S> {
        try compile(text, for: source)
    }
}
