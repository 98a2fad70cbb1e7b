/// Bumped whenever a thread, a process or an fd table object of one `ThreadTable` may be replaced or freed,
/// so the engine's per-event cache of unretained references knows to look them up again. Each table owns
/// one; the threads and processes in it hold it too, so replacing a thread's process or a process's fd table
/// through their setters bumps it. Only ever compared for equality.
final class StateGeneration {
    /// The current generation.
    @exclusivity(unchecked) private(set) var value: UInt64 = 0

    /// Marks every cached reference into the table as possibly stale.
    @inline(__always) func bump() { value &+= 1 }
}
