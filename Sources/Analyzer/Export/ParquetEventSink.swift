import CaptureFormat
import EventSchema
import Parquet

/// Writes events as rows of `EventsTable` into a Parquet file: the sink of `kcap export --format parquet`.
/// Values go straight into the writer's column buffers, and what repeats from event to event is not made
/// again: a process's columns while its state is unchanged, the dictionary entry of an event type, an errno,
/// an interned path or a symbolic argument, a socket's addresses, the parent's name. An event costs no
/// allocation once the buffers have grown to a row group.
public struct ParquetEventSink: EventSink {
    /// The file being written.
    public let writer: ParquetFileWriter
    private let c: Columns
    /// The shared renderer (`evt.res`, `fd.name`, the arguments).
    public let printer: EventPrinter
    private let scratch = OutputBuffer()
    private let argScratch = OutputBuffer()
    private let last = LastProcess()
    private let repeats = Repeats()
    private static let entryDir: StaticString = ">", exitDir: StaticString = "<"

    /// The writer's columns, by name.
    final class Columns {
        let num, time, cpu, type, category, res, rawres, failed, latency, buflen: UnownedColumn
        let pid, ppid, name, exe, exepath, cmdline, cwd, pname, tid, uid, gid, container: UnownedColumn
        let fdNum, fdType, fdName, fdIno, l4proto, lip, lport, rip, rport, dir: UnownedColumn
        /// The `evt.args` struct's fields by `ArgumentSchema` key, and what each remembers of symbolic values.
        let arguments: UnsafeMutablePointer<UnownedColumn>
        let symbols: ArgumentSymbolCache

        init(_ leaves: [ParquetColumn]) {
            func l(_ c: EventsTable.Column) -> UnownedColumn { UnownedColumn(leaves[EventsTable.leaf(c)]) }
            (num, time, cpu, type, category, res, rawres, failed, latency, buflen) =
                (l(.num), l(.time), l(.cpu), l(.type), l(.category), l(.res), l(.rawres), l(.failed), l(.latency), l(.buflen))
            (pid, ppid, name, exe, exepath, cmdline, cwd, pname, tid, uid, gid, container) =
                (l(.pid), l(.ppid), l(.name), l(.exe), l(.exepath), l(.cmdline), l(.cwd), l(.pname), l(.tid), l(.uid),
                 l(.gid), l(.container))
            (fdNum, fdType, fdName, fdIno, l4proto, lip, lport, rip, rport, dir) =
                (l(.fdNum), l(.fdType), l(.fdName), l(.fdIno), l(.l4proto), l(.lip), l(.lport), l(.rip), l(.rport), l(.dir))
            let first = EventsTable.leaf(.args), keys = ArgumentSchema.shared.keys.count
            arguments = .allocate(capacity: keys)
            arguments.initialize(from: leaves[first..<first + keys].map(UnownedColumn.init), count: keys)
            symbols = ArgumentSymbolCache(keys: keys)
        }

        deinit { arguments.deallocate() }
    }

    /// What the previous event's process columns were made from: while an event's thread and process are the
    /// same objects at the same revisions, its process columns repeat the previous row's values instead of
    /// being rendered and looked up again.
    final class LastProcess {
        // Held, so that a freed object's address cannot come back as another's.
        @exclusivity(unchecked) var thread: ThreadState?
        @exclusivity(unchecked) var process: ProcessState?
        @exclusivity(unchecked) var revisions: (thread: UInt64, process: UInt64) = (0, 0)

        /// True when `e`'s process columns are those of the previous row; remembers `e`'s state otherwise.
        @inline(__always)
        func unchanged(_ e: Event) -> Bool {
            let t = e.thread, p = t.process
            let revisions = (t.revision, p.revision)
            if thread === t, process === p, self.revisions == revisions { return true }
            (thread, process, self.revisions) = (t, p, revisions)
            return false
        }
    }

    /// The other values remembered from event to event.
    final class Repeats {
        /// Dictionary entries by event type index, errno (0: SUCCESS), fd kind, interned path id, IP protocol.
        let types = DictionaryIndexCache(), categories = DictionaryIndexCache(), results = DictionaryIndexCache()
        let fdTypes = DictionaryIndexCache(), paths = DictionaryIndexCache(), protocols = DictionaryIndexCache()
        /// The parent (`proc.pname`) of `process` (at its `revision`), found under the thread table's
        /// `generation`, and the parent's revision its name was written at.
        @exclusivity(unchecked) var process: ProcessState?
        @exclusivity(unchecked) var processRevision: UInt64 = 0
        @exclusivity(unchecked) var generation: UInt64 = .max
        @exclusivity(unchecked) var parent: ThreadState?
        @exclusivity(unchecked) var parentRevision: UInt64 = .max
        /// The last inet socket's tuple and its address texts.
        @exclusivity(unchecked) var tuple: FdTuple?
        @exclusivity(unchecked) var lip: String? = nil
        @exclusivity(unchecked) var rip: String? = nil
    }

    /// Creates `path` for the events of `printer`'s engine. The schema version and `metadata` (the source
    /// capture, its host) go into the footer's key-value metadata; `createdBy` names kcap and its version.
    public init(path: String, printer: EventPrinter, metadata: [(key: String, value: String)], createdBy: String,
                rowsPerGroup: Int = 1 << 17) throws(ParquetError) {
        writer = try ParquetFileWriter(
            path: path, columns: EventsTable.columns, rowsPerGroup: rowsPerGroup,
            metadata: [("kcap.schema", "events/\(EventsTable.version)")] + metadata, createdBy: createdBy)
        self.printer = printer
        c = Columns(writer.columns)
    }

    /// The scratch buffer's bytes as a string value (or null when `present` is false).
    @inline(__always)
    private func rendered(_ column: UnownedColumn, _ render: (OutputBuffer) -> Bool) {
        scratch.reset()
        if render(scratch) { column.append(bytes: scratch.bytes) } else { column.appendNull() }
    }

    /// Appends one row.
    public mutating func write(_ e: Event) throws(OutputError) {
        let row = writer.currentRow
        let names = e.engine.names
        let typeIndex = names.key(of: e)
        c.num.append(Int64(e.number))
        c.time.append(e.realtimeNs)
        c.cpu.append(Int64(e.cpu))
        repeats.types.append(to: c.type, key: typeIndex) { $0.append(bytes: e.typeNameBytes) }
        repeats.categories.append(to: c.category, key: typeIndex) { $0.append(names.category(of: e).rawValue) }
        if printer.hasResult(e) {
            let ret = e.syscall.ret
            repeats.results.append(to: c.res, key: ret < 0 && ret >= -4095 ? Int(-ret) : 0) { $0.append(printer.resultText(e)) }
            c.rawres.append(ret)
        } else {
            c.res.appendNull()
            c.rawres.append(e.isSyscall ? e.result : nil)
        }
        c.failed.append(e.failed)
        c.latency.append(e.latencyNs.map { Int64(clamping: $0) })
        c.buflen.append(e.bufferLength)
        var arguments = ArgumentColumns(fields: c.arguments, symbols: c.symbols, row: row)
        printer.visitArguments(e, scratch: argScratch, &arguments)
        c.pid.append(e.pid == 0 && !e.process.isKnown ? nil : Int64(e.pid))
        let same = last.unchanged(e)
        if !same || !c.ppid.repeatLast() { c.ppid.append(e.ppid.map { Int64($0) }) }
        if !same || !c.name.repeatLast() { c.name.append(e.procName) }
        if !same || !c.exe.repeatLast() { c.exe.append(e.exe) }
        if !same || !c.exepath.repeatLast() { c.exepath.append(e.exePath) }
        if !same || !c.cmdline.repeatLast() {
            rendered(c.cmdline) { out in
                guard let name = e.procName else { return false }
                out.append(name)
                let rest = e.process.argsText
                if !rest.isEmpty { out.append(UInt8(ascii: " ")); out.append(rest) }
                return true
            }
        }
        if !same || !c.cwd.repeatLast() {
            let cwd = e.process.cwd
            if cwd >= 0 { e.engine.paths.withBytes(cwd) { c.cwd.append(bytes: $0) } } else { c.cwd.appendNull() }
        }
        if !same || !c.uid.repeatLast() { c.uid.append(e.uid.map { Int64($0) }) }
        if !same || !c.gid.repeatLast() { c.gid.append(e.gid.map { Int64($0) }) }
        if !same || !c.container.repeatLast() { c.container.append(e.containerID) }
        parentName(e)
        c.tid.append(Int64(e.tid))
        c.fdNum.append(e.fdNumber)
        if let entry = e.fdEntry {
            repeats.fdTypes.append(to: c.fdType, key: Int(entry.kind.rawValue)) { $0.append(FdNameRenderer.typeName(entry.kind)) }
        } else {
            c.fdType.appendNull()
        }
        fdName(e)
        c.fdIno.append(e.fdInode.map { Int64(bitPattern: $0) })
        if let entry = e.fdEntry, entry.isSocket, entry.kind != .unix {
            repeats.protocols.append(to: c.l4proto, key: Int(entry.tuple.proto)) { $0.append(e.l4proto) }
        } else {
            c.l4proto.appendNull()
        }
        endpoints(e)
        let dir = e.isEntry ? Self.entryDir : Self.exitDir
        c.dir.append(bytes: UnsafeRawBufferPointer(start: dir.utf8Start, count: dir.utf8CodeUnitCount))
        do { try writer.endRow() } catch { throw .export(error.description) }
    }

    /// `fd.name`; an interned path's dictionary entry is remembered by its id, so a file read a thousand times
    /// is rendered and looked up once per row group.
    @inline(__always)
    private func fdName(_ e: Event) {
        guard let entry = e.fdEntry, entry.hasName else { return c.fdName.appendNull() }
        // What FdNameRenderer names by path (files, unix sockets with a path); inet sockets by their tuple.
        guard entry.name >= 0, !(entry.isSocket && entry.kind != .unix) else {
            return rendered(c.fdName) { printer.appendFdName(entry, to: $0); return true }
        }
        repeats.paths.append(to: c.fdName, key: Int(entry.name)) { column in
            scratch.reset()
            printer.appendFdName(entry, to: scratch)
            column.append(bytes: scratch.bytes)
        }
    }

    /// `proc.pname`: the parent is looked up again only when the process or the thread table changed, and its
    /// name (which an exec of the parent changes in place) is read each time.
    @inline(__always)
    private func parentName(_ e: Event) {
        let p = e.process, generation = e.engine.threads.generation.value
        if repeats.process !== p || repeats.processRevision != p.revision || repeats.generation != generation {
            repeats.process = p
            repeats.processRevision = p.revision
            repeats.generation = generation
            repeats.parent = e.ancestor(1).flatMap { e.engine.threads.thread($0.pid) }
            repeats.parentRevision = .max
        }
        let revision = repeats.parent?.revision ?? .max - 1
        if revision == repeats.parentRevision, c.pname.repeatLast() { return }
        repeats.parentRevision = revision
        let comm = repeats.parent?.comm
        c.pname.append(comm?.isEmpty == false ? comm : nil)
    }

    /// `fd.lip`, `fd.lport`, `fd.rip`, `fd.rport`; the addresses' text is made again only for a new tuple.
    @inline(__always)
    private func endpoints(_ e: Event) {
        guard let entry = e.inetTuple else {
            c.lip.appendNull()
            c.lport.appendNull()
            c.rip.appendNull()
            c.rport.appendNull()
            return
        }
        let t = entry.tuple
        if repeats.tuple != t {
            repeats.tuple = t
            repeats.lip = e.endpoint(local: true).flatMap { IPAddress(bytes: $0.address)?.description }
            repeats.rip = e.endpoint(local: false).flatMap { IPAddress(bytes: $0.address)?.description }
        }
        c.lip.append(repeats.lip)
        c.lport.append(Int64(t.localPort))
        c.rip.append(repeats.rip)
        c.rport.append(Int64(t.remotePort))
    }

    /// Writes the last row group and the footer.
    public mutating func finish() throws(OutputError) {
        do { try writer.close() } catch { throw .export(error.description) }
    }
}

/// The `evt.args` struct's fields receiving one event's typed arguments (`EventPrinter.visitArguments`).
struct ArgumentColumns: ArgumentVisitor {
    let fields: UnsafeMutablePointer<UnownedColumn>
    let symbols: ArgumentSymbolCache
    let row: Int

    @inline(__always)
    mutating func integer(_ key: Int, _ value: Int64) {
        fields[key].with { _ = $0.set(value, row: row) }
    }

    @inline(__always)
    mutating func string(_ key: Int, _ value: UnsafeRawBufferPointer) {
        fields[key].with { _ = $0.set(bytes: value, row: row) }
    }

    @inline(__always)
    mutating func symbol(_ key: Int, type: ParamType, raw: UInt64, render: () -> UnsafeRawBufferPointer) {
        fields[key].with { symbols.set($0, key: key, type: type, raw: raw, row: row, render: render) }
    }

    @inline(__always)
    mutating func boolean(_ key: Int, _ value: Bool) {
        fields[key].with { _ = $0.set(value ? 1 : 0, row: row) }
    }

    mutating func strings(_ key: Int, _ list: UnsafeRawBufferPointer) {
        fields[key].with { c in
            guard c.beginList(row: row) else { return }
            list.forEachNULSeparated { c.appendElement(bytes: $0) }
        }
    }
}

/// The dictionary index each `evt.args` string field gave a symbolic value (flags, a mode, a signal), by the
/// parameter's type and raw value: a small direct-mapped table per field, made when the field first meets one.
final class ArgumentSymbolCache {
    struct Entry {
        var raw: UInt64 = 0
        var type: ParamType? = nil
        var epoch: UInt32 = 0
        var index: UInt32 = 0
    }

    static let slots = 64
    private let tables: UnsafeMutablePointer<UnsafeMutablePointer<Entry>?>
    private let keys: Int

    init(keys: Int) {
        self.keys = keys
        tables = .allocate(capacity: keys)
        tables.initialize(repeating: nil, count: keys)
    }

    deinit {
        for k in 0..<keys { tables[k]?.deallocate() }
        tables.deallocate()
    }

    /// Sets `row`'s value of `column` (the field of `key`) to the text of (`type`, `raw`): by the index the
    /// column gave it before, or rendered, remembering the index.
    @inline(__always)
    func set(_ column: ParquetColumn, key: Int, type: ParamType, raw: UInt64, row: Int,
             render: () -> UnsafeRawBufferPointer) {
        let table: UnsafeMutablePointer<Entry>
        if let t = tables[key] { table = t } else {
            table = .allocate(capacity: Self.slots)
            table.initialize(repeating: Entry(), count: Self.slots)
            tables[key] = table
        }
        let slot = Int(truncatingIfNeeded: (raw &* 0xFF51_AFD7_ED55_8CCD) >> 58)
        let epoch = UInt32(truncatingIfNeeded: column.dictionaryEpoch)
        let entry = table[slot]
        if entry.raw == raw, entry.type == type, entry.epoch == epoch {
            _ = column.set(dictionaryIndex: Int(entry.index), row: row)
            return
        }
        let value = render()
        guard value.count > 0, column.set(bytes: value, row: row), let index = column.lastDictionaryIndex else { return }
        table[slot] = Entry(raw: raw, type: type, epoch: epoch, index: UInt32(truncatingIfNeeded: index))
    }
}
