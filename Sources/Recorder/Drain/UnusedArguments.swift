import EventSchema

/// The argument registers each syscall does not take, for the program's `kcap_unused_args`: the program
/// reads the six argument registers back at exit whatever the syscall's arity, so a 3-argument call would
/// carry three registers of leftovers (stack and heap addresses, counters) that nothing decodes: no field,
/// printer or export reads past a syscall's parameters (`EventTable`). They are the least compressible bytes
/// of a record: zeros there make the mixed benchmark's capture 3-4 bytes per event smaller (docs/recording.md,
/// "Capture size on a mixed workload"). The program writes the zeros as it builds the record, which costs it
/// nothing measurable, where a pass over every chunk cost the writer thread about 4 ns per event (where.sh).
struct UnusedArguments {
    /// By syscall number: how many of the six registers, counted from the last, the syscall does not take
    /// (0 for numbers the table lacks: all six are kept).
    let counts: [UInt8]

    /// The table for `machine` (uname -m); nil for an architecture kcap has no table for (nothing is zeroed).
    init?(machine: String) {
        guard let arch = SyscallArch(machine: machine) else { return nil }
        var c = [UInt8](repeating: 0, count: 1024)
        for nr in 0..<c.count {
            if let info = EventTable.info(syscall: nr, arch: arch) {
                c[nr] = UInt8(6 - min(EventTable.params(info, arch: arch).count, 6))
            }
        }
        counts = c
    }
}
