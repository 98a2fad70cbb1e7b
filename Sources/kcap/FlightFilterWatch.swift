import Analyzer
import CaptureFormat
import Recorder

/// `kcap record --flight --trigger FILTER`: the flight recorder's filter, evaluated by the same engine and
/// filter compiler as live output (`LiveOutput` in its trigger mode), on the writer thread, as the chunks
/// reach the flight recorder's memory.
final class FlightFilterWatch: FlightEventFilter {
    let text: String
    private let live: LiveOutput

    /// A watch for `filter` (compiled by the caller, which reports a bad one before anything is loaded) over
    /// records of `machine` (uname -m), with the clock offset a capture header would get.
    init(text: String, filter: EventFilter, machine: String, realtimeOffsetNs: Int64) {
        self.text = text
        let replay = Replay(source: LiveRingSource(machine: machine, realtimeOffsetNs: realtimeOffsetNs))
        live = LiveOutput(replay: replay, trigger: filter)
    }

    func load(_ snapshot: CaptureSnapshot) {
        live.load(snapshot)
    }

    func firstMatch(in chunk: EventChunk, notBeforeNs: UInt64) -> UInt64? {
        live.firstMatch(in: chunk, notBeforeNs: notBeforeNs)
    }
}
