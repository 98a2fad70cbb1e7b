import Analyzer
import CaptureFormat
import Recorder

/// `kcap record` without `-w`: the recorder's sink that prints instead of writing a file. It joins the two
/// modules here, in the executable, so Recorder knows nothing of the analyzer and the analyzer nothing of
/// libbpf. It runs on the recorder's writer thread: the drain thread only copies records into chunks and
/// never waits on the terminal or the pipe.
final class LiveRecordSink: RecordSink {
    /// The live ring's replay through the filter and sink (the same engine, filter and sinks as `kcap read`).
    let live: LiveOutput
    /// Why the output stopped taking events, once it did.
    private(set) var finishedReason: StopReason?
    /// The last cumulative counters the recorder handed over (drops are reported from them at the end).
    private(set) var lastCounters = CaptureCounters()
    /// The first write error other than a closed reader.
    private(set) var outputError: OutputError?

    init(live: LiveOutput) {
        self.live = live
    }

    func consume(_ chunk: EventChunk) throws {
        if finishedReason != nil { return }
        let more: Bool
        do {
            more = try live.feed(chunk)
        } catch let e as OutputError {
            outputError = e
            finishedReason = .error
            return
        }
        if !more {
            // feed stops for a closed reader or once -n events were printed (their lines still go out).
            if !live.isClosed { try flushOrNote() }
            finishedReason = live.isClosed ? .outputClosed : .maxEvents
            return
        }
        // Lines go out at each drain cycle (a chunk is sealed at least every flush interval), not held in a
        // buffer until it fills: the user is watching.
        try flushOrNote()
    }

    /// Flushes; a write error other than a closed reader ends the output (reported by the CLI at the end).
    private func flushOrNote() throws {
        do { try live.flush() } catch let e as OutputError {
            outputError = e
            finishedReason = .error
        }
        if live.isClosed && finishedReason == nil { finishedReason = .outputClosed }
    }

    func consume(_ snapshot: CaptureSnapshot) throws {
        if finishedReason == nil { live.load(snapshot) }
    }

    func consume(_ counters: CaptureCounters) throws {
        lastCounters = counters
    }

    func flush() throws {
        if finishedReason == nil { try flushOrNote() }
    }

    func finish() throws {
        if finishedReason == nil { try flushOrNote() }
    }
}
