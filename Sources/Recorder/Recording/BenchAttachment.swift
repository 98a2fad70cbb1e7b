/// What a benchmark phase of `Recording.runBenchmark` runs under.
public enum BenchAttachment: Sendable {
    /// No program attached.
    case nothing
    /// The empty programs on sys_enter and sys_exit.
    case floor
    /// The recorder's programs (the records go to the capture as usual).
    case recorder
}
