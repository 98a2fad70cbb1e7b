/// `RunProfile`'s pass as a sink: each event is counted by every part whose filter it passes, and by the
/// statistics (latencies).
struct RunProfileSink: EventSink {
    let filters: [EventFilter]
    let groups: [GroupedStatistics]
    let statistics: CaptureStatistics
    let printer: EventPrinter

    mutating func write(_ event: Event) throws(OutputError) {
        statistics.add(event)
        for i in filters.indices where filters[i].matches(EventFields(event, printer: printer)) {
            groups[i].add(event)
        }
    }

    mutating func finish() throws(OutputError) {}
}
