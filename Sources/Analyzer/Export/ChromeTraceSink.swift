import CaptureFormat

/// A trace for ui.perfetto.dev and chrome://tracing in the Chrome JSON trace-event format: one track per
/// thread, grouped by process (`M` events name both), each syscall a complete slice (`X`) from its entry to
/// its exit with its typed arguments, a syscall whose entry was not seen and the process events (fork, exec,
/// exit) as instants (`i`), and the recorder's drop counters as a counter track (`C`). Times are
/// microseconds with three decimals, so nanoseconds survive exactly.
public struct ChromeTraceSink: EventSink {
    /// Where the JSON goes.
    public let out: OutputBuffer
    /// The shared renderer (the arguments object).
    public let printer: EventPrinter
    private let state = State()
    private let scratch = OutputBuffer()
    private let counters: [CaptureCounters]
    private let realtimeOffsetNs: Int64

    /// Names already emitted; a class, so the pipeline's copy of the sink shares it.
    final class State {
        var namedProcesses: Set<UInt32> = []
        var namedThreads: [UInt32: String] = [:]
        var first = true
    }

    /// A trace written to `out`; the opening of the JSON document is written at once. `counters` (the
    /// capture's counter blocks) become the counter track, placed by the capture's `realtimeOffsetNs`.
    public init(out: OutputBuffer, printer: EventPrinter, counters: [CaptureCounters], realtimeOffsetNs: Int64) {
        self.out = out
        self.printer = printer
        self.counters = counters
        self.realtimeOffsetNs = realtimeOffsetNs
        out.append("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n")
    }

    /// Microseconds with three decimals from nanoseconds.
    @inline(__always) private func micros(_ ns: Int64) {
        if ns < 0 { out.append(UInt8(ascii: "-")) }
        let m = ns.magnitude
        out.appendDecimal(m / 1000)
        out.append(UInt8(ascii: "."))
        out.appendPadded(m % 1000, width: 3)
    }

    private func begin(_ ph: StaticString, pid: UInt32, tid: UInt32) {
        if !state.first { out.append(UInt8(ascii: ","), UInt8(ascii: "\n")) }
        state.first = false
        out.append("{\"ph\":\"")
        out.append(ph)
        out.append("\",\"pid\":")
        out.appendDecimal(UInt64(pid))
        out.append(",\"tid\":")
        out.appendDecimal(UInt64(tid))
    }

    private func name(_ kind: StaticString, pid: UInt32, tid: UInt32, _ value: String) {
        begin("M", pid: pid, tid: tid)
        out.append(",\"name\":\"")
        out.append(kind)
        out.append("\",\"args\":{\"name\":")
        out.appendJSONString(value)
        out.append("}}")
    }

    /// Writes the event as a slice or an instant, naming its process and thread the first time they appear
    /// (and the thread again when its name changes, as at an exec).
    public mutating func write(_ e: Event) throws(OutputError) {
        // A sysdig capture's entry event: its exit's slice starts there already.
        if e.isEntry, e.isSyscall { return }
        let pid = e.pid, tid = e.tid
        if !state.namedProcesses.contains(pid) {
            state.namedProcesses.insert(pid)
            name("process_name", pid: pid, tid: pid, e.name(of: e.process) ?? e.procName ?? "pid \(pid)")
        }
        let comm = e.thread.comm
        if state.namedThreads[tid] != comm {
            state.namedThreads[tid] = comm
            name("thread_name", pid: pid, tid: tid, comm.isEmpty ? "tid \(tid)" : comm)
        }
        let wall = e.realtimeNs
        if let latency = e.latencyNs, e.isSyscall {
            let dur = Int64(clamping: latency)
            begin("X", pid: pid, tid: tid)
            out.append(",\"ts\":"); micros(wall &- dur)
            out.append(",\"dur\":"); micros(dur)
        } else {
            begin("i", pid: pid, tid: tid)
            out.append(",\"s\":\"t\",\"ts\":"); micros(wall)
        }
        out.append(",\"name\":\""); out.append(e.typeNameBytes)
        out.append("\",\"cat\":"); out.appendJSONString(e.category)
        out.append(",\"args\":")
        printer.appendArgsObject(e, scratch: scratch, to: out)
        out.append(UInt8(ascii: "}"))
        try out.flushIfNeeded()
    }

    /// Writes the recorder's counters (events seen, dropped) as a counter track of the recorder's own, then
    /// closes the document and flushes.
    public mutating func finish() throws(OutputError) {
        for c in counters where c.timestampNs != 0 {
            begin("C", pid: 0, tid: 0)
            out.append(",\"ts\":"); micros(wallClock(bootNs: c.timestampNs, offsetNs: realtimeOffsetNs))
            out.append(",\"name\":\"kcap recorder\",\"args\":{\"dropped\":")
            out.appendDecimal(c.eventsDropped)
            out.append(",\"seen\":")
            out.appendDecimal(c.eventsSeen)
            out.append("}}")
        }
        out.append("\n]}\n")
        try out.flush()
    }
}
