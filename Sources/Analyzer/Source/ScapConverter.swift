import CaptureFormat

/// `kcap convert IN.scap -w OUT.kcap`: a sysdig/falco capture as a kcap capture. Each syscall becomes kcap's
/// one record (the exit, with its entry's arguments and items and its latency: what `ScapRecordTranslator`
/// hands over for the exit), the capture's state becomes snapshots (its process, fd, user and group lists
/// where each section has them, and the state at the end with the syscalls still in flight), and the records
/// that carry state another way (a clone child's process, an execve's new image, container metadata) are kept
/// as they are handed to the engine. Events sysdig hides (procinfo...) are left out; events kcap's table has
/// no row for (switch, signaldeliver, container...) are kept in their one direction. Reading OUT gives the same
/// exits (`evt.dir=<`) with the same fields as reading IN.
public enum ScapConverter {
    /// What a conversion wrote.
    public struct Summary: Equatable, Sendable {
        /// Records written.
        public var records: UInt64 = 0
        /// Entry events paired into their exit's record (not written on their own).
        public var pairedEntries: UInt64 = 0
        /// Snapshots written.
        public var snapshots = 0
        /// Syscalls in flight at the end (an entry whose exit the capture does not hold), named in the last snapshot.
        public var inFlight = 0
    }

    /// Converts `source` to a kcap capture at `path` (overwritten). `origin` names the input in the header's
    /// recorder map. Throws the source's and the writer's errors; damage in the input ends the conversion
    /// at the damaged block (the source's `problems` say where), with everything before it written.
    public static func convert(_ source: ScapFileSource, to path: String, origin: String) throws -> Summary {
        // A scan first: the time range and host for the header (the file is read twice; streaming keeps both
        // bounded in memory).
        source.scan()
        let machine = source.machineInfo
        var header = CaptureHeader(hostname: machine?.hostname ?? "", machine: source.machine, cpuCount: Int(machine?.cpuCount ?? 0),
                                   bootTimeRealtimeOffsetNs: 0, createdRealtimeNs: Int64(clamping: source.timeRange?.first ?? 0))
        header.recorder["convertedFrom"] = origin
        header.recorder["sourceFormat"] = "scap" + (source.compression.map { " (\($0))" } ?? "")
        let writer = try CaptureWriter(path: path, header: header)
        let engine = Engine(for: source)
        var receiver = ConvertReceiver(engine: engine, writer: writer)
        _ = try source.feed(into: &receiver)
        try receiver.finish(inFlight: source.inFlight)
        try writer.finish()
        return receiver.summary
    }
}

/// The converter's receiver: every record through the engine (for the state at the end), and into the file
/// but the entries of syscalls (their exit's record carries them).
struct ConvertReceiver: RecordReceiver {
    let engine: Engine
    let writer: CaptureWriter
    var summary = ScapConverter.Summary()
    private var chunk = EventChunk()
    private var ignore = IgnoringConsumer()
    /// A section's state, written before the next record (with its timestamp, which is what indexes it).
    private var pendingSnapshot: CaptureSnapshot?
    private var lastNs: UInt64 = 0
    private var failure: Error?

    init(engine: Engine, writer: CaptureWriter) {
        self.engine = engine
        self.writer = writer
    }

    mutating func load(_ snapshot: CaptureSnapshot) {
        engine.load(snapshot)
        pendingSnapshot = snapshot
    }

    mutating func numberEvents(after n: UInt64) { engine.advanceNumbering(to: n) }

    /// A sysdig capture is one host's: never called.
    mutating func switchHost(to host: Int) {}

    /// The engine completes tuples as for `kcap read`; the capture written holds no interface list (kcap's
    /// format has none), so reading it leaves a wildcard local address where reading the scap file fills it in.
    mutating func useInterfaces(_ interfaces: NetworkInterfaces) { engine.networkInterfaces = interfaces }

    mutating func receive(_ record: RecordView) -> Bool {
        _ = engine.process(record, into: &ignore)
        let ts = record.timestampNs
        if var s = pendingSnapshot {
            flushChunk()
            s.timestampNs = ts
            write(s)
            pendingSnapshot = nil
        }
        if ts > lastNs { lastNs = ts }
        // A syscall's entry: its exit's record has its arguments, items and latency. Events that have one
        // direction only (switch, signaldeliver, procexit...) and syscalls kcap's table has no row for (their
        // exit does not take the entry's arguments) are kept as they are.
        if record.recordType == .syscall, record.rawFlags & RecordFlags.entry.rawValue != 0,
           let r = try? SyscallRecord(record), r.nr < EventTypeNames.foreignBase {
            summary.pairedEntries &+= 1
            return failure == nil
        }
        summary.records &+= 1
        if !chunk.append(record.bytes) {
            flushChunk()
            _ = chunk.append(record.bytes)
        }
        return failure == nil
    }

    private mutating func flushChunk() {
        guard failure == nil, !chunk.isEmpty else { return }
        do {
            try writer.write(chunk)
            chunk.reset()
        } catch { failure = error }
    }

    private mutating func write(_ snapshot: CaptureSnapshot) {
        guard failure == nil else { return }
        do { try writer.write(snapshot) } catch { failure = error }
        summary.snapshots += 1
    }

    /// The last chunk, and the state at the end with the syscalls still in flight (`inFlight`, by tid), as a
    /// recording ends with one.
    mutating func finish(inFlight: [UInt32: InFlightSyscall]) throws {
        if let pendingSnapshot { write(pendingSnapshot) }
        flushChunk()
        if let failure { throw failure }
        var end = engine.snapshot(at: lastNs)
        for i in end.threads.indices {
            if let call = inFlight[end.threads[i].tid] {
                end.threads[i].syscall = call
                summary.inFlight += 1
            }
        }
        write(end)
        if let failure { throw failure }
    }
}
