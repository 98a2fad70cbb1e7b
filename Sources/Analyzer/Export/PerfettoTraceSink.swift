import CaptureFormat
import EventSchema

/// A trace in Perfetto's protobuf format (`perfetto_trace.proto`: a `Trace` of `TracePacket`s) for
/// ui.perfetto.dev and trace_processor: a track per process (a slice for its lifetime in the capture, from
/// its fork or first event to the exit of its last thread) and a track per thread under it (named, renamed
/// at an exec); each syscall a slice from its entry to its exit (`TYPE_SLICE_BEGIN`, `TYPE_SLICE_END`), named
/// by `evt.type`, in `evt.category`, with its typed arguments as debug annotations; a syscall whose entry
/// was not seen, and fork, exec and exit, as instants; the recorder's counter blocks as two counter tracks
/// (events dropped, events seen). Event and argument names are interned (one packet sequence). Timestamps are
/// the capture's boot-time nanoseconds, with a clock snapshot tying them to the wall clock.
public struct PerfettoTraceSink: EventSink {
    /// Where the trace goes.
    public let out: OutputBuffer
    /// The shared renderer (the arguments).
    public let printer: EventPrinter
    private let state = State()
    private let scratch = OutputBuffer()
    private let counters: [CaptureCounters]
    private let realtimeOffsetNs: Int64

    // perfetto_trace.proto's field numbers and values.
    enum Field {
        static let packet = 1
        static let timestamp = 8, sequenceID = 10, trackEvent = 11, internedData = 12, sequenceFlags = 13
        static let clockSnapshot = 6, trackDescriptor = 60
        static let uuid = 1, trackName = 2, process = 3, thread = 4, counter = 8
        static let pid = 1, processName = 6, tid = 2, threadName = 5
        static let eventType = 9, trackUUID = 11, nameIID = 10, name = 23, categories = 22, annotations = 4, counterValue = 30
        static let annotationNameIID = 1, boolValue = 2, intValue = 4, stringValue = 6, arrayValues = 12
        static let eventNames = 2, annotationNames = 3, iid = 1, internedName = 2
        static let clocks = 1, primaryClock = 2, clockID = 1, clockTimestamp = 2
    }
    enum EventType { static let begin: UInt64 = 1, end: UInt64 = 2, instant: UInt64 = 3, counter: UInt64 = 4 }
    static let sequence: UInt64 = 1
    static let incrementalStateCleared: UInt64 = 1, needsIncrementalState: UInt64 = 2
    static let boottime: UInt64 = 6, realtime: UInt64 = 1
    static let droppedTrack: UInt64 = 1, seenTrack: UInt64 = 2

    /// What has been said so far; a class, so the pipeline's copy of the sink shares it.
    final class State {
        var packet = ProtobufWriter()
        var started = false
        var nextUUID: UInt64 = 16
        /// The process tracks whose lifetime slice is open, by pid: their uuid.
        var processes: [UInt32: UInt64] = [:]
        /// The thread tracks by tid: their uuid and the name last given.
        var threads: [UInt32: (uuid: UInt64, name: String)] = [:]
        var internedTypes: [Bool] = []
        var internedKeys: [Bool] = []
        /// Keys first used by the packet being written (their names go in its interned data).
        var newKeys: [Int] = []
        var lastNs: UInt64 = 0
    }

    /// A trace written to `out`. `counters` (the capture's counter blocks) become the counter tracks, and
    /// `realtimeOffsetNs` the clock snapshot's wall clock.
    public init(out: OutputBuffer, printer: EventPrinter, counters: [CaptureCounters], realtimeOffsetNs: Int64) {
        self.out = out
        self.printer = printer
        self.counters = counters
        self.realtimeOffsetNs = realtimeOffsetNs
    }

    // MARK: packets

    /// Writes one TracePacket whose fields `body` adds.
    private func packet(_ body: (inout ProtobufWriter) -> Void) {
        state.packet.reset()
        state.packet.message(Field.packet) { p in
            p.field(Field.sequenceID, Self.sequence)
            body(&p)
        }
        state.packet.bytes.withUnsafeBytes { out.append($0) }
    }

    private func newUUID() -> UInt64 {
        state.nextUUID += 1
        return state.nextUUID
    }

    /// The first packet: incremental state starts here, and the clock snapshot ties boot time to wall time.
    private func start(_ ns: UInt64) {
        state.started = true
        packet { p in
            p.field(Field.sequenceFlags, Self.incrementalStateCleared)
            p.message(Field.clockSnapshot) { c in
                c.message(Field.clocks) { k in
                    k.field(Field.clockID, Self.boottime)
                    k.field(Field.clockTimestamp, ns)
                }
                c.message(Field.clocks) { k in
                    k.field(Field.clockID, Self.realtime)
                    k.field(Field.clockTimestamp, UInt64(bitPattern: wallClock(bootNs: ns, offsetNs: realtimeOffsetNs)))
                }
                c.field(Field.primaryClock, Self.boottime)
            }
        }
        for (uuid, name) in [(Self.droppedTrack, "kcap events dropped"), (Self.seenTrack, "kcap events seen")] where !counters.isEmpty {
            packet { p in
                p.message(Field.trackDescriptor) { d in
                    d.field(Field.uuid, uuid)
                    d.field(Field.trackName, string: name)
                    d.message(Field.counter) { _ in }
                }
            }
        }
    }

    /// The process track of `pid`, opened (descriptor and lifetime slice) at `ns` when it is not open.
    @discardableResult
    private func process(_ pid: UInt32, name: @autoclosure () -> String, at ns: UInt64) -> UInt64 {
        if let uuid = state.processes[pid] { return uuid }
        let uuid = newUUID()
        let name = name()
        state.processes[pid] = uuid
        packet { p in
            p.message(Field.trackDescriptor) { d in
                d.field(Field.uuid, uuid)
                d.message(Field.process) { pd in
                    pd.field(Field.pid, signed: Int64(Int32(bitPattern: pid)))
                    pd.field(Field.processName, string: name)
                }
            }
        }
        slice(EventType.begin, track: uuid, at: ns, name: name)
        return uuid
    }

    /// The thread track of `tid`, described again when its name changed.
    private func thread(_ tid: UInt32, pid: UInt32, name: String) -> UInt64 {
        if let t = state.threads[tid], t.name == name { return t.uuid }
        let uuid = state.threads[tid]?.uuid ?? newUUID()
        state.threads[tid] = (uuid, name)
        packet { p in
            p.message(Field.trackDescriptor) { d in
                d.field(Field.uuid, uuid)
                d.message(Field.thread) { td in
                    td.field(Field.pid, signed: Int64(Int32(bitPattern: pid)))
                    td.field(Field.tid, signed: Int64(Int32(bitPattern: tid)))
                    td.field(Field.threadName, string: name)
                }
            }
        }
        return uuid
    }

    /// A slice begin with a plain name (a process's lifetime), or a slice end.
    private func slice(_ type: UInt64, track: UInt64, at ns: UInt64, name: String? = nil) {
        packet { p in
            p.field(Field.timestamp, ns)
            p.message(Field.trackEvent) { t in
                t.field(Field.eventType, type)
                t.field(Field.trackUUID, track)
                if let name { t.field(Field.name, string: name) }
            }
        }
    }

    // MARK: events

    /// Writes the event: its tracks when new, then a slice (begin and end) or an instant.
    public mutating func write(_ e: Event) throws(OutputError) {
        // A sysdig capture's entry event: its exit's slice starts there already.
        if e.isEntry, e.isSyscall { return }
        let ns = e.timestampNs
        if !state.started { start(ns) }
        state.lastNs = max(state.lastNs, ns)
        let pid = e.pid, tid = e.tid
        process(pid, name: e.name(of: e.process) ?? e.procName ?? "pid \(pid)", at: ns)
        let comm = e.thread.comm
        let track = thread(tid, pid: pid, name: comm.isEmpty ? "tid \(tid)" : comm)
        if e.kind == .procfork {
            let r = ForkRecord(unchecked: e.record)
            if r.childTid == r.childPid {
                let name = String(decoding: r.childCommBytes, as: UTF8.self)
                process(r.childPid, name: name.isEmpty ? "pid \(r.childPid)" : name, at: ns)
            }
        }
        let typeIndex = e.engine.names.key(of: e)
        if let latency = e.latencyNs, e.isSyscall {
            let begin = ns &- latency
            event(e, EventType.begin, track: track, at: begin, typeIndex: typeIndex)
            slice(EventType.end, track: track, at: ns)
        } else {
            event(e, EventType.instant, track: track, at: ns, typeIndex: typeIndex)
        }
        if e.kind == .procexit {
            state.threads[tid] = nil
            if ExitRecord(unchecked: e.record).groupDead, let uuid = state.processes.removeValue(forKey: pid) {
                slice(EventType.end, track: uuid, at: ns)
            }
        }
        if out.count > 1 << 16 { try out.flushIfNeeded() }
    }

    /// A slice begin or instant named by the event's type, with its category and arguments.
    private func event(_ e: Event, _ type: UInt64, track: UInt64, at ns: UInt64, typeIndex: Int) {
        if typeIndex >= state.internedTypes.count {
            state.internedTypes.append(contentsOf: repeatElement(false, count: typeIndex + 1 - state.internedTypes.count))
        }
        let newType = !state.internedTypes[typeIndex]
        state.internedTypes[typeIndex] = true
        state.newKeys.removeAll(keepingCapacity: true)
        state.packet.reset()
        let outer = state.packet.beginMessage(Field.packet)
        state.packet.field(Field.sequenceID, Self.sequence)
        state.packet.field(Field.sequenceFlags, Self.needsIncrementalState)
        state.packet.field(Field.timestamp, ns)
        let te = state.packet.beginMessage(Field.trackEvent)
        state.packet.field(Field.eventType, type)
        state.packet.field(Field.trackUUID, track)
        state.packet.field(Field.nameIID, UInt64(typeIndex + 1))
        state.packet.field(Field.categories, string: e.category)
        var annotations = Annotations(state: state)
        printer.visitArguments(e, scratch: scratch, &annotations)
        state.packet.endMessage(te)
        if newType || !state.newKeys.isEmpty {
            let interned = state.packet.beginMessage(Field.internedData)
            if newType {
                state.packet.message(Field.eventNames) { n in
                    n.field(Field.iid, UInt64(typeIndex + 1))
                    n.field(Field.internedName, bytes: e.typeNameBytes)
                }
            }
            for key in state.newKeys {
                state.packet.message(Field.annotationNames) { n in
                    n.field(Field.iid, UInt64(key + 1))
                    n.field(Field.internedName, bytes: ArgumentSchema.shared.name(key))
                }
            }
            state.packet.endMessage(interned)
        }
        state.packet.endMessage(outer)
        state.packet.bytes.withUnsafeBytes { out.append($0) }
    }

    /// Ends the lifetimes still open at the last event, writes the counter tracks' values, and flushes.
    public mutating func finish() throws(OutputError) {
        if state.started {
            for (_, uuid) in state.processes.sorted(by: { $0.key < $1.key }) {
                slice(EventType.end, track: uuid, at: state.lastNs)
            }
            for c in counters where c.timestampNs != 0 {
                for (track, value) in [(Self.droppedTrack, c.eventsDropped), (Self.seenTrack, c.eventsSeen)] {
                    packet { p in
                        p.field(Field.timestamp, c.timestampNs)
                        p.message(Field.trackEvent) { t in
                            t.field(Field.eventType, EventType.counter)
                            t.field(Field.trackUUID, track)
                            t.field(Field.counterValue, signed: Int64(clamping: value))
                        }
                    }
                }
            }
        }
        try out.flush()
    }

    /// The event's arguments as debug annotations of the track event being written.
    struct Annotations: ArgumentVisitor {
        let state: State

        private func begin(_ key: Int) -> Int {
            if key >= state.internedKeys.count {
                state.internedKeys.append(contentsOf: repeatElement(false, count: key + 1 - state.internedKeys.count))
            }
            if !state.internedKeys[key] {
                state.internedKeys[key] = true
                state.newKeys.append(key)
            }
            let at = state.packet.beginMessage(Field.annotations)
            state.packet.field(Field.annotationNameIID, UInt64(key + 1))
            return at
        }

        mutating func integer(_ key: Int, _ value: Int64) {
            let at = begin(key)
            state.packet.field(Field.intValue, signed: value)
            state.packet.endMessage(at)
        }

        mutating func string(_ key: Int, _ value: UnsafeRawBufferPointer) {
            let at = begin(key)
            Self.utf8(value) { state.packet.field(Field.stringValue, bytes: $0) }
            state.packet.endMessage(at)
        }

        mutating func boolean(_ key: Int, _ value: Bool) {
            let at = begin(key)
            state.packet.field(Field.boolValue, value ? 1 : 0)
            state.packet.endMessage(at)
        }

        mutating func strings(_ key: Int, _ list: UnsafeRawBufferPointer) {
            let at = begin(key)
            list.forEachNULSeparated { s in
                state.packet.message(Field.arrayValues) { v in Self.utf8(s) { v.field(Field.stringValue, bytes: $0) } }
            }
            state.packet.endMessage(at)
        }

        /// `value` as UTF-8 (protobuf strings must be): invalid sequences replaced by U+FFFD.
        static func utf8(_ value: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
            if String(validating: value, as: UTF8.self) != nil { return body(value) }
            var s = String(decoding: value, as: UTF8.self)
            s.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        }
    }
}
