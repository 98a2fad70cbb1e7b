/// The slice's filter as the engine's consumer: remembers whether the last event passed.
struct SliceMatcher: EventConsumer {
    let filter: EventFilter?
    let printer: EventPrinter
    /// Whether the last event handed over passed the filter.
    var matched = false

    @inline(__always)
    mutating func consume(_ event: Event) -> Bool {
        // Optional chaining calls the predicate in place (as FilteredSink does).
        matched = filter?.matches(EventFields(event, printer: printer)) ?? true
        return true
    }
}
