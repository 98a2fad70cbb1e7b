import CaptureFormat
import Glibc
import Synchronization

/// `kcap record --flight TIME -w DIR`: keeps the newest window of the recording in memory, compressed, and
/// writes it into DIR as a capture of its own when triggered (SIGUSR1, `--trigger FILTER`, the command's
/// exit), then goes on recording. docs/recording.md, "Flight recorder".
///
/// Chunks and snapshots are encoded as blocks (LZ4, as a capture file holds them) into a `FlightRing` of
/// `--flight-size` bytes. Time gives up the oldest segment (a snapshot and the chunks after it) once the next
/// segment alone still reaches `--flight` back; space gives up the oldest blocks when the ring is full. A
/// window's capture is the ring from its oldest snapshot on, copied block by block (no recompression),
/// then a fresh snapshot (what is still in flight) and the counters.
///
/// Every `RecordSink` call comes from the writer thread; `trigger(_:atNs:)` may come from any thread.
public final class FlightRecorderSink: RecordSink {
    private let options: FlightOptions
    private let header: CaptureHeader
    private let ring: FlightRing
    /// Codes chunks into columns before LZ4, as a capture file's writer does.
    private let coder = ColumnCoder()
    private let filter: FlightEventFilter?
    private var providers: RecordSinkProviders?
    private var lastCounters = CaptureCounters()
    /// The newest record timestamp seen (boot ns).
    private var newestNs: UInt64 = 0
    /// A trigger whose window is not written yet.
    private struct Pending {
        var trigger: FlightTrigger
        var atNs: UInt64
    }
    private var pending: Pending?
    /// Triggers from other threads (signal, command exit), taken by the writer thread.
    private let incoming = Mutex<[Pending]>([])
    /// Records after this boot-time ns may trigger the filter again (the end of the last window written).
    private var rearmNs: UInt64 = 0
    /// Triggers that came while one was pending (merged into it).
    public private(set) var mergedTriggers = 0
    /// The windows written, oldest first.
    public private(set) var captures: [FlightCapture] = []
    /// Called on the writer thread once a window is written (the CLI prints one line).
    public var onCapture: (FlightCapture) -> Void = { _ in }
    /// Called with a warning (a window that could not be written: the recording goes on).
    public var warn: (String) -> Void = { fputs("kcap record: warning: \($0)\n", stderr) }
    private var sequence = 0
    /// Whether the newest segment grew past an eighth of the ring (a snapshot is wanted early, so time and
    /// space can give up old data a segment at a time without losing the window's start).
    private var snapshotWanted = false
    /// Boot-time ns now (tests feed records of their own time and set it).
    var clock: () -> UInt64 = BootClock.nowNs

    /// A flight recorder writing into `options.directory` (created, mode 0700, when missing; it must be a
    /// directory this user can write). Fails with one line when the directory is unusable or the ring cannot
    /// be mapped.
    public init(options: FlightOptions, header: CaptureHeader, filter: FlightEventFilter? = nil) throws {
        self.options = options
        self.header = header
        self.filter = filter
        try FlightRecorderSink.prepareDirectory(options.directory)
        guard let ring = FlightRing(capacity: options.sizeBytes) else {
            throw RecorderError(step: "map the flight recorder's memory", object: "--flight-size \(options.sizeBytes)",
                                errno: errno, hint: "choose a smaller --flight-size")
        }
        self.ring = ring
    }

    /// The most bytes the window held at once (at most `--flight-size`).
    public var peakBytes: Int { ring.peakUsedBytes }
    /// Records given up because the window outgrew `--flight-size` before `--flight` elapsed.
    public var recordsEvictedForSpace: UInt64 { ring.recordsEvictedForSpace }

    /// Asks for the window to be written: `atNs` (boot-time ns) is the trigger's moment, the window's end
    /// before `--after`. Thread-safe; the writer thread acts on it.
    public func trigger(_ trigger: FlightTrigger, atNs: UInt64) {
        incoming.withLock { $0.append(Pending(trigger: trigger, atNs: atNs)) }
    }

    // MARK: RecordSink

    public func begin(with providers: RecordSinkProviders) {
        self.providers = providers
    }

    public func consume(_ chunk: EventChunk) throws {
        guard !chunk.isEmpty else { return }
        let bound = BlockEncoder.bound(chunkBytes: chunk.byteCount)
        if let at = ring.reserve(bound) {
            let size = BlockEncoder.encode(chunk, into: at, coder: CaptureWriter.columnCodingDefault ? coder : nil)
            ring.commit(size: size, isSnapshot: false, firstTs: chunk.firstTimestampNs, lastTs: chunk.lastTimestampNs,
                        records: chunk.recordCount)
        }
        newestNs = max(newestNs, chunk.lastTimestampNs)
        if pending == nil, let filter, let ts = filter.firstMatch(in: chunk, notBeforeNs: rearmNs) {
            pending = Pending(trigger: .filter(filter.text), atNs: ts)
        } else if let filter {
            // Pending already: the engine still follows every record, so its tables stay right.
            _ = filter.firstMatch(in: chunk, notBeforeNs: .max)
        }
        if ring.newestSegmentBytes > ring.capacity / 8 { snapshotWanted = true }
        try settle(finishing: false)
    }

    public func consume(_ snapshot: CaptureSnapshot) throws {
        filter?.load(snapshot)
        let payload = BlockEncoder.payload(of: snapshot)
        guard payload.count <= CaptureFileFormat.maxPayloadLength,
              let at = ring.reserve(BlockEncoder.bound(rawCount: payload.count, compress: true)) else {
            warn("a snapshot of \(payload.count) bytes does not fit the flight recorder's --flight-size; windows start without it")
            return
        }
        let size = BlockEncoder.encode(snapshotPayload: payload, of: snapshot, into: at)
        ring.commit(size: size, isSnapshot: true, firstTs: snapshot.timestampNs, lastTs: snapshot.timestampNs,
                    records: 0, counters: lastCounters)
        snapshotWanted = false
    }

    public func consume(_ counters: CaptureCounters) throws {
        lastCounters = counters
    }

    public func flush() throws {
        try settle(finishing: false)
    }

    public func finish() throws {
        try settle(finishing: true)
    }

    public var wantsSnapshotSoon: Bool { snapshotWanted }

    // MARK: triggers and windows

    /// Takes the triggers other threads sent, gives up what the window no longer needs, and writes the window
    /// when its trigger is due (`finishing`: now, as far as it got).
    private func settle(finishing: Bool) throws {
        for t in incoming.withLock({ q -> [Pending] in defer { q.removeAll() }; return q }) {
            if pending == nil { pending = t } else { mergedTriggers += 1 }
        }
        // While a trigger is pending, the window's end is the trigger: time gives up nothing the window needs.
        let end = pending?.atNs ?? newestNs
        if end > options.windowNs { ring.keep(from: end - options.windowNs) }
        guard let p = pending else { return }
        let due = p.atNs &+ options.afterNs
        if newestNs >= due || clock() >= due &+ FlightOptions.settleNs {
            write(p)
        } else if finishing {
            // Everything recorded has been drained by now. Only a trigger whose --after time had not run out
            // is cut short (a command's exit ends the recording by itself: its window is whole).
            var cut = options.afterNs > 0 && clock() < due
            if case .commandExited = p.trigger { cut = false }
            write(cut ? Pending(trigger: .cutShort(p.trigger), atNs: p.atNs) : p)
        }
    }

    /// Writes the window for `p` into the directory, under a temporary name renamed when complete; a failure
    /// is a warning (the recording goes on, the next trigger tries again).
    private func write(_ p: Pending) {
        pending = nil
        sequence += 1
        let blocks = ring.blocksFromFirstSnapshot
        let name = FlightRecorderSink.fileName(triggerNs: p.atNs, offsetNs: header.bootTimeRealtimeOffsetNs,
                                               tag: p.trigger.tag, sequence: sequence)
        let temporary = options.directory + "/." + name + ".partial"
        var h = header
        h.createdRealtimeNs = Int64(BootClock.realtimeNs())
        h.extra["flightTrigger"] = p.trigger.description
        h.extra["flightTriggerNs"] = String(p.atNs)
        h.extra["flightWindowNs"] = String(options.windowNs)
        h.extra["flightAfterNs"] = String(options.afterNs)
        do {
            let fd = try CaptureFileOpener.open(temporary, followSymlinks: false)
            let w: CaptureWriter
            do { w = try CaptureWriter(fd: fd, path: temporary, header: h) } catch {
                throw RecorderError(step: "create flight capture", object: temporary, hint: "check the -w directory", detail: "\(error)")
            }
            var records: UInt64 = 0
            var first = true
            for e in blocks {
                try w.append(encodedBlock: ring.bytes(of: e))
                records += UInt64(e.records)
                // The counters as they were at the window's start snapshot, as a file's start has them.
                if first, let c = e.counters { try w.write(c) }
                first = false
            }
            // What is still in flight now, and the totals: as any capture ends.
            if let providers {
                try w.write(providers.snapshot())
                try w.write(providers.counters())
            }
            try w.finish()
            let path = try FlightRecorderSink.publish(temporary, as: name, in: options.directory)
            var st = stat()
            _ = stat(path, &st)
            let startNs = blocks.first?.firstTs ?? p.atNs
            let capture = FlightCapture(path: path, trigger: p.trigger, triggerNs: p.atNs, startNs: startNs,
                                        endNs: blocks.map(\.lastTs).max() ?? startNs, records: records,
                                        bytes: UInt64(st.st_size), startsWithSnapshot: blocks.first?.isSnapshot ?? false)
            captures.append(capture)
            rearmNs = max(newestNs, p.atNs) &+ 1
            onCapture(capture)
        } catch {
            unlink(temporary)
            warn("could not write the flight window (\(p.trigger)): \(error)")
        }
    }

    /// `flight-20261122T040512Z-signal-1.kcap`: the trigger's UTC time, its kind and the window's number in
    /// this recording, so names sort by time and never collide within one recording.
    static func fileName(triggerNs: UInt64, offsetNs: Int64, tag: String, sequence: Int) -> String {
        let wall = wallClock(bootNs: triggerNs, offsetNs: offsetNs)
        var secs = time_t(wall / 1_000_000_000)
        var tm = tm()
        gmtime_r(&secs, &tm)
        func pad(_ v: Int32, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        let stamp = pad(tm.tm_year + 1900, 4) + pad(tm.tm_mon + 1, 2) + pad(tm.tm_mday, 2) + "T"
            + pad(tm.tm_hour, 2) + pad(tm.tm_min, 2) + pad(tm.tm_sec, 2) + "Z"
        return "flight-\(stamp)-\(tag)-\(sequence).kcap"
    }

    /// Gives the finished temporary file its name without replacing anything (a file of an earlier recording
    /// with the same name gets a suffix: -2, -3...). Returns the path.
    static func publish(_ temporary: String, as name: String, in directory: String) throws -> String {
        let stem = String(name.dropLast(".kcap".count))
        for n in 1...1000 {
            let path = directory + "/" + (n == 1 ? name : "\(stem)-\(n).kcap")
            if link(temporary, path) == 0 {
                unlink(temporary)
                return path
            }
            if errno != EEXIST {
                throw RecorderError(step: "name flight capture", object: path, errno: errno, hint: "check the -w directory")
            }
        }
        throw RecorderError(step: "name flight capture", object: directory + "/" + name, errno: EEXIST,
                            hint: "clear out the -w directory")
    }

    /// Makes sure `directory` is a directory this process can write, creating it (mode 0700) when missing.
    static func prepareDirectory(_ directory: String) throws {
        var st = stat()
        if stat(directory, &st) != 0 {
            guard errno == ENOENT else {
                throw RecorderError(step: "open flight directory", object: directory, errno: errno, hint: "give -w a directory")
            }
            guard mkdir(directory, 0o700) == 0 else {
                throw RecorderError(step: "create flight directory", object: directory, errno: errno,
                                    hint: "create the directory first, or give -w a path whose parent exists")
            }
            return
        }
        guard st.st_mode & S_IFMT == S_IFDIR else {
            throw RecorderError(step: "open flight directory", object: directory, errno: ENOTDIR,
                                hint: "with --flight, -w names a directory the windows are written into")
        }
        guard access(directory, W_OK | X_OK) == 0 else {
            throw RecorderError(step: "open flight directory", object: directory, errno: errno, hint: "choose a writable directory")
        }
    }
}
