/// A source that can start at a time: a capture file, or several read as one. The replay sets `startNs`
/// before it runs (`Replay.run(from:into:)`), and the source starts at the last snapshot at or
/// before that time, replaying every chunk after it.
public protocol WindowedRecordSource: RecordSource {
    /// Start of the replay (boot-time ns), nil from the start.
    var startNs: UInt64? { get set }
}
