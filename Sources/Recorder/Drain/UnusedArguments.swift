import CaptureFormat
import EventSchema

/// Zeroes the raw arguments a syscall does not take. The program reads all six argument registers back at
/// exit, whatever the syscall's arity, so a 3-argument call carries three registers of leftovers (stack and
/// heap addresses, counters) that nothing decodes: no field, printer or export reads past a syscall's
/// parameters (`EventTable`). They are the least compressible bytes of a record: zeroing them makes the
/// mixed benchmark's capture 3-4 bytes per event smaller (docs/recording.md, "Capture size on a mixed
/// workload"). Syscalls the table does not know keep all six. Runs on the writer thread, before the sink.
struct UnusedArguments {
    /// Arguments taken by each syscall number (6 for numbers the table lacks).
    private let arity: [UInt8]

    /// The table for `machine` (uname -m); nil for an architecture kcap has no table for (nothing is zeroed).
    init?(machine: String) {
        guard let arch = SyscallArch(machine: machine) else { return nil }
        var a = [UInt8](repeating: 6, count: 1024)
        for nr in 0..<a.count {
            if let info = EventTable.info(syscall: nr, arch: arch) {
                a[nr] = UInt8(min(EventTable.params(info, arch: arch).count, 6))
            }
        }
        arity = a
    }

    /// Zeroes, in every syscall record of `chunk`, the arguments past its syscall's arity.
    func scrub(_ chunk: inout EventChunk) {
        let hs = KcapABI.Header.size, ss = KcapABI.Syscall.size
        arity.withUnsafeBufferPointer { arity in
            chunk.withUnsafeMutableBytes { b in
                guard let base = b.baseAddress else { return }
                var o = 0
                while b.count - o >= hs {
                    let len = Int(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: o + 18, as: UInt16.self)))
                    guard len >= hs, len <= b.count - o else { return }
                    if len >= ss, UInt16(littleEndian: base.loadUnaligned(fromByteOffset: o + 16, as: UInt16.self)) == RecordType.syscall.rawValue {
                        let nr = Int(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: o + KcapABI.Syscall.nr, as: UInt16.self)))
                        if nr < arity.count {
                            for a in Int(arity[nr])..<6 {
                                base.storeBytes(of: UInt64(0), toByteOffset: o + KcapABI.Syscall.args + 8 * a, as: UInt64.self)
                            }
                        }
                    }
                    o += len
                }
            }
        }
    }
}
