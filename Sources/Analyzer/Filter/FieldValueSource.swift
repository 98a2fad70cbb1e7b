/// What a compiled filter reads an event through. The engine's `Event` implements it; tests use a mock.
///
/// Rules for implementers:
/// - Return nil when the event has no value for the field (no fd, a thread the capture never saw, an argument
///   the event type lacks): every comparison on an absent value is false, `!=` included, as in sysdig, and
///   `exists` is false.
/// - Each accessor is called only for fields of the matching `FieldType` (see `FieldType`), and never for a
///   field `FieldRegistry` marks unsupported. Numeric types (int, uint, bool as 0/1, port, reltime, abstime)
///   go through `int`; `evt.type` goes through `int` (the engine's event-type code, when the compiler was
///   given `eventTypeCodes`) and through `string` (its name, for string operators or without codes);
///   `evt.rawarg` goes through `int`, and through `string` when a filter compares it with text.
/// - `fd.ip`, `fd.port` and the `fd.*net` fields are never asked for: the compiler reads `fd.cip`/`fd.sip`
///   (and `cport`/`sport`, `lip`/`rip`) instead. `proc.aname`/`proc.apid` without an index are asked with
///   index 1, 2, 3... until nil.
/// - Accessors are called on the hot path (millions of events per second): no allocation for values the
///   engine already holds (return stored Strings, not freshly built ones, where possible).
public protocol FieldValueSource {
    /// The value of a numeric field (int, uint, bool as 0 or 1, port, reltime and abstime in ns), or nil.
    func int(_ field: FieldRef) -> Int64?
    /// The value of a string field, or nil.
    func string(_ field: FieldRef) -> String?
    /// The value of an address field, or nil.
    func ip(_ field: FieldRef) -> IPAddress?
    /// Calls `body` with the bytes of a bytes field (`evt.buffer`) and returns its result, or returns nil when
    /// the field is absent. The bytes are valid only inside `body`.
    func withBytes(_ field: FieldRef, _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool?
}

extension FieldValueSource {
    /// Default: the source has no address fields.
    public func ip(_ field: FieldRef) -> IPAddress? { nil }
    /// Default: the source has no bytes fields.
    public func withBytes(_ field: FieldRef, _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool? { nil }
}
