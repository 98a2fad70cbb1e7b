import CaptureFormat

/// `CaptureSlicer`'s receiver: replays the input through the engine and writes what the slice keeps.
struct SliceReceiver: RecordReceiver {
    let engine: Engine
    let writer: CaptureWriter
    var matcher: SliceMatcher
    let startNs: UInt64
    let endNs: UInt64
    var summary = CaptureSlicer.Summary()
    private var chunk = EventChunk()
    /// A record being copied with `RecordFlags.context` set (a reusable line buffer: no allocation per record).
    private let scratch = OutputBuffer(chunkSize: KcapABI.recordMax)
    /// True once the slice's first block is written.
    private var started = false
    /// The error a write threw inside `receive` (which cannot throw); rethrown by `finish`.
    private var failure: Error? = nil
    private var ignore = IgnoringConsumer()
    /// Boot-time ns of the last record inside the window.
    private var lastNs: UInt64 = 0

    /// True when the slice holds several hosts: a `KCAP_REC_HOST` record goes before each run of one host's
    /// records, and every snapshot names its host.
    let multiHost: Bool
    /// The host of the records written last to the slice (-1 before the first).
    private var writtenHost = -1
    /// What the slice's bytes go through first (nil: copied as they are).
    let redactor: Redactor?

    init(engine: Engine, writer: CaptureWriter, matcher: SliceMatcher, startNs: UInt64, endNs: UInt64,
         redactor: Redactor? = nil) {
        self.engine = engine
        self.redactor = redactor
        multiHost = engine.hostCount > 1
        self.writer = writer
        self.matcher = matcher
        self.startNs = startNs
        self.endNs = endNs
    }

    mutating func load(_ snapshot: CaptureSnapshot) {
        engine.load(snapshot)
        guard failure == nil, snapshot.timestampNs >= startNs, snapshot.timestampNs <= endNs else { return }
        // A snapshot of the input inside the window: the state there, as the input says it (with several
        // hosts, the slice starts with every host's state all the same).
        if !started { if multiHost { startSlice() } else { started = true } }
        flushChunk()
        var s = snapshot
        s.host = multiHost ? UInt32(engine.currentHost) : nil
        write(s)
    }

    mutating func numberEvents(after n: UInt64) { engine.advanceNumbering(to: n) }

    mutating func switchHost(to host: Int) { engine.switchHost(to: host) }

    @inline(__always)
    mutating func receive(_ record: RecordView) -> Bool {
        summary.recordsRead &+= 1
        let ts = record.timestampNs
        if ts < startNs {
            _ = engine.process(record, into: &ignore)
            return true
        }
        if ts > endNs || failure != nil { return false }
        if !started { startSlice() }
        lastNs = ts
        _ = engine.process(record, into: &matcher)
        if multiHost, engine.currentHost != writtenHost { appendHostRecord(timestampNs: ts) }
        if matcher.matched {
            summary.recordsMatched &+= 1
            append(record.bytes)
        } else if changesState(record) {
            summary.recordsForState &+= 1
            let flags = record.rawFlags | RecordFlags.context.rawValue
            scratch.reset()
            scratch.append(UnsafeRawBufferPointer(rebasing: record.bytes[..<KcapABI.Header.flags]))
            scratch.append(UInt8(truncatingIfNeeded: flags), UInt8(truncatingIfNeeded: flags >> 8))
            scratch.append(UnsafeRawBufferPointer(rebasing: record.bytes[(KcapABI.Header.flags + 2)...]))
            append(scratch.bytes)
        }
        return failure == nil
    }

    /// True for a record whose effect on the thread and fd tables later records need.
    @inline(__always)
    func changesState(_ record: RecordView) -> Bool {
        guard record.recordType == .syscall else { return true }  // fork, exec, exit
        guard let r = try? SyscallRecord(record) else { return false }
        return engine.effects.effect(UInt16(truncatingIfNeeded: r.nr)) != .none
    }

    /// The state at the start of the window, from the engine: the slice's first block (one per host).
    private mutating func startSlice() {
        started = true
        writeEngineSnapshots(at: startNs)
    }

    /// The engine's tables as snapshots, one per host.
    private mutating func writeEngineSnapshots(at ns: UInt64) {
        if !multiHost { return write(engine.snapshot(at: ns)) }
        var snapshots: [CaptureSnapshot] = []
        engine.forEachHost { _ in snapshots.append(engine.snapshot(at: ns)) }
        for s in snapshots { write(s) }
    }

    /// Says that the records after it are the engine's current host's.
    private mutating func appendHostRecord(timestampNs: UInt64) {
        writtenHost = engine.currentHost
        var r = [UInt8](repeating: 0, count: KcapABI.Host.size)
        withUnsafeBytes(of: timestampNs.littleEndian) { for i in 0..<8 { r[KcapABI.Header.tsNs + i] = $0[i] } }
        withUnsafeBytes(of: KcapABI.Host.recordType.littleEndian) { r[KcapABI.Header.type] = $0[0]; r[KcapABI.Header.type + 1] = $0[1] }
        withUnsafeBytes(of: UInt16(KcapABI.Host.size).littleEndian) { r[KcapABI.Header.len] = $0[0]; r[KcapABI.Header.len + 1] = $0[1] }
        withUnsafeBytes(of: UInt32(writtenHost).littleEndian) { for i in 0..<4 { r[KcapABI.Host.host + i] = $0[i] } }
        r.withUnsafeBytes { appendRaw($0) }
    }

    private mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let redactor else { return appendRaw(bytes) }
        guard let redacted = redactor.redact(record: RecordView(bytes: bytes)) else { return }
        appendRaw(redacted)
    }

    private mutating func appendRaw(_ bytes: UnsafeRawBufferPointer) {
        if chunk.append(bytes) { return }
        flushChunk()
        _ = chunk.append(bytes)
    }

    /// Writes the chunk so far (the first write error is kept for `finish`).
    private mutating func flushChunk() {
        guard failure == nil else { return }
        do {
            try writer.write(chunk)
            chunk.reset()
        } catch { failure = error }
    }

    private mutating func write(_ snapshot: CaptureSnapshot) {
        guard failure == nil else { return }
        do { try writer.write(redactor.map { $0.redact(snapshot) } ?? snapshot) } catch { failure = error }
        summary.snapshots += 1
    }

    /// Writes what is left: the last chunk, and a snapshot of the state at the slice's end (as a recording
    /// ends with one, so `kcap stats` on the slice sees what was still in flight). Throws the first write error.
    mutating func finish() throws {
        if let failure { throw failure }
        if !started { startSlice() }
        try writer.write(chunk)
        chunk.reset()
        writeEngineSnapshots(at: max(lastNs, startNs))
        if let failure { throw failure }
    }
}
