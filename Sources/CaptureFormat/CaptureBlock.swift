/// A decoded block as handed to `CaptureReader.forEachBlock`.
public enum CaptureBlock {
    /// An event chunk.
    case events(EventBlockView)
    /// A thread/fd snapshot.
    case snapshot(CaptureSnapshot)
    /// Counters.
    case counters(CaptureCounters)
}
