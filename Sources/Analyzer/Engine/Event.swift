import CaptureFormat

/// One enriched event, as filters and sinks see it: the record's bytes plus references into the engine's
/// tables. A view: valid only inside the `EventConsumer.consume` call that receives it; nothing is copied
/// or decoded until a field is asked for.
///
/// Each record yields one event. kcap records a syscall once, at exit, with its arguments, so its event shows
/// the exit direction (`<`) with the enter arguments merged in; a sysdig capture's source hands the engine
/// both its entry (`isEntry`, `>`) and its exit record, as sysdig prints two lines (docs/scap.md).
public struct Event {
    /// What produced the event.
    public enum Kind: UInt8 { case syscall = 1, procfork = 2, procexec = 3, procexit = 4, signal = 5 }

    /// The record.
    public let record: RecordView
    /// 1-based event number in the capture (`evt.num`).
    public let number: UInt64
    /// The engine that made the event (path pool, names, header facts).
    public unowned(unsafe) let engine: Engine
    /// The thread (and through it the process) the event belongs to.
    public unowned(unsafe) let thread: ThreadState
    /// The event's fd (argument or result), or `Event.noFd`.
    public let fd: Int32
    /// What the engine knows of that fd when the event happened; nil when the fd is unknown or absent.
    public let fdEntry: FdEntry?
    /// Record kind.
    public let kind: Kind
    /// The event changed the name of the fd it uses (`fd.name_changed`): a connect or bind of a known socket,
    /// or a datagram that named an unconnected one.
    public let fdNameChanged: Bool

    /// `fd` of an event that has none.
    public static let noFd = Int32.min

    /// Makes an event (the engine's job).
    @inline(__always)
    init(record: RecordView, number: UInt64, engine: Engine, thread: ThreadState, fd: Int32, fdEntry: FdEntry?,
         kind: Kind, fdNameChanged: Bool = false) {
        self.fdNameChanged = fdNameChanged
        self.record = record
        self.number = number
        self.engine = engine
        self.thread = thread
        self.fd = fd
        self.fdEntry = fdEntry
        self.kind = kind
    }

    /// The process.
    @inline(__always) public var process: ProcessState { thread.process }
    /// CLOCK_BOOTTIME ns (`evt.rawtime` is this plus the capture's realtime offset).
    @inline(__always) public var timestampNs: UInt64 { record.timestampNs }
    /// Wall-clock ns since the epoch, from the capture header's realtime offset.
    @inline(__always) public var realtimeNs: Int64 { wallClock(bootNs: record.timestampNs, offsetNs: engine.realtimeOffsetNs) }
    /// CPU.
    @inline(__always) public var cpu: UInt16 { record.cpu }
    /// Thread id.
    @inline(__always) public var tid: UInt32 { record.tid }
    /// Process id.
    @inline(__always) public var pid: UInt32 { record.pid }
    /// True for syscall events.
    @inline(__always) public var isSyscall: Bool { kind == .syscall }
    /// True for an entry event (`evt.dir` `>`): sysdig captures have them; kcap's recorder writes exits only.
    @inline(__always) public var isEntry: Bool { record.flags.contains(.entry) }
    /// The syscall record of a syscall event (the engine decoded it as one before making the event); read
    /// it only when `isSyscall`.
    @inline(__always) public var syscall: SyscallRecord { SyscallRecord(unchecked: record) }
    /// Syscall number (0 for process events).
    @inline(__always) public var syscallNumber: UInt16 { kind == .syscall ? UInt16(truncatingIfNeeded: syscall.nr) : 0 }
    /// Result of a syscall (0 for process events).
    @inline(__always) public var result: Int64 { kind == .syscall ? syscall.ret : 0 }
    /// True when a syscall returned an error (-4095...-1).
    @inline(__always) public var failed: Bool { kind == .syscall && syscall.errno != nil }
    /// Latency in ns; nil when the entry was not seen or for process events.
    @inline(__always) public var latencyNs: UInt64? { kind == .syscall ? syscall.latencyNs : nil }
    /// Raw argument `i` (0-5) of a syscall.
    @inline(__always) public func argument(_ i: Int) -> UInt64 { kind == .syscall ? syscall.arg(i) : 0 }

    /// The event type's name as UTF-8 bytes (`openat`, `procexit`).
    @inline(__always) public var typeNameBytes: UnsafeRawBufferPointer { engine.names.nameBytes(of: self) }
    /// The event type's name.
    public var typeName: String { engine.names.name(of: self) }

    /// The fd's name (path, or socket tuple rendered like sysdig's `fd.name`), nil when unknown.
    public var fdName: String? {
        guard let e = fdEntry else { return nil }
        if e.isSocket, e.kind != .unix || e.name < 0 {
            return e.tuple.family == 0 || e.tuple.isEmpty ? nil : FdNameRenderer.tupleName(e)
        }
        return e.name >= 0 ? engine.paths.string(e.name) : (e.kind == .pipe ? "" : nil)
    }

    /// Calls `body` with the fd's name as bytes without allocating when it is a path; nil when unknown.
    @inline(__always)
    public func withFdName<R>(_ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
        guard let e = fdEntry else { return try body(nil) }
        if e.name >= 0, !(e.isSocket && e.kind != .unix) { return try engine.paths.withBytes(e.name, body) }
        guard let s = fdName else { return try body(nil) }
        var copy = s
        return try copy.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }
}

/// Consumes events as the engine produces them (a filter + sink, a statistics pass, a test recorder).
public protocol EventConsumer {
    /// Handles one event; returns false to stop the replay.
    mutating func consume(_ event: Event) -> Bool
}
