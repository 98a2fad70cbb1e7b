import CaptureFormat

/// What `kcap record --flight` was asked to do (docs/recording.md, "Flight recorder").
public struct FlightOptions: Sendable, Equatable {
    /// Where window captures are written (`-w DIR`); created (mode 0700) when missing.
    public var directory: String
    /// How far back a window reaches before its trigger (`--flight`), in ns.
    public var windowNs: UInt64
    /// Bytes of memory the window may take, compressed (`--flight-size`).
    public var sizeBytes: Int
    /// How long recording goes on after a trigger before the window is written (`--after`), in ns.
    public var afterNs: UInt64 = 0
    /// With `-- COMMAND`: write the window when the command exits non-zero only (`--keep-on-failure`);
    /// otherwise whenever it exits.
    public var keepOnFailure = false

    /// The smallest `--flight-size`: a few chunks must fit besides a snapshot.
    public static let minSizeBytes = 8 << 20
    /// How long past its trigger time (plus `afterNs`) a window waits for the records stamped before it to
    /// come through the kernel buffers and the drain (which seals a chunk at least every 0.5 s).
    public static let settleNs: UInt64 = 1_500_000_000

    /// Options for windows of `windowNs` written into `directory`.
    public init(directory: String, windowNs: UInt64, sizeBytes: Int, afterNs: UInt64 = 0, keepOnFailure: Bool = false) {
        self.directory = directory
        self.windowNs = windowNs
        self.sizeBytes = sizeBytes
        self.afterNs = afterNs
        self.keepOnFailure = keepOnFailure
    }

    /// The snapshot interval in flight mode: the user's, but at most a quarter of the window, so a window
    /// starts at most a quarter of itself earlier than it must and the ring holds little more than it.
    public func snapshotIntervalNs(requested: UInt64) -> UInt64 {
        let quarter = max(windowNs / 4, 100_000_000)
        return requested == 0 ? quarter : min(requested, quarter)
    }
}

/// What made the flight recorder write its window.
public enum FlightTrigger: Sendable, Equatable, CustomStringConvertible {
    /// SIGUSR1 reached kcap.
    case signal
    /// An event matched `--trigger FILTER`.
    case filter(String)
    /// The `-- COMMAND` exited with this status (shell style).
    case commandExited(Int32)
    /// The recording ended while a trigger's `--after` time was still running (the window is written as far
    /// as it got).
    indirect case cutShort(FlightTrigger)

    /// "SIGUSR1", "filter 'F'", "command exit status N".
    public var description: String {
        switch self {
        case .signal: return "SIGUSR1"
        case .filter(let f): return "filter '\(f)'"
        case .commandExited(let s): return "command exit status \(s)"
        case .cutShort(let t): return "\(t) (the recording ended before --after ran out)"
        }
    }

    /// The word in the file name and header: signal, filter, exit.
    var tag: String {
        switch self {
        case .signal: return "signal"
        case .filter: return "filter"
        case .commandExited: return "exit"
        case .cutShort(let t): return t.tag
        }
    }
}

/// A capture the flight recorder wrote.
public struct FlightCapture: Sendable, Equatable {
    /// Its path (in the flight directory).
    public var path: String
    /// What triggered it.
    public var trigger: FlightTrigger
    /// Boot-time ns of the trigger.
    public var triggerNs: UInt64
    /// Boot-time ns of the window's start (its first snapshot) and of its last record.
    public var startNs: UInt64
    public var endNs: UInt64
    /// Event records in it.
    public var records: UInt64
    /// Bytes of the file.
    public var bytes: UInt64
    /// Whether it starts with a snapshot (false only when the window outgrew --flight-size before a snapshot).
    public var startsWithSnapshot: Bool
}

/// Evaluates `--trigger FILTER` on the records the flight recorder keeps: the CLI plugs in the analyzer's
/// engine and filter (the same as live output's), so Recorder knows nothing of the analyzer. Called on the
/// writer thread only, in stream order.
public protocol FlightEventFilter: AnyObject {
    /// The filter as the user gave it.
    var text: String { get }
    /// Loads a snapshot in its place among the records.
    func load(_ snapshot: CaptureSnapshot)
    /// Runs a chunk's records through the engine and the filter: the boot-time ns of the first record at or
    /// after `notBeforeNs` that matches, or nil.
    func firstMatch(in chunk: EventChunk, notBeforeNs: UInt64) -> UInt64?
}
