import CKcapABI
import CLibBPF
import Glibc

/// The kcap BPF program in the kernel: opened from the embedded object, configured, loaded and attached,
/// following libbpf-bootstrap's order (open, set rodata, load, attach), each failure naming its step.
final class KcapProbe {
    /// The tracepoints the programs attach to, by program name.
    static let programs: [(name: String, tracepoint: String)] = [
        ("kcap_sys_enter", "sys_enter"), ("kcap_sys_exit", "sys_exit"), ("kcap_proc_fork", "sched_process_fork"),
        ("kcap_proc_exec", "sched_process_exec"), ("kcap_proc_exit", "sched_process_exit"),
        ("kcap_sched_switch", "sched_switch"), ("kcap_signal", "signal_deliver"),
    ]

    /// What a recording lacks without the program on `tracepoint` (for warnings and `kcap doctor`).
    static func loss(without tracepoint: String) -> String {
        switch tracepoint {
        case "sys_enter": return "syscalls will have no latency"
        case "sched_switch": return "syscalls that block will have no latency"
        case "signal_deliver": return "signal deliveries will be missing"
        default: return "those events will be missing"
        }
    }

    /// The empty programs on sys_enter/sys_exit: the floor of any syscall recorder, for benchmarks.
    static let floorPrograms = ["kcap_empty_enter", "kcap_empty_exit"]

    let object: BPFObject
    /// The per-CPU record buffers, their positions, and the ring that only carries wakeups.
    let buffer: BPFMap
    let positions: BPFMap
    let wake: BPFMap
    /// Possible CPUs (one buffer each) and the record bytes of each buffer.
    let cpus: Int
    let bufferSizePerCPU: Int
    let counters: BPFMap
    let traced: BPFMap
    /// tid -> entry time of threads that left their CPU inside a syscall (for snapshots).
    let entered: BPFMap
    /// Warnings for the user (programs switched off because the kernel lacks their tracepoint).
    private(set) var warnings: [String] = []
    /// The programs that are loaded and will be attached.
    private(set) var activePrograms: [String] = []

    /// Opens, configures and loads the program; nothing is attached yet.
    init(options: ProbeOptions, bytes: UnsafeRawBufferPointer) throws {
        // 1. open
        object = try BPFObject(elf: bytes, name: "kcap")
        buffer = try object.requireMap("kcap_buf")
        positions = try object.requireMap("kcap_pos")
        wake = try object.requireMap("kcap_wake")
        counters = try object.requireMap("kcap_counters")
        traced = try object.requireMap("kcap_traced")
        entered = try object.requireMap("kcap_entered")
        let syscalls = try object.requireMap("kcap_syscalls")

        // 2. switch off programs whose tracepoint this kernel lacks
        let byName = Dictionary(uniqueKeysWithValues: object.programs.map { ($0.name, $0) })
        let missing = Set(KernelFeatures.missingTracepoints(KcapProbe.programs.map { $0.tracepoint }) ?? [])
            .union(options.treatAsMissing)
        for (name, tp) in KcapProbe.programs {
            guard let prog = byName[name] else {
                warnings.append("the BPF object has no program \(name); \(KcapProbe.loss(without: tp))")
                continue
            }
            if missing.contains(prog.attachTarget) || missing.contains(tp) {
                prog.autoload = false
                warnings.append("this kernel has no tracepoint \(tp); \(name) switched off, \(KcapProbe.loss(without: tp))")
            } else {
                activePrograms.append(name)
            }
        }
        if !activePrograms.contains("kcap_sys_exit") {
            throw RecorderError(step: "check tracepoints", object: "sys_exit", errno: ENOENT,
                                hint: "this kernel cannot trace syscalls with tp_btf (needs BTF, Linux >= 5.5); run `kcap doctor`")
        }
        if options.loadFloorPrograms {
            for name in KcapProbe.floorPrograms {
                guard let p = byName[name] else {
                    throw RecorderError(step: "find program", object: name, errno: ENOENT, hint: "this kcap build has no benchmark floor programs")
                }
                p.autoload = true
            }
        }

        // 3. set rodata and sizes
        var comm: [UInt8] = []
        if let c = options.comm { comm = Array(c.utf8.prefix(15)) + [0] }
        cpus = KernelFeatures.possibleCPUs
        bufferSizePerCPU = CPUBuffers.perCPUSize(bufferSize: options.bufferSize, cpus: cpus)
        try object.setRodata([
            "kcap_self_tgid": .integer(UInt64(getpid())),
            "kcap_buf_mask": .integer(UInt64(bufferSizePerCPU - 1)),
            "kcap_snaplen": .integer(UInt64(options.snaplen)),
            "kcap_wakeup_bytes": .integer(UInt64(bufferSizePerCPU / 4)),
            "kcap_filter_pids": .integer(options.pids.isEmpty && !options.followTraced ? 0 : 1),
            "kcap_filter_comm": .integer(options.comm == nil ? 0 : 1),
            "kcap_comm": .bytes(comm),
            "kcap_env": .integer(options.environment ? 1 : 0),
            "kcap_unused_args": .bytes(UnusedArguments(machine: Doctor.machineName())?.counts ?? []),
        ])
        try buffer.setValueSize(UInt32(CPUBuffers.valueSize(forSize: bufferSizePerCPU)))
        try buffer.setMaxEntries(UInt32(cpus))
        try positions.setMaxEntries(UInt32(cpus))

        // 4. load
        try object.load()

        // 5. fill the maps the programs read
        let words = Int(syscalls.maxEntries)
        for i in 0..<words {
            let w: UInt64 = i < options.events.words.count ? options.events.words[i] : 0
            try syscalls.update(key: UInt32(i), value: w)
        }
        for pid in options.pids { try trace(pid: pid) }
    }

    /// Adds a process (and, through the program's fork handler, its future children) to the traced set.
    func trace(pid: Int32) throws {
        try traced.update(key: UInt32(bitPattern: pid), value: UInt8(1))
    }

    /// The entry time (boot ns) of the syscall thread `tid` is blocked in, when the program saw it enter.
    func enteredAt(tid: UInt32) -> UInt64? {
        var ts: UInt64 = 0
        return entered.lookup(key: tid, into: &ts) ? ts : nil
    }

    /// The processes the kernel side currently follows.
    func tracedPids() -> [Int32] { traced.keysUInt32().map { Int32(bitPattern: $0) } }

    /// 6. attach every loaded program (with `floor`: only the empty ones, loaded by `loadFloorPrograms`).
    func attach(floor: Bool = false) throws {
        let byName = Dictionary(uniqueKeysWithValues: object.programs.map { ($0.name, $0) })
        for name in floor ? KcapProbe.floorPrograms : activePrograms {
            guard let p = byName[name] else { continue }
            try object.attach(p)
        }
    }

    /// Detaches every program: the kernel makes no more records.
    func detach() { object.detachAll() }

    /// For a benchmark phase: detaches everything, then attaches what `setting` names (the floor needs
    /// `loadFloorPrograms`).
    func switchAttachment(to setting: BenchAttachment) throws {
        detach()
        switch setting {
        case .nothing: break
        case .floor: try attach(floor: true)
        case .recorder: try attach()
        }
    }

    /// The record buffers, mapped into this process (after load).
    func mapBuffers() throws -> CPUBuffers {
        try CPUBuffers(buf: buffer, pos: positions, cpus: cpus, size: bufferSizePerCPU)
    }

    /// The per-CPU counters summed over CPUs: seen, written, ring full, too large, read failures.
    func readCounters() -> (seen: UInt64, written: UInt64, ringFull: UInt64, tooLarge: UInt64, readFail: UInt64) {
        let cpus = KernelFeatures.possibleCPUs
        // A per-CPU lookup returns one value per possible CPU, each rounded up to 8 bytes: kcap_counters is all
        // u64 (bpf/kcap_abi.h asserts its size), so an array of them is that layout.
        let values = UnsafeMutablePointer<kcap_counters>.allocate(capacity: cpus)
        defer { values.deallocate() }
        values.initialize(repeating: kcap_counters(), count: cpus)
        guard counters.lookup(key: UInt32(0), into: UnsafeMutableRawPointer(values)) else { return (0, 0, 0, 0, 0) }
        var t = kcap_counters()
        for c in UnsafeBufferPointer(start: values, count: cpus) {
            t.seen &+= c.seen
            t.written &+= c.written
            t.drop_ring_full &+= c.drop_ring_full
            t.drop_too_large &+= c.drop_too_large
            t.drop_read_fail &+= c.drop_read_fail
        }
        return (UInt64(t.seen), UInt64(t.written), UInt64(t.drop_ring_full), UInt64(t.drop_too_large), UInt64(t.drop_read_fail))
    }
}
