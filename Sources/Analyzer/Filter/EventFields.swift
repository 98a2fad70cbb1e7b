/// An event as filters and `-p` formats read its fields: the event, and the printer that renders the fields
/// that print (`evt.args`, `evt.arg.NAME`, `evt.rawarg.NAME`, `evt.time`, `evt.datetime`, `evt.res`, a socket's
/// `fd.name`). The engine makes events and knows nothing of printing: whoever evaluates fields (a filtered
/// sink, a format, a test) passes its printer in. Two words on the stack, made per event for free.
public struct EventFields: FieldValueSource {
    /// The event.
    public let event: Event
    /// The renderer (the sink's own, so both share one symbol cache). Unretained: its owner outlives the event.
    public unowned(unsafe) let printer: EventPrinter

    /// `event`'s fields, rendered by `printer` where they print.
    @inline(__always)
    public init(_ event: Event, printer: EventPrinter) {
        self.event = event
        self.printer = printer
    }

    /// Numeric fields.
    @inline(__always)
    public func int(_ field: FieldRef) -> Int64? { event.int(field, printer) }

    /// String fields.
    @inline(__always)
    public func string(_ field: FieldRef) -> String? { event.string(field, printer) }

    /// Address fields.
    @inline(__always)
    public func ip(_ field: FieldRef) -> IPAddress? { event.ip(field) }

    /// String and bytes fields as bytes; `fd.name` of a file and `evt.type` without making a String.
    @inline(__always)
    public func withBytes(_ field: FieldRef, _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool? {
        event.withBytes(field, printer, body)
    }
}

/// A filter compiled for events (read through `EventFields`).
public typealias EventFilter = CompiledFilter<EventFields>

extension FilterCompiler {
    /// Compiles `text` for the engine's events: a filter over `EventFields`, evaluated with the printer of the
    /// sink or pass that runs it (`FilteredSink`).
    public func compile(_ text: String, for: Event.Type) throws -> EventFilter {
        try compile(text, for: EventFields.self)
    }
}
