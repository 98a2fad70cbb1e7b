import EventSchema

/// `evt.type` names and event table rows by syscall number for one architecture, names kept as UTF-8 bytes so
/// printers copy them without making strings.
public final class EventTypeNames: @unchecked Sendable {
    // Immutable after init, which is what lets one instance per arch be shared (`shared(machine:)`).
    private let storage: [UInt8]
    private let ranges: [Range<Int>]
    private let strings: [String]
    private let forkIndex: Int, execIndex: Int, exitIndex: Int, signalIndex: Int, unknownIndex: Int
    /// Syscall records with a number from here on carry an event of another recorder that kcap's table has no
    /// row for (a sysdig capture's `switch`, `signaldeliver`, or a syscall kcap does not name): number
    /// `foreignBase + ppm event id`. No syscall table reaches it, so no effect or row applies.
    public static let foreignBase = 1024

    /// The `evt.type` codes of the foreign events called `name` (every ppm id with that name, both directions).
    public static func foreignCodes(named name: String) -> [Int64] {
        ForeignEventNames.shared.ids(named: name).map { Int64(foreignBase + $0) }
    }
    /// A stable copy of `storage`, so name bytes can be handed out without a closure.
    private let stable: UnsafeMutableRawBufferPointer
    /// Event table row per syscall number (nil: unknown to the table).
    private let infos: [EventInfo?]
    /// Category and flags per type index: what `evt.category`, `evt.is_io_read` and `evt.buflen` read for
    /// every event, without copying a table row (a row copy retains its strings and arrays).
    private let traits: UnsafeMutablePointer<(category: EventCategory, flags: EventFlags)>

    /// Names for `machine`; `lookup(nr)` gives the name of a syscall number or nil (printed `syscall_NR`), and
    /// `info(nr)` its event table row (nil: none).
    public init(size: Int = SyscallEffectTable.size, lookup: (Int) -> String?, info: (Int) -> EventInfo? = { _ in nil }) {
        var storage: [UInt8] = [], ranges: [Range<Int>] = [], strings: [String] = []
        for nr in 0..<size { Self.add(lookup(nr) ?? "syscall_\(nr)", &storage, &ranges, &strings) }
        forkIndex = ranges.count; Self.add("procfork", &storage, &ranges, &strings)
        execIndex = ranges.count; Self.add("procexec", &storage, &ranges, &strings)
        exitIndex = ranges.count; Self.add("procexit", &storage, &ranges, &strings)
        signalIndex = ranges.count; Self.add("signaldeliver", &storage, &ranges, &strings)
        unknownIndex = ranges.count; Self.add("unknown", &storage, &ranges, &strings)
        (self.storage, self.ranges, self.strings) = (storage, ranges, strings)
        infos = (0..<size).map(info)
        let count = ranges.count
        traits = .allocate(capacity: count)
        traits.initialize(repeating: (.other, []), count: count)
        for (nr, row) in infos.enumerated() { if let row { traits[nr] = (row.category, row.flags) } }
        for (i, row) in zip([forkIndex, execIndex, exitIndex, signalIndex], EventTable.processEvents) { traits[i] = (row.category, row.flags) }
        stable = UnsafeMutableRawBufferPointer.allocate(byteCount: storage.count, alignment: 8)
        stable.copyBytes(from: storage)
    }

    deinit {
        stable.deallocate()
        traits.deallocate()
    }

    /// Names from the schema's event table for `machine`; numbers it does not know print as `syscall_NR`.
    public convenience init(machine: String) {
        self.init(arch: SyscallArch(machine: machine) ?? .x86_64)
    }

    private convenience init(arch: SyscallArch) {
        self.init(lookup: { EventTable.info(syscall: $0, arch: arch)?.name },
                  info: { EventTable.info(syscall: $0, arch: arch) })
    }

    private static let x86_64 = EventTypeNames(arch: .x86_64)
    private static let aarch64 = EventTypeNames(arch: .aarch64)

    /// The names for `machine`, built once per process and shared by every engine (nothing changes them after
    /// init): building them for each capture opened was a tenth of the time of replaying a small one.
    public static func shared(machine: String) -> EventTypeNames {
        switch SyscallArch(machine: machine) ?? .x86_64 {
        case .x86_64: return x86_64
        case .aarch64: return aarch64
        }
    }

    private static func add(_ s: String, _ storage: inout [UInt8], _ ranges: inout [Range<Int>], _ strings: inout [String]) {
        let start = storage.count
        storage.append(contentsOf: Array(s.utf8))
        ranges.append(start..<storage.count)
        strings.append(s)
    }

    /// The index of `event`'s own name, or -1 for a syscall number at or past `forkIndex` (foreign or unknown).
    @inline(__always)
    private func ownIndex(of event: Event) -> Int {
        switch event.kind {
        case .syscall:
            let nr = Int(event.syscall.nr)
            return nr < forkIndex ? nr : -1
        case .procfork: return forkIndex
        case .procexec: return execIndex
        case .procexit: return exitIndex
        case .signal: return signalIndex
        }
    }

    /// The name of `event`'s type as bytes (valid while this object lives).
    @inline(__always)
    public func nameBytes(of event: Event) -> UnsafeRawBufferPointer {
        let i = ownIndex(of: event)
        if i < 0, let foreign = ForeignEventNames.shared.nameBytes(Int(event.syscall.nr) - Self.foreignBase) { return foreign }
        return UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(stable)[ranges[i < 0 ? unknownIndex : i]])
    }

    /// A small non-negative key per event type, equal for two events exactly when their names are: kcap's own
    /// names first (syscall numbers, then the process events and `unknown`), then a foreign event's ppm id
    /// past them. Sinks use it to cache what they render once per type.
    @inline(__always)
    public func key(of event: Event) -> Int {
        let i = ownIndex(of: event)
        if i >= 0 { return i }
        let id = Int(event.syscall.nr) - Self.foreignBase
        return ForeignEventNames.shared.nameBytes(id) != nil ? ranges.count + id : unknownIndex
    }

    /// The category of `event`'s type (`other` for a type the table has no row for, foreign ones included).
    @inline(__always)
    public func category(of event: Event) -> EventCategory {
        let i = ownIndex(of: event)
        return i < 0 ? .other : traits[i].category
    }

    /// The flags of `event`'s type (none for a type the table has no row for, foreign ones included).
    @inline(__always)
    public func flags(of event: Event) -> EventFlags {
        let i = ownIndex(of: event)
        return i < 0 ? [] : traits[i].flags
    }

    /// The event table row of `event`'s type, or nil for an unknown syscall.
    @inline(__always)
    public func info(of event: Event) -> EventInfo? {
        switch event.kind {
        case .syscall:
            let nr = Int(event.syscall.nr)
            return nr < infos.count ? infos[nr] : nil
        case .procfork: return EventTable.processEvents[0]
        case .procexec: return EventTable.processEvents[1]
        case .procexit: return EventTable.processEvents[2]
        case .signal: return EventTable.processEvents[3]
        }
    }

    /// The name of `event`'s type.
    public func name(of event: Event) -> String {
        let i = ownIndex(of: event)
        if i < 0 { return ForeignEventNames.shared.name(Int(event.syscall.nr) - Self.foreignBase) ?? strings[unknownIndex] }
        return strings[i]
    }

    /// The name of syscall `nr`.
    public func syscallName(_ nr: Int) -> String {
        if nr >= 0 && nr < forkIndex { return strings[nr] }
        return ForeignEventNames.shared.name(nr - Self.foreignBase) ?? "syscall_\(nr)"
    }
}
