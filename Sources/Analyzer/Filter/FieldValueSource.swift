/// What a compiled filter reads an event through. `EventFields` (an engine event with the printer of whoever
/// evaluates it) implements it; tests use a mock.
///
/// Rules for implementers:
/// - Return nil when the event has no value for the field (no fd, a thread the capture never saw, an argument
///   the event type lacks): every comparison on an absent value is false, `!=` included, as in sysdig, and
///   `exists` is false.
/// - Each accessor is called only for fields of the matching `FieldType` (see `FieldType`), and never for a
///   field `FieldRegistry` marks unsupported. Numeric types (int, uint, bool as 0/1, port, reltime, abstime)
///   go through `int`; string and bytes fields through `withBytes`; ipaddr through `ip`. `evt.type` goes
///   through `int` (the engine's event-type code, when the compiler was given `eventTypeCodes`) and through
///   `withBytes` (its name, for other operators or without codes); `evt.rawarg` goes through `int`, and
///   through `withBytes` when a filter compares it with text.
/// - `fd.ip`, `fd.port`, `fd.dip`, `fd.dport` and the `fd.*net` fields are never asked for: the compiler
///   reads `fd.cip`/`fd.sip` (and `cport`/`sport`, `lip`/`rip`) instead. `proc.aname`/`proc.apid` without an index are asked with
///   index 1, 2, 3... until nil.
/// - Accessors are called on the hot path (millions of events per second): no allocation for values the
///   engine already holds (return stored Strings, not freshly built ones, where possible).
public protocol FieldValueSource {
    /// The value of a numeric field (int, uint, bool as 0 or 1, port, reltime and abstime in ns), or nil.
    func int(_ field: FieldRef) -> Int64?
    /// The value of a string field, or nil. The compiled filter reads string fields through `withBytes`,
    /// whose default implementation calls this; output formats call it directly.
    func string(_ field: FieldRef) -> String?
    /// The value of an address field, or nil.
    func ip(_ field: FieldRef) -> IPAddress?
    /// Calls `body` with the bytes of a string field (UTF-8) or of a bytes field (`evt.buffer`) and returns its
    /// result, or returns nil without calling `body` when the field is absent. The bytes need to be valid only
    /// inside `body`. Every string comparison goes through here, so a source that holds names as bytes
    /// (interned paths, event-type names) should implement it to avoid making a String per event; the
    /// default implementation calls `string(_:)`, which is enough for string fields but not for bytes fields.
    func withBytes(_ field: FieldRef, _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool?
}

extension FieldValueSource {
    /// Default: the source has no address fields.
    public func ip(_ field: FieldRef) -> IPAddress? { nil }
    /// Default: the UTF-8 of `string(field)`, without copying when the string is native.
    @inlinable
    public func withBytes(_ field: FieldRef, _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool? {
        guard let s = string(field) else { return nil }
        if let r = s.utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return r }
        var copy = s
        return copy.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }
}
