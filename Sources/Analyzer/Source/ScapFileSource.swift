import CaptureFormat
import ScapFormat

/// A sysdig/falco capture (scap) as a record source: its process, fd and user lists become a snapshot the
/// engine loads before the first event, its interface list the engine's `NetworkInterfaces`, and each event a
/// kcap record (`ScapRecordTranslator`), so the same engine, filters and sinks serve both formats. The file is
/// streamed block by block (`ScapReader`): memory is bounded whatever its size, gzip'd, zstd or LZ4 framed or
/// not. Damage stops the walk at the damaged block: every intact block before it is handed over, and
/// `problems` says what was wrong, one line each.
public final class ScapFileSource: WindowedRecordSource {
    /// Where the capture's bytes come from: a file (streamed), or a capture already in memory.
    private enum Origin {
        case file(String)
        case memory(ScapCapture)
    }

    private let origin: Origin
    /// The reader opened by `init`, used by the first walk (later walks open the file again).
    private var openedReader: ScapReader?
    /// How the file is stored: "gzip", "zstd", "lz4", or nil for plain.
    public let compression: String?
    /// Bytes of the file.
    public let fileBytes: Int
    /// Bytes of the uncompressed capture read by the last walk (its inflated size once walked to the end).
    public private(set) var inflatedBytes = 0
    /// The machine info block, when the capture has one.
    public private(set) var machineInfo: ScapMachineInfo?
    /// Blocks by type, counted by the last feed (or `scan()`).
    public private(set) var blockCounts: [UInt32: Int] = [:]
    /// Event blocks handed over, hidden or passed over, by the last feed.
    public private(set) var eventCount: UInt64 = 0
    /// Events sysdig keeps out of its output (procinfo, container...), not handed over.
    public private(set) var hiddenEvents: UInt64 = 0
    /// Events passed over unread by the last feed: no filter could match them and they change no state
    /// (`onlyTypeCodes`).
    public private(set) var passedOver: UInt64 = 0
    /// Timestamps (ns since the epoch) of the first and last event.
    public private(set) var timeRange: (first: UInt64, last: UInt64)?
    /// The syscalls threads had entered and not returned from when the last walk ended, by tid (entries
    /// whose exit the capture does not hold).
    public private(set) var inFlight: [UInt32: InFlightSyscall] = [:]
    /// Threads and fds listed by the state blocks.
    public private(set) var threadCount = 0, fdCount = 0
    /// One line per problem found (damage, truncation, inflate errors); the blocks before it were read.
    public private(set) var problems: [String] = []
    /// Where a `--since` window starts. A scap file has no index to seek by, so every event is still handed
    /// over and the sink's window (`FilteredSink.startNs`) drops those before it.
    public var startNs: UInt64?
    /// Hand over the events sysdig hides too (procinfo, the libraries' own events, user and group
    /// metadata), as `sysdig -D` shows them.
    public var showInternal = false
    /// The `evt.type` codes the reader's filter can match (`EventTypeSet.codes`), nil for any: events of
    /// other types whose records would change no state are passed over without being decoded or handed to
    /// the engine, numbered all the same.
    public var onlyTypeCodes: Set<Int64>?

    /// Opens the capture at `path` (gzip'd, zstd or LZ4 framed or not, told by its magic) and checks it
    /// starts with a section header.
    public init(path: String) throws {
        let raw = try ScapFileStream(path: path)
        fileBytes = raw.size
        let reader = try ScapReader(raw)
        compression = reader.compression?.rawValue
        openedReader = reader
        origin = .file(path)
    }

    /// A capture held in memory (tests, fuzzing).
    public init(capture: ScapCapture) throws {
        origin = .memory(capture)
        compression = capture.compression
        fileBytes = capture.fileBytes
        openedReader = try ScapReader(ScapMemoryStream(capture.bytes))  // the first block must be a section header
    }

    /// Recorded on x86_64: the scap format names no architecture, and the corpus is x86_64.
    public var machine: String { "x86_64" }
    /// scap timestamps are already ns since the epoch.
    public var realtimeOffsetNs: Int64 { 0 }

    private func reader() throws -> ScapReader {
        if let r = openedReader {
            openedReader = nil
            return r
        }
        switch origin {
        case .file(let path): return try ScapReader(path: path)
        case .memory(let c): return try ScapReader(ScapMemoryStream(c.bytes))
        }
    }

    /// Walks every block without an engine: counts, time range, state sizes and problems (`kcap info`).
    /// Decodes every event's parameters (a damaged one is a problem) but makes no record.
    public func scan() {
        struct Discard: RecordReceiver {
            mutating func load(_ snapshot: CaptureSnapshot) {}
            mutating func numberEvents(after n: UInt64) {}
            mutating func receive(_ record: RecordView) -> Bool { true }
            mutating func switchHost(to host: Int) {}
        }
        var d = Discard()
        _ = try? walk(into: &d, translating: false)
    }

    /// Hands the state as a snapshot before the first event (and again after a later section's state
    /// blocks), then every shown event as a record. Returns false when the receiver stopped it.
    public func feed<Receiver: RecordReceiver>(into receiver: inout Receiver) throws -> Bool {
        try walk(into: &receiver, translating: true)
    }

    private func walk<Receiver: RecordReceiver>(into receiver: inout Receiver, translating: Bool) throws -> Bool {
        let reader = try reader()
        problems = []
        blockCounts = [:]
        timeRange = nil
        threadCount = 0
        fdCount = 0
        // Counted in locals and stored once at the end: the loop touches no property of this class.
        var events: UInt64 = 0, passed: UInt64 = 0
        var threads = 0, fds = 0
        var translator = ScapRecordTranslator()
        translator.showInternal = showInternal
        var state = ScapSnapshotBuilder()
        // The last interface list read: a later section without one keeps it, as sysdig does.
        var interfaces = NetworkInterfaces()
        let params = ScapEventParams()
        let plans = ScapEventPlan.table, facts = ScapEventPlan.facts, planCount = ScapEventPlan.count
        // Event ids whose events can be passed over: only with a filter that names its types, and never before
        // the first record (the engine's `evt.reltime` counts from it).
        // Entries no filter can match are not handed over either: they only wait for their exit.
        let skippable = UnsafeMutablePointer<Bool>.allocate(capacity: 2 * planCount)
        skippable.initialize(repeating: false, count: 2 * planCount)
        defer { skippable.deallocate() }
        let pendOnly = skippable + planCount
        var handedOver = false
        var sections = 0, laterSection = false
        // Syscall numbers a generic event of which can be passed over (no effect, no filter matches them), and the
        // same by libs syscall code from 512 on (`ScapReader.next(passing:)`'s generic table).
        var genericSkip: [Bool]? = nil
        var genericTable: [UInt8] = []
        if translating, let codes = onlyTypeCodes {
            let effects = SyscallEffectTable.shared(machine: machine)
            let skip = (0..<SyscallEffectTable.size).map { effects.effects[$0] == .none && !codes.contains(Int64($0)) }
            genericSkip = skip
            genericTable = skip.map { $0 ? 1 : 0 } + ScapRecordTranslator.legacyNumbers.map { nr in
                guard let nr, nr >= 0, nr < skip.count else { return 0 }
                return skip[nr] ? 1 : 0
            }
        }
        if translating, let codes = onlyTypeCodes {
            for id in 0..<planCount where facts[id].contains(.known) {
                let plan = plans + id
                guard let code = plan.pointee.typeCode, !codes.contains(code) else { continue }
                skippable[id] = plan.pointee.changesNoState
                pendOnly[id] = plan.pointee.isEnter && plan.pointee.isSyscallRecord
            }
        }
        // sysdig's hidden events (procinfo...: most of a capture's events) are passed over inside the reader's
        // loop, counted and numbered without a return to this one (container events, hidden only before the
        // first other event, are left to the translator).
        let pass = UnsafeMutablePointer<UInt8>.allocate(capacity: planCount)
        defer { pass.deallocate() }
        for id in 0..<planCount {
            let f = facts[id]
            pass[id] = !showInternal && f.contains(.known) && f.contains(.hidden) && !f.contains(.container) ? 1 : 0
        }
        var passedHidden = ScapPassedEvents()
        // Event blocks come in runs of one type: counted per run, not hashed per block.
        var lastEventType: UInt32 = 0, lastEventCount = 0
        var first = UInt64.max, last: UInt64 = 0
        var counts: [UInt32: Int] = [:]
        var found: [String] = []
        func flushEventCount() { if lastEventCount > 0 { counts[lastEventType, default: 0] += lastEventCount } }
        func problem(_ error: Error) { found.append("\(error); the blocks before it were read") }
        defer {
            flushEventCount()
            for (type, n) in passedHidden.blockCounts where n > 0 { counts[type, default: 0] += n }
            events += passedHidden.count
            if passedHidden.firstNs < first { first = passedHidden.firstNs }
            if passedHidden.lastNs > last { last = passedHidden.lastNs }
            blockCounts = counts
            eventCount = events
            passedOver = passed + passedHidden.forCaller
            threadCount = threads
            fdCount = fds
            hiddenEvents = translator.hiddenEvents + passedHidden.total - passedHidden.forCaller
            inFlight = translating ? translator.inFlight() : [:]
            inflatedBytes = reader.position
            if first <= last { timeRange = (first, last) }
            problems = found
        }
        while true {
            let block: ScapBlock
            do {
                // Unretained: a retain and a release per call cost as much as the rest of a passed-over event.
                let slots = Unmanaged.passUnretained(translator.threads)
                let next = try genericTable.withUnsafeBufferPointer { generic throws(ScapError) -> ScapBlock? in
                    try reader.next(passing: pass, types: planCount, generic: generic.baseAddress, &passedHidden) { tid, action in
                        slots._withUnsafeGuaranteedRef { $0.skip(tid: tid, enter: action == 2) }
                    }
                }
                guard let b = next else { break }
                block = b
                if passedHidden.count > 0 {
                    // Events passed over are numbered (sysdig numbers them too) and end the state dump.
                    events += passedHidden.count
                    passedHidden.count = 0
                    translator.pastStateDump = true
                }
            } catch {
                problem(error)
                break
            }
            let bytes = reader.bytes
            do {
                if block.isEvent {
                    if block.type == lastEventType {
                        lastEventCount += 1
                    } else {
                        flushEventCount()
                        (lastEventType, lastEventCount) = (block.type, 1)
                    }
                    if state.hasContent {
                        threads += state.threads.count
                        fds += state.fds.reduce(0) { $0 + $1.fds.filter { $0.fd >= 0 && $0.fd <= Int64(Int32.max) }.count }
                        if translating { receiver.load(state.snapshot(&translator, interfaces: interfaces)) }
                        state = ScapSnapshotBuilder()
                    }
                    let header = try ScapEventHeader(block: block, in: bytes)
                    events += 1
                    let ts = header.timestampNs
                    if ts != 0 {
                        if ts < first { first = ts }
                        if ts > last { last = ts }
                    }
                    let type = Int(header.type)
                    let fact: ScapEventPlan.Facts = type < planCount ? facts[type] : []
                    let known = fact.contains(.known)
                    if known {
                        if translator.hides(fact) {
                            // A container of the state dump: not shown, but its metadata is state. (In the
                            // sections after the first, sysdig does not number them either.)
                            if laterSection && fact.contains(.container) { events -= 1 }
                            guard translating, fact.contains(.container) else { continue }
                            try params.decode(block, header: header, in: bytes)
                            receiver.numberEvents(after: events - 1)
                            if !translator.container(header, plans + type, params, bytes, { receiver.receive($0) }, stateOnly: true) {
                                return false
                            }
                            continue
                        }
                        if skippable[type] && handedOver {
                            translator.skip(header, fact)
                            passed += 1
                            continue
                        }
                    }
                    try params.decode(block, header: header, in: bytes)
                    guard translating else { continue }
                    if known && fact.contains(.generic) && handedOver, let skipNr = genericSkip {
                        // A generic event names its syscall in a parameter: passed over like the others when no
                        // filter can match that syscall and it has no effect.
                        let nr = translator.genericNumber(header.tid, plans + type, params, bytes)
                        if nr >= 0 && nr < skipNr.count && skipNr[nr] {
                            translator.threads.skip(tid: header.tid, enter: fact.contains(.enter))
                            passed += 1
                            continue
                        }
                    }
                    // Events are numbered as sysdig numbers them: hidden ones (procinfo...) count too.
                    receiver.numberEvents(after: events - 1)
                    let handOver = !(known && pendOnly[type] && handedOver)
                    if handOver && !handedOver {
                        // From the first record on, the events no filter can match are passed over in the
                        // reader's loop: 2 a syscall's entry, 3 its exit, 4 an event that is no syscall.
                        handedOver = true
                        for id in 0..<planCount where skippable[id] {
                            let f = facts[id]
                            pass[id] = f.contains(.syscallRecord) ? (f.contains(.enter) ? 2 : 3) : 4
                        }
                        if !genericTable.isEmpty {
                            for id in 0..<planCount where facts[id].contains(.generic) && !facts[id].contains(.hidden) { pass[id] = 5 }
                        }
                    }
                    let more = known ? translator.translate(header, plans + type, params, bytes, handOver: handOver) { receiver.receive($0) }
                        : translator.unknown(header, params, bytes) { receiver.receive($0) }
                    if !more { return false }
                } else {
                    counts[block.type, default: 0] += 1
                    if block.type == ScapBlock.sectionHeader {
                        // A capture concatenated to another: its state dump (container events included) is
                        // state again, as sysdig reads it.
                        if sections > 0 {
                            laterSection = true
                            translator.pastStateDump = false
                        }
                        sections += 1
                    } else if block.type == ScapBlock.machineInfo {
                        machineInfo = try ScapStateDecoder.machineInfo(block, in: bytes)
                    } else if ScapBlock.processLists.contains(block.type) {
                        state.threads += try ScapStateDecoder.threads(block, in: bytes)
                    } else if ScapBlock.fdLists.contains(block.type) {
                        state.fds.append(try ScapStateDecoder.fds(block, in: bytes))
                    } else if ScapBlock.interfaceLists.contains(block.type) {
                        let list = try ScapStateDecoder.interfaces(block, in: bytes)
                        interfaces = NetworkInterfaces(list.map { ($0.address, $0.netmask) })
                        if translating { receiver.useInterfaces(interfaces) }
                    } else if ScapBlock.userLists.contains(block.type) {
                        let (users, groups) = try ScapStateDecoder.users(block, in: bytes)
                        state.users.merge(users) { _, new in new }
                        state.groups.merge(groups) { _, new in new }
                    }
                    // Section headers and unknown blocks: skipped by their length.
                }
            } catch {
                problem(error)
                break
            }
        }
        var inflateProblem = reader.streamProblem
        if case .memory(let c) = origin, let why = c.inflateProblem { inflateProblem = why }
        if let why = inflateProblem {
            found.append("\(why): every complete block before it was read")
        } else if let at = reader.truncatedAt {
            found.append("the capture ends inside the block at byte \(at) (truncated): every block before it was read")
        }
        return true
    }
}
