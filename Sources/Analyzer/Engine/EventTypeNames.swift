/// `evt.type` names by syscall number for one architecture, kept as UTF-8 bytes so printers copy them
/// without making strings.
public final class EventTypeNames {
    private var storage: [UInt8] = []
    private var ranges: [Range<Int>] = []
    private var strings: [String] = []
    private let forkIndex: Int, execIndex: Int, exitIndex: Int, unknownIndex: Int
    /// A stable copy of `storage`, so name bytes can be handed out without a closure.
    private let stable: UnsafeMutableRawBufferPointer

    /// Names for `machine`; `lookup(nr)` gives the name of a syscall number or nil (printed `syscall_NR`).
    public init(size: Int = SyscallEffectTable.size, lookup: (Int) -> String?) {
        for nr in 0..<size { Self.add(lookup(nr) ?? "syscall_\(nr)", &storage, &ranges, &strings) }
        forkIndex = ranges.count; Self.add("procfork", &storage, &ranges, &strings)
        execIndex = ranges.count; Self.add("procexec", &storage, &ranges, &strings)
        exitIndex = ranges.count; Self.add("procexit", &storage, &ranges, &strings)
        unknownIndex = ranges.count; Self.add("unknown", &storage, &ranges, &strings)
        stable = UnsafeMutableRawBufferPointer.allocate(byteCount: storage.count, alignment: 8)
        stable.copyBytes(from: storage)
    }

    deinit { stable.deallocate() }

    /// Names from the schema's event table for `machine`; numbers it does not know print as `syscall_NR`.
    public convenience init(machine: String) {
        let arch = SyscallArch(machine: machine) ?? .x86_64
        self.init { EventTable.info(syscall: $0, arch: arch)?.name }
    }

    /// Names from the engine's own short syscall list (tests of the engine without the schema).
    public convenience init(engineListFor machine: String) {
        var byNumber: [Int: String] = [:]
        let arm = machine == "aarch64" || machine == "arm64"
        for e in SyscallEffectTable.entries {
            let nr = arm ? e.aarch64 : e.x86_64
            if nr >= 0 { byNumber[nr] = e.name }
        }
        for (name, x, a) in Self.extra {
            let nr = arm ? a : x
            if nr >= 0, byNumber[nr] == nil { byNumber[nr] = name }
        }
        self.init { byNumber[$0] }
    }

    /// Common syscalls without engine effects, so output is readable before the schema table is wired.
    static let extra: [(String, Int, Int)] = [
        ("getppid", 110, 173), ("getpid", 39, 172), ("stat", 4, -1), ("lstat", 6, -1), ("poll", 7, -1),
        ("mmap", 9, 222), ("mprotect", 10, 226), ("munmap", 11, 215), ("brk", 12, 214), ("access", 21, -1),
        ("nanosleep", 35, 101), ("getuid", 102, 174), ("rename", 82, -1), ("renameat", 264, 38),
        ("renameat2", 316, 276), ("unlink", 87, -1), ("unlinkat", 263, 35), ("mkdir", 83, -1),
        ("mkdirat", 258, 34), ("rmdir", 84, -1), ("newfstatat", 262, 79), ("statx", 332, 291),
        ("kill", 62, 129), ("tgkill", 234, 131), ("exit", 60, 93), ("exit_group", 231, 94),
        ("wait4", 61, 260), ("futex", 202, 98), ("clock_gettime", 228, 113), ("rt_sigaction", 13, 134),
        ("rt_sigprocmask", 14, 135), ("select", 23, -1), ("getcwd", 79, 17), ("readlink", 89, -1),
        ("faccessat", 269, 48), ("getrandom", 318, 278), ("set_robust_list", 273, 99), ("prlimit64", 302, 261),
    ]

    private static func add(_ s: String, _ storage: inout [UInt8], _ ranges: inout [Range<Int>], _ strings: inout [String]) {
        let start = storage.count
        storage.append(contentsOf: Array(s.utf8))
        ranges.append(start..<storage.count)
        strings.append(s)
    }

    @inline(__always)
    private func index(of event: Event) -> Int {
        switch event.kind {
        case .syscall:
            let nr = Int(event.record.nr)
            return nr < forkIndex ? nr : unknownIndex
        case .procfork: return forkIndex
        case .procexec: return execIndex
        case .procexit: return exitIndex
        }
    }

    /// The name of `event`'s type as bytes (valid while this object lives).
    @inline(__always)
    public func nameBytes(of event: Event) -> UnsafeRawBufferPointer {
        let r = ranges[index(of: event)]
        return UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(stable)[r])
    }

    /// The name of `event`'s type.
    public func name(of event: Event) -> String { strings[index(of: event)] }

    /// The name of syscall `nr`.
    public func syscallName(_ nr: Int) -> String { nr >= 0 && nr < forkIndex ? strings[nr] : "syscall_\(nr)" }
}
