import CaptureFormat
import EventSchema

/// Per-architecture lookup from a syscall number to what the engine does with it, built once per architecture from
/// the event table's `effect`, `fdSource` and `cloexec` columns (`SyscallEffect` and `FdSource` are the
/// table's types). Flat arrays indexed by number, so the per-event path reads no table row or dictionary.
public struct SyscallEffectTable: Sendable {
    /// Largest syscall number plus one that the table indexes directly.
    public static let size = 512
    /// `effects[nr]`.
    public private(set) var effects: [SyscallEffect]
    /// `fdSources[nr]`.
    public private(set) var fdSources: [FdSource]
    /// `cloexec[nr]`: where the close-on-exec flag of the fd syscall `nr` creates comes from.
    public private(set) var cloexec: [CloexecRule]

    /// Builds the table for `machine` (uname -m: "x86_64" or "aarch64"; anything else gets x86_64's).
    public init(machine: String) {
        effects = Array(repeating: .none, count: Self.size)
        fdSources = Array(repeating: .none, count: Self.size)
        cloexec = Array(repeating: .never, count: Self.size)
        let arch = SyscallArch(machine: machine) ?? .x86_64
        for row in EventTable.all {
            // A syscall the architecture lacks has no number there and is skipped.
            guard let nr = row.number(on: arch), nr >= 0, nr < Self.size else { continue }
            effects[nr] = row.effect
            fdSources[nr] = row.fdSource
            cloexec[nr] = row.cloexec
        }
    }

    private static let x86_64 = SyscallEffectTable(machine: "x86_64")
    private static let aarch64 = SyscallEffectTable(machine: "aarch64")

    /// The table of `machine`, built once per architecture on first use (Swift's lazy statics are thread-safe):
    /// building it walks the whole event table, which cost a small capture's replay more than its records did.
    public static func shared(machine: String) -> SyscallEffectTable {
        SyscallArch(machine: machine) == .aarch64 ? aarch64 : x86_64
    }

    /// True when the fd that syscall `nr` created is close-on-exec, by its row's rule.
    @inline(__always) func isCloexec(_ nr: Int, _ record: SyscallRecord) -> Bool {
        guard nr >= 0, nr < Self.size else { return false }
        return cloexec[nr].isCloexec { record.arg($0) }
    }

    /// Effect of syscall `nr`.
    @inline(__always) public func effect(_ nr: UInt16) -> SyscallEffect {
        Int(nr) < Self.size ? effects[Int(nr)] : .none
    }

    /// Fd source of syscall `nr`.
    @inline(__always) public func fdSource(_ nr: UInt16) -> FdSource {
        Int(nr) < Self.size ? fdSources[Int(nr)] : .none
    }

    /// Number of `name` on `machine`, or nil when absent.
    public static func number(of name: String, machine: String) -> Int? {
        EventTable.info(named: name)?.number(on: SyscallArch(machine: machine) ?? .x86_64)
    }
}
