/// Why a recording stopped: `RecordingResult.stopReason`, and what a sink gives as `RecordSink.finishedReason`
/// when it wants no more records.
public enum StopReason: Equatable, Sendable, CustomStringConvertible {
    /// SIGINT or SIGTERM reached kcap (the number is passed on to a `-- COMMAND` still running).
    case signal(Int32)
    /// `--duration` elapsed.
    case duration
    /// `-n` records were taken (or, live, `-n` events were printed).
    case maxEvents
    /// The `-- COMMAND` exited.
    case commandExited
    /// The drain, the writer or a sink failed; the error is thrown by `Recording.run()` (a live printer's
    /// write error is reported by the CLI).
    case error
    /// The reader of a live output went away (`kcap record | head`): it asked for no more, so a `-- COMMAND`
    /// still running is not warned about.
    case outputClosed
    /// `Recording.runBenchmark` ran its driver to the end.
    case benchmarkDone

    /// A short phrase: "signal", "duration", "max-events", "command exited", "error", "output closed",
    /// "benchmark done".
    public var description: String {
        switch self {
        case .signal: return "signal"
        case .duration: return "duration"
        case .maxEvents: return "max-events"
        case .commandExited: return "command exited"
        case .error: return "error"
        case .outputClosed: return "output closed"
        case .benchmarkDone: return "benchmark done"
        }
    }
}
