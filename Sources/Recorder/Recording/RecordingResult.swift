import CaptureFormat

/// What a finished recording did.
public struct RecordingResult: Sendable {
    /// Why it stopped.
    public var stopReason: StopReason
    /// Records written to the sink.
    public var eventsCaptured: UInt64 = 0
    /// Final counters (kernel totals and user-space drops).
    public var counters = CaptureCounters()
    /// The command's exit status as a shell reports it (128+signal when killed), for `-- COMMAND`.
    public var commandExitStatus: Int32? = nil
    /// Warnings for the user (e.g. tracepoints the kernel lacks).
    public var warnings: [String] = []

    /// Drops of every reason (read failures are not drops: the record is kept without the item).
    public var dropped: UInt64 { counters.dropRingFull + counters.dropTooLarge + counters.dropUserQueue }

    /// `captured N events, dropped M` with the reasons when M > 0.
    public var summary: String {
        var s = "captured \(eventsCaptured) events, dropped \(dropped)"
        if dropped > 0 {
            var why: [String] = []
            if counters.dropRingFull > 0 { why.append("\(counters.dropRingFull) kernel buffer full (try a larger --buffer-size)") }
            if counters.dropTooLarge > 0 { why.append("\(counters.dropTooLarge) too large") }
            if counters.dropUserQueue > 0 { why.append("\(counters.dropUserQueue) writer too slow (disk?)") }
            s += " (" + why.joined(separator: ", ") + ")"
        }
        if counters.dropReadFail > 0 { s += "; \(counters.dropReadFail) records lack an unreadable argument" }
        return s
    }
}
