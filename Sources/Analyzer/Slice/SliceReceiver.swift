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

    init(engine: Engine, writer: CaptureWriter, matcher: SliceMatcher, startNs: UInt64, endNs: UInt64) {
        self.engine = engine
        self.writer = writer
        self.matcher = matcher
        self.startNs = startNs
        self.endNs = endNs
    }

    mutating func load(_ snapshot: CaptureSnapshot) {
        engine.load(snapshot)
        guard failure == nil, snapshot.timestampNs >= startNs, snapshot.timestampNs <= endNs else { return }
        // A snapshot of the input inside the window: the state there, as the input says it.
        started = true
        flushChunk()
        write(snapshot)
    }

    mutating func numberEvents(after n: UInt64) { engine.advanceNumbering(to: n) }

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

    /// The state at the start of the window, from the engine: the slice's first block.
    private mutating func startSlice() {
        started = true
        write(engine.snapshot(at: startNs))
    }

    private mutating func append(_ bytes: UnsafeRawBufferPointer) {
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
        do { try writer.write(snapshot) } catch { failure = error }
        summary.snapshots += 1
    }

    /// Writes what is left: the last chunk, and a snapshot of the state at the slice's end (as a recording
    /// ends with one, so `kcap stats` on the slice sees what was still in flight). Throws the first write error.
    mutating func finish() throws {
        if let failure { throw failure }
        if !started { startSlice() }
        try writer.write(chunk)
        chunk.reset()
        try writer.write(engine.snapshot(at: max(lastNs, startNs)))
        summary.snapshots += 1
        if let failure { throw failure }
    }
}
