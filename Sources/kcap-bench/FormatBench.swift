// `kcap-bench format ...`: capture-format throughput on synthetic syscall records (driven by
// tools/bench/format.sh, which runs lz4 on the same bytes in the same run for the ratios).
import CaptureFormat
#if canImport(Glibc)
import Glibc
#endif

enum FormatBench {
    static let usage = """
    usage: kcap-bench format gen RAWFILE MIB        write MIB MiB of raw kcap_syscall records
           kcap-bench format write RAWFILE CAPFILE  raw records -> capture (CaptureWriter)
           kcap-bench format read CAPFILE           walk every record (CaptureReader)
           kcap-bench format demo CAPFILE           a small demo capture (a few chunks, snapshot, counters)
    """

    static func run(_ args: [String]) throws -> Int32 {
        switch (args.first, args.count) {
        case ("gen", 3): try gen(path: args[1], mib: Int(args[2]) ?? 1024)
        case ("write", 3): try write(raw: args[1], out: args[2])
        case ("read", 2): try read(path: args[1])
        case ("demo", 2): try demo(path: args[1])
        default:
            fputs(usage + "\n", stderr)
            return 2
        }
        return 0
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Generates the records of an open/read/close/getppid loop (x86_64 numbers) run by four threads of two
    /// processes on two CPUs: 96-byte kcap_syscall records, openat with a 13-byte path item (120 bytes).
    struct LoopGenerator {
        var rng: UInt64 = 0x2545_F491_4F6C_DD1D
        var ts: UInt64 = 8_123_456_789_000
        var step = 0
        var record = [UInt8](repeating: 0, count: 120)

        mutating func random() -> UInt64 {
            rng ^= rng >> 12; rng ^= rng << 25; rng ^= rng >> 27
            return rng &* 0x2545_F491_4F6C_DD1D
        }

        /// Fills `record` with the next syscall; returns its length.
        mutating func next() -> Int {
            let thread = (step / 4) % 4
            let call = step % 4
            step += 1
            ts += 250 + random() % 1200
            let tid = UInt32(41_000 + thread)
            let pid = UInt32(41_000 + (thread & ~1))
            let fd = UInt64(3 + (thread & 1))
            let path = Array("/etc/hostname".utf8)
            let (nr, ret, a0, a1, a2): (UInt16, Int64, UInt64, UInt64, UInt64)
            switch call {
            case 0: (nr, ret, a0, a1, a2) = (257, Int64(fd), UInt64(bitPattern: -100), 0x55d4_c2a0_1004, 0x80000)
            case 1: (nr, ret, a0, a1, a2) = (0, 13, fd, 0x7ffd_5c3e_1a40, 4096)
            case 2: (nr, ret, a0, a1, a2) = (3, 0, fd, 0, 0)
            default: (nr, ret, a0, a1, a2) = (110, Int64(pid - 7), 0, 0, 0)
            }
            let len = call == 0 ? 120 : 96
            let latency = 150 + random() % 1800
            let ts = self.ts
            record.withUnsafeMutableBytes { p in
                for i in 0..<120 { p[i] = 0 }
                p.storeBytes(of: ts.littleEndian, toByteOffset: 0, as: UInt64.self)
                p.storeBytes(of: tid.littleEndian, toByteOffset: 8, as: UInt32.self)
                p.storeBytes(of: pid.littleEndian, toByteOffset: 12, as: UInt32.self)
                p.storeBytes(of: UInt16(1).littleEndian, toByteOffset: 16, as: UInt16.self)
                p.storeBytes(of: UInt16(len).littleEndian, toByteOffset: 18, as: UInt16.self)
                p.storeBytes(of: UInt16(thread & 1).littleEndian, toByteOffset: 20, as: UInt16.self)
                p.storeBytes(of: latency.littleEndian, toByteOffset: 24, as: UInt64.self)
                p.storeBytes(of: nr.littleEndian, toByteOffset: 32, as: UInt16.self)
                p.storeBytes(of: UInt16(call == 0 ? 1 : 0).littleEndian, toByteOffset: 34, as: UInt16.self)
                p.storeBytes(of: ret.littleEndian, toByteOffset: 40, as: Int64.self)
                p.storeBytes(of: a0.littleEndian, toByteOffset: 48, as: UInt64.self)
                p.storeBytes(of: a1.littleEndian, toByteOffset: 56, as: UInt64.self)
                p.storeBytes(of: a2.littleEndian, toByteOffset: 64, as: UInt64.self)
                if call == 0 {
                    p[96] = 1; p[97] = 1  // KCAP_ITEM_PATH for argument 1
                    p.storeBytes(of: UInt16(path.count).littleEndian, toByteOffset: 98, as: UInt16.self)
                    for (i, b) in path.enumerated() { p[100 + i] = b }
                }
            }
            return len
        }
    }

    static func writeAll(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) {
        var done = 0
        while done < n {
            let w = Glibc.write(fd, p + done, n - done)
            if w <= 0 { perror("write"); exit(1) }
            done += w
        }
    }

    static func gen(path: String, mib: Int) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { perror(path); exit(1) }
        var g = LoopGenerator()
        let target = mib << 20
        var buf = [UInt8](repeating: 0, count: 8 << 20)
        var used = 0, total = 0, records = 0
        while total < target {
            let len = g.next()
            if used + len > buf.count {
                buf.withUnsafeBytes { writeAll(fd, $0.baseAddress!, used) }
                used = 0
            }
            g.record.withUnsafeBytes { r in buf.withUnsafeMutableBytes { ($0.baseAddress! + used).copyMemory(from: r.baseAddress!, byteCount: len) } }
            used += len; total += len; records += 1
        }
        buf.withUnsafeBytes { writeAll(fd, $0.baseAddress!, used) }
        close(fd)
        print("gen: \(records) records, \(total) bytes")
    }

    static func write(raw: String, out: String) throws {
        let t0 = now()
        let fd = open(raw, O_RDONLY)
        guard fd >= 0 else { perror(raw); exit(1) }
        let writer = try CaptureWriter(path: out, header: CaptureHeader(hostname: "bench", kernelRelease: "bench",
                                                                          machine: "x86_64", cpuCount: 2))
        var chunk = EventChunk()
        let cap = 8 << 20
        let buf = UnsafeMutableRawPointer.allocate(byteCount: cap, alignment: 16)
        defer { buf.deallocate() }
        var have = 0, rawBytes = 0, records = 0
        while true {
            let n = Glibc.read(fd, buf + have, cap - have)
            if n < 0 { perror("read"); exit(1) }
            have += n
            var walker = RecordWalker(UnsafeRawBufferPointer(start: buf, count: have))
            while let record = walker.next() {
                let rec = record.bytes
                if !chunk.append(rec) {
                    try writer.write(chunk)
                    chunk.reset()
                    _ = chunk.append(rec)
                }
                records += 1; rawBytes += rec.count
            }
            let off = walker.offset
            // Keep a record cut by the read boundary for the next read.
            if off < have { (buf).copyMemory(from: buf + off, byteCount: have - off) }
            have -= off
            if n == 0 { break }
        }
        try writer.write(chunk)
        try writer.write(CaptureCounters(eventsSeen: UInt64(records), eventsWritten: UInt64(records)))
        try writer.finish()
        close(fd)
        let dt = now() - t0
        print(String(format: "write: %d records, %d raw bytes -> %llu bytes in %.3f s: %.1f MB/s raw, %.2f M records/s, ratio %.2f",
                     records, rawBytes, writer.bytesWritten, dt, Double(rawBytes) / dt / 1e6, Double(records) / dt / 1e6,
                     Double(rawBytes) / Double(writer.bytesWritten)))
    }

    static func read(path: String) throws {
        let t0 = now()
        let reader = try CaptureReader(path: path)
        var records = 0, rawBytes = 0
        var check: UInt64 = 0
        try reader.forEachBlock { block in
            guard case .events(let view) = block else { return }
            view.forEachRecord { r in
                records += 1
                rawBytes += r.length
                check = check &+ r.timestampNs ^ UInt64(r.tid)
            }
        }
        let dt = now() - t0
        print(String(format: "read: %d records, %d raw bytes in %.3f s: %.1f MB/s raw, %.2f M records/s (check %llx, problems %d)",
                     records, rawBytes, dt, Double(rawBytes) / dt / 1e6, Double(records) / dt / 1e6, check, reader.problems.count))
    }

    static func demo(path: String) throws {
        let header = CaptureHeader(abiVersion: 1, hostname: "demo", kernelRelease: "6.18.0", machine: "x86_64", cpuCount: 2,
                                   bootTimeRealtimeOffsetNs: 1_763_760_000_000_000_000, createdRealtimeNs: 1_763_768_123_000_000_000,
                                   recorder: ["command": "kcap-bench format demo", "snaplen": "80"])
        let writer = try CaptureWriter(path: path, header: header)
        try writer.write(CaptureSnapshot(timestampNs: 8_123_456_000_000, threads: [
            ThreadInfo(tid: 41_000, pid: 41_000, ppid: 1, comm: "loop", exe: "/usr/bin/loop", args: ["loop"], cwd: "/"),
        ], fds: [FdInfo(pid: 41_000, fd: 0, kind: .file, name: "/dev/null")]))
        var g = LoopGenerator()
        var chunk = EventChunk()
        for _ in 0..<40_000 {
            let len = g.next()
            let ok = g.record.withUnsafeBytes { chunk.append(UnsafeRawBufferPointer(rebasing: $0[..<len])) }
            if !ok {
                try writer.write(chunk)
                chunk.reset()
                _ = g.record.withUnsafeBytes { chunk.append(UnsafeRawBufferPointer(rebasing: $0[..<len])) }
            }
        }
        try writer.write(chunk)
        try writer.write(CaptureCounters(timestampNs: g.ts, eventsSeen: 40_010, eventsWritten: 40_000, dropRingFull: 10))
        try writer.finish()
        print("demo: wrote \(path) (\(writer.bytesWritten) bytes)")
    }
}
