import CaptureFormat
import EventSchema

/// Captures made from synthetic records with the real `CaptureWriter`: golden-test fixtures that exercise
/// every syscall family the engine tracks, and the large open/read/close/getppid loop the read benchmark
/// replays. Deterministic: the same arguments give the same file.
public enum SyntheticCapture {
    typealias B = RecordBuilder

    /// Host facts of every synthetic capture (x86_64 numbering, a fixed clock).
    public static func header(recorder: [String: String] = [:]) -> CaptureHeader {
        CaptureHeader(abiVersion: 1, hostname: "synthetic", kernelRelease: "6.18.0-synthetic", machine: "x86_64",
                      cpuCount: 2, bootTimeRealtimeOffsetNs: 1_795_000_000_000_000_000, createdRealtimeNs: 1_795_000_001_000_000_000,
                      recorder: recorder.isEmpty ? ["command": "synthetic"] : recorder)
    }

    public static func nr(_ name: String) -> Int {
        EventTable.info(named: name)!.number(on: .x86_64)!
    }

    /// Writes a small capture that walks every family: open/close, dup, pipe, socket/connect/accept, fork,
    /// clone, exec, exit, chdir, rename, failures, a resync snapshot and drop counters.
    public static func writeFamilies(path: String) throws {
        let w = try CaptureWriter(path: path, header: header(recorder: ["command": "synthetic families"]))
        var ts: UInt64 = 1_000_000_000
        try w.write(CaptureCounters(timestampNs: ts))
        try w.write(CaptureSnapshot(timestampNs: ts, threads: [
            ThreadInfo(tid: 1, pid: 1, ppid: 0, uid: 0, gid: 0, startTimeNs: 1, comm: "init", exe: "/sbin/init", args: ["/sbin/init"], cwd: "/"),
            ThreadInfo(tid: 100, pid: 100, ppid: 1, uid: 1000, gid: 1000, startTimeNs: 500, comm: "app", exe: "/usr/bin/app",
                       args: ["app", "--serve"], cwd: "/etc"),
            ThreadInfo(tid: 101, pid: 100, ppid: 1, uid: 1000, gid: 1000, startTimeNs: 600, comm: "app-worker", exe: "/usr/bin/app",
                       args: ["app", "--serve"], cwd: "/etc"),
        ], fds: [
            FdInfo(pid: 100, fd: 0, kind: .file, openFlags: 0, name: "/dev/null"),
            FdInfo(pid: 100, fd: 1, kind: .pipe, name: "pipe:[4242]"),
            FdInfo(pid: 100, fd: 2, kind: .file, openFlags: 1, name: "/var/log/app.log", inode: 31337),
        ], users: [0: "root", 1000: "app"], groups: [0: "root", 1000: "app"]))
        var records: [[UInt8]] = []
        func sys(_ name: String, tid: UInt32 = 100, pid: UInt32 = 100, cpu: UInt16 = 0, ret: Int64, _ args: [Int64] = [],
                 items: [B.ItemSpec] = [], latency: UInt64 = 1500) {
            ts += 1_000
            records.append(B.syscall(ts: ts, tid: tid, pid: pid, cpu: cpu, nr: nr(name), ret: ret,
                                     args: args.map { B.arg($0) }, latencyNs: latency, items: items))
        }
        // files
        sys("openat", ret: 3, [-100, 0, 0o2000000, 0], items: [.path("hosts", arg: 1)])
        sys("read", ret: 27, [3, 0x7000, 4096], items: [.data(Array("127.0.0.1 localhost\n::1 ip6".utf8), arg: 1)])
        sys("close", ret: 0, [3])
        sys("openat", ret: -2, [-100, 0, 0, 0], items: [.path("/nonexistent/file", arg: 1)])
        sys("open", ret: 3, [0, 0o1101, 0o644], items: [.path("/tmp/out.txt", arg: 0),
                                                        .inode(4711, dev: 8 << 20 | 1, mode: 0o100644, uid: 1000, gid: 1000)])
        sys("write", ret: 6, [3, 0x7100, 6], items: [.data(Array("hello\n".utf8), arg: 1)])
        sys("dup2", ret: 1, [3, 1])
        sys("fcntl", ret: 10, [3, 1030, 10])
        sys("dup", ret: 4, [3])
        sys("close_range", ret: 0, [3, 4, 0])
        sys("rename", ret: 0, [0, 0], items: [.path("/tmp/out.txt", arg: 0), .path("/tmp/final.txt", arg: 1)])
        sys("chdir", ret: 0, [0], items: [.path("/var/lib/app", arg: 0)])
        sys("openat", ret: 5, [-100, 0o200000, 0, 0], items: [.path("data", arg: 1)])
        sys("openat", ret: 6, [5, 0o2, 0, 0], items: [.path("../state/db", arg: 1)])
        // pipes and anonymous fds
        sys("pipe2", ret: 0, [0x7200, 0o2000000], items: [.fdPair(7, 8, arg: 0)])
        sys("eventfd2", ret: 9, [0, 0o2000000])
        sys("epoll_create1", ret: 11, [0o2000000])
        // network, client side (thread 101)
        sys("socket", tid: 101, cpu: 1, ret: 12, [2, 1, 0])
        sys("connect", tid: 101, cpu: 1, ret: 0, [12, 0x7300, 16], items: [
            .sockaddrIn("93.184.216.34", 443, arg: 1),
            .tuple(local: "10.0.0.5", localPort: 51234, remote: "93.184.216.34", remotePort: 443),
        ], latency: 25_000_000)
        sys("sendto", tid: 101, cpu: 1, ret: 18, [12, 0x7400, 18, 0, 0, 0], items: [.data(Array("GET / HTTP/1.1\r\n\r\n".utf8), arg: 1)])
        sys("socket", tid: 101, cpu: 1, ret: 13, [1, 1 | 0o2000000, 0])
        sys("connect", tid: 101, cpu: 1, ret: -111, [13, 0x7500, 110], items: [.sockaddrUn("/run/missing.sock", arg: 1)])
        // network, server side
        sys("socket", ret: 14, [10, 1, 0])
        sys("bind", ret: 0, [14, 0x7600, 28])
        sys("listen", ret: 0, [14, 128], items: [
            .tuple(family: 10, local: "0.0.0.0", localPort: 8080, remote: "0.0.0.0", remotePort: 0),
        ])
        sys("socket", ret: 15, [2, 1, 0])
        sys("bind", ret: 0, [15, 0x7600, 16], items: [.sockaddrIn("0.0.0.0", 8081, arg: 1)])
        sys("accept4", ret: 16, [15, 0x7700, 0x7710, 0o2000000], items: [
            .sockaddrIn("192.168.1.20", 40001, arg: 1),
            .tuple(local: "192.168.1.2", localPort: 8081, remote: "192.168.1.20", remotePort: 40001),
        ])
        sys("read", ret: 5, [16, 0x7800, 100], items: [.data(Array("ping\n".utf8), arg: 1)])
        sys("close", ret: 0, [16])
        // an event of a thread the capture never saw, and an unknown syscall
        sys("getppid", tid: 777, pid: 777, cpu: 1, ret: 1)
        ts += 1000
        records.append(B.syscall(ts: ts, tid: 100, pid: 100, nr: 511, ret: -38, args: [1, 2, 3, 4, 5, 6]))
        // fork + exec + exit of a child, a thread via clone
        ts += 1000
        records.append(B.fork(ts: ts, parentTid: 100, parentPid: 100, childTid: 200, childPid: 200, comm: "app"))
        sys("clone", ret: 200, [17, 0, 0, 0, 0])
        sys("clone", tid: 200, pid: 200, cpu: 1, ret: 0, [17, 0, 0, 0, 0])
        sys("close", tid: 200, pid: 200, cpu: 1, ret: 0, [7])
        ts += 1000
        records.append(B.exec(ts: ts, tid: 200, pid: 200, ppid: 100, uid: 1000, gid: 1000, comm: "cat",
                              path: "/usr/bin/cat", argv: ["cat", "/etc/hostname"], cpu: 1))
        sys("execve", tid: 200, pid: 200, cpu: 1, ret: 0, [0x7900, 0x7910, 0x7920], items: [.path("/usr/bin/cat", arg: 0)], latency: 400_000)
        sys("read", tid: 200, pid: 200, cpu: 1, ret: 0, [8, 0x7a00, 4096])
        sys("openat", tid: 200, pid: 200, cpu: 1, ret: 3, [-100, 0, 0, 0], items: [.path("/etc/hostname", arg: 1)])
        sys("write", tid: 200, pid: 200, cpu: 1, ret: 10, [1, 0x7b00, 10], items: [.data(Array("synthetic\n".utf8), arg: 1)])
        ts += 1000
        records.append(B.exit(ts: ts, tid: 200, pid: 200, code: 0, groupDead: true, cpu: 1))
        ts += 1000
        records.append(B.fork(ts: ts, parentTid: 100, parentPid: 100, childTid: 102, childPid: 100, comm: "app-io"))
        sys("clone", ret: 102, [0x3d0f00, 0, 0, 0, 0])
        sys("write", tid: 102, cpu: 1, ret: -32, [12, 0x7c00, 4], items: [])
        ts += 1000
        records.append(B.exit(ts: ts, tid: 102, pid: 100, code: 9, groupDead: false, cpu: 1))
        try writeChunks(w, records)
        try w.write(CaptureCounters(timestampNs: ts + 1, eventsSeen: UInt64(records.count) + 3,
                                          eventsWritten: UInt64(records.count), dropRingFull: 3))
        // A later snapshot: thread 101 ended unseen, so resync drops it; fd 12 is kept, 14 goes.
        ts += 1_000_000
        try w.write(CaptureSnapshot(timestampNs: ts, threads: [
            ThreadInfo(tid: 1, pid: 1, ppid: 0, startTimeNs: 1, comm: "init", exe: "/sbin/init", args: ["/sbin/init"], cwd: "/"),
            ThreadInfo(tid: 100, pid: 100, ppid: 1, uid: 1000, gid: 1000, startTimeNs: 500, comm: "app", exe: "/usr/bin/app",
                       args: ["app", "--serve"], cwd: "/var/lib/app"),
        ], fds: [
            FdInfo(pid: 100, fd: 12, kind: .ipv4, name: "10.0.0.5:51234->93.184.216.34:443",
                   socket: SocketTuple(family: 2, proto: 6, localAddress: [10, 0, 0, 5], localPort: 51234,
                                       remoteAddress: [93, 184, 216, 34], remotePort: 443)),
        ]))
        records = []
        sys("write", ret: 4, [12, 0x7d00, 4], items: [.data(Array("bye\n".utf8), arg: 1)])
        sys("close", ret: 0, [14])
        sys("getppid", tid: 101, ret: 1)
        try writeChunks(w, records)
        try w.write(CaptureCounters(timestampNs: ts + 10_000, eventsSeen: 60, eventsWritten: 57, dropRingFull: 3))
        try w.finish()
    }

    static func writeChunks(_ w: CaptureWriter, _ records: [[UInt8]], capacity: Int = 1 << 20) throws {
        var chunk = EventChunk(capacity: capacity)
        for r in records {
            let ok = r.withUnsafeBytes { chunk.append($0) }
            if !ok {
                try w.write(chunk)
                chunk.reset()
                _ = r.withUnsafeBytes { chunk.append($0) }
            }
        }
        if !chunk.isEmpty { try w.write(chunk) }
    }

    /// Writes `events` records shaped like the open/read/close/getppid loop of one process (openat of
    /// /etc/hostname, a 13-byte read with its data, close, getppid), with a start snapshot and a snapshot every
    /// `snapshotEvery` events, like a recorder would.
    public static func writeLoop(path: String, events: Int, snapshotEvery: Int = 4_000_000) throws {
        let w = try CaptureWriter(path: path, header: header(recorder: ["command": "synthetic loop"]))
        let threads = [ThreadInfo(tid: 4242, pid: 4242, ppid: 1, uid: 0, gid: 0, startTimeNs: 1, comm: "loop",
                                  exe: "/usr/local/bin/loop", args: ["loop"], cwd: "/root")]
        var ts: UInt64 = 5_000_000_000
        try w.write(CaptureSnapshot(timestampNs: ts, threads: threads))
        let templates: [[UInt8]] = [
            B.syscall(ts: 0, tid: 4242, pid: 4242, nr: nr("openat"), ret: 3, args: [B.arg(-100), 0x5000, 0, 0],
                      latencyNs: 1800, items: [.path("/etc/hostname", arg: 1)]),
            B.syscall(ts: 0, tid: 4242, pid: 4242, nr: nr("read"), ret: 13, args: [3, 0x6000, 4096],
                      latencyNs: 900, items: [.data(Array("loop-machine\n".utf8), arg: 1)]),
            B.syscall(ts: 0, tid: 4242, pid: 4242, nr: nr("close"), ret: 0, args: [3], latencyNs: 400),
            B.syscall(ts: 0, tid: 4242, pid: 4242, nr: nr("getppid"), ret: 1, latencyNs: 150),
        ]
        var chunk = EventChunk()
        var scratch = [UInt8](repeating: 0, count: 256)
        for i in 0..<events {
            let t = templates[i & 3]
            ts += 300 + UInt64(i % 7) * 20
            for j in 0..<t.count { scratch[j] = t[j] }
            withUnsafeBytes(of: ts.littleEndian) { for k in 0..<8 { scratch[k] = $0[k] } }
            scratch[20] = UInt8(i / 50_000 & 1) // cpu moves now and then
            let lat = UInt64(t.count > 0 ? 100 + (i % 13) * 37 : 0)
            withUnsafeBytes(of: lat.littleEndian) { for k in 0..<8 { scratch[24 + k] = $0[k] } }
            let ok = scratch.withUnsafeBytes { chunk.append(UnsafeRawBufferPointer(rebasing: $0[0..<t.count])) }
            if !ok {
                try w.write(chunk)
                chunk.reset()
                _ = scratch.withUnsafeBytes { chunk.append(UnsafeRawBufferPointer(rebasing: $0[0..<t.count])) }
            }
            if i > 0, i % snapshotEvery == 0 {
                if !chunk.isEmpty { try w.write(chunk); chunk.reset() }
                try w.write(CaptureSnapshot(timestampNs: ts, threads: threads,
                                            fds: []))
            }
        }
        if !chunk.isEmpty { try w.write(chunk) }
        try w.write(CaptureCounters(timestampNs: ts, eventsSeen: UInt64(events), eventsWritten: UInt64(events)))
        try w.finish()
    }

    /// Writes `events` records of a busy mixed machine, for the report benchmark's size and speed figures:
    /// 24 long-lived servers (nginx, postgres, java, node, redis, python3) opening, reading, writing and
    /// closing files from a set of 2,000 (some opens fail with ENOENT), talking over loopback TCP, waiting in
    /// epoll_wait and futex (slower in a stretch from 40% to 45% of the capture); a `make` that forks a
    /// compiler every ~4,000 events (exec, a few dozen calls, exit 0, now and then exit 1 or SIGKILL); a
    /// snapshot every `snapshotEvery` events, a counters block every million, with drops (kernel buffer
    /// full) from 60% on. Deterministic: the same arguments give the same file.
    public static func writeMixed(path: String, events: Int, snapshotEvery: Int = 1_000_000) throws {
        let w = try CaptureWriter(path: path, header: header(recorder: ["command": "synthetic mixed machine"]))
        var rng: UInt64 = 0x9E3779B97F4A7C15
        func random(_ n: Int) -> Int {
            rng = rng &* 6364136223846793005 &+ 1442695040888963407
            return Int((rng >> 33) % UInt64(n))
        }
        let programs = ["nginx", "postgres", "java", "node", "redis", "python3"]
        let servers: [UInt32] = (0..<24).map { 2000 + UInt32($0) }
        func comm(_ pid: UInt32) -> String { programs[Int(pid - 2000) % programs.count] }
        var threads = [ThreadInfo(tid: 1500, pid: 1500, ppid: 1, uid: 1000, gid: 1000, startTimeNs: 1, comm: "make",
                                  exe: "/usr/bin/make", args: ["make", "-j8"], cwd: "/src")]
        for pid in servers {
            threads.append(ThreadInfo(tid: pid, pid: pid, ppid: 1, uid: 100, gid: 100, startTimeNs: 2, comm: comm(pid),
                                      exe: "/usr/bin/" + comm(pid), args: [comm(pid), "--serve"], cwd: "/var/lib/" + comm(pid)))
        }
        var ts: UInt64 = 5_000_000_000
        try w.write(CaptureSnapshot(timestampNs: ts, threads: threads))
        try w.write(CaptureCounters(timestampNs: ts))
        var chunk = EventChunk()
        var written = 0
        var dropped: UInt64 = 0
        func emit(_ r: [UInt8]) throws {
            if !r.withUnsafeBytes({ chunk.append($0) }) {
                try w.write(chunk)
                chunk.reset()
                _ = r.withUnsafeBytes { chunk.append($0) }
            }
            written += 1
            if written % snapshotEvery == 0 {
                if !chunk.isEmpty { try w.write(chunk); chunk.reset() }
                try w.write(CaptureSnapshot(timestampNs: ts, threads: threads))
            }
            if written % 1_000_000 == 0 {
                if !chunk.isEmpty { try w.write(chunk); chunk.reset() }
                if written * 10 >= events * 6 { dropped += UInt64(1_000 + random(20_000)) }
                try w.write(CaptureCounters(timestampNs: ts, eventsSeen: UInt64(written) + dropped,
                                            eventsWritten: UInt64(written), dropRingFull: dropped))
            }
        }
        func sys(_ name: String, _ pid: UInt32, ret: Int64, _ args: [Int64], latency: UInt64, items: [RecordBuilder.ItemSpec] = []) throws {
            ts += UInt64(150 + random(1_500))
            try emit(B.syscall(ts: ts, tid: pid, pid: pid, cpu: UInt16(pid & 1), nr: nr(name), ret: ret,
                               args: args.map { B.arg($0) }, latencyNs: latency, items: items))
        }
        // Each server's connection to its backend, made first.
        for (i, pid) in servers.enumerated() {
            try sys("socket", pid, ret: 5, [2, 1, 0], latency: 3_000)
            try sys("connect", pid, ret: 0, [5, 0x7300, 16], latency: 40_000, items: [
                .sockaddrIn("127.0.0.1", 5432, arg: 1),
                .tuple(local: "127.0.0.1", localPort: UInt16(40000 + i), remote: "127.0.0.1", remotePort: 5432),
            ])
        }
        var child: (pid: UInt32, left: Int, file: Int)? = nil
        var nextPid: UInt32 = 10_000
        let data = Array("0123456789abcdef".utf8)
        while written < events {
            let slow = written * 100 >= events * 40 && written * 100 < events * 45
            if child == nil, random(4_000) == 0 {
                let pid = nextPid
                nextPid += 1
                let file = random(5_000)
                ts += 500
                try emit(B.fork(ts: ts, parentTid: 1500, parentPid: 1500, childTid: pid, childPid: pid, comm: "make"))
                ts += 20_000
                try emit(B.exec(ts: ts, tid: pid, pid: pid, ppid: 1500, uid: 1000, gid: 1000, comm: "cc", path: "/usr/bin/cc",
                                argv: ["cc", "-O2", "-c", "src/file\(file).c", "-o", "obj/file\(file).o"]))
                child = (pid, 20 + random(60), file)
                continue
            }
            if let c = child, random(3) == 0 {
                if c.left == 0 {
                    let r = random(50)
                    ts += 1_000
                    try emit(B.exit(ts: ts, tid: c.pid, pid: c.pid, code: r == 0 ? 9 : (r < 4 ? 1 << 8 : 0), groupDead: true))
                    ts += 2_000
                    try sys("wait4", 1500, ret: Int64(c.pid), [Int64(c.pid), 0x7000, 0, 0], latency: 3_000_000 + UInt64(random(2_000_000)))
                    child = nil
                    continue
                }
                child!.left -= 1
                switch random(5) {
                case 0: try sys("openat", c.pid, ret: 3, [-100, 0x5000, 0, 0], latency: 2_000 + UInt64(random(8_000)),
                                items: [.path("/src/include/header\(random(300)).h", arg: 1)])
                case 1: try sys("read", c.pid, ret: 4096, [3, 0x6000, 4096], latency: 1_000 + UInt64(random(30_000)))
                case 2: try sys("mmap", c.pid, ret: 0x7f00_0000_0000, [0, 4096, 3, 34, -1, 0], latency: 800 + UInt64(random(2_000)))
                case 3: try sys("write", c.pid, ret: 4096, [4, 0x6000, 4096], latency: 3_000 + UInt64(random(20_000)))
                default: try sys("close", c.pid, ret: 0, [3], latency: 300 + UInt64(random(600)))
                }
                continue
            }
            let pid = servers[random(servers.count)]
            switch random(20) {
            case 0, 1:
                let k = random(2_000)
                let missing = random(20) == 0
                try sys("openat", pid, ret: missing ? -2 : 7, [-100, 0x5000, 0, 0], latency: 1_500 + UInt64(random(6_000)),
                        items: [.path("/var/lib/app/file-\(k).dat", arg: 1)])
            case 2, 3, 4: try sys("read", pid, ret: Int64(random(4096)), [7, 0x6000, 4096], latency: 700 + UInt64(random(slow ? 400_000 : 9_000)))
            case 5: try sys("close", pid, ret: 0, [7], latency: 300 + UInt64(random(900)))
            case 6, 7: try sys("write", pid, ret: 16, [7, 0x6000, 16], latency: 2_000 + UInt64(random(20_000)),
                               items: [.data(data, arg: 1)])
            case 8, 9: try sys("sendto", pid, ret: 16, [5, 0x6000, 16, 0, 0, 0], latency: 4_000 + UInt64(random(15_000)),
                               items: [.data(data, arg: 1)])
            case 10, 11: try sys("recvfrom", pid, ret: random(30) == 0 ? -11 : 64, [5, 0x6000, 4096, 0, 0, 0],
                                 latency: 2_000 + UInt64(random(slow ? 2_000_000 : 25_000)))
            case 12, 13: try sys("epoll_wait", pid, ret: Int64(random(4)), [9, 0x6000, 64, 100],
                                 latency: 50_000 + UInt64(random(slow ? 90_000_000 : 5_000_000)))
            case 14, 15: try sys("futex", pid, ret: random(10) == 0 ? -110 : 0, [0x6000, 128, 1, 0, 0, 0],
                                 latency: 400 + UInt64(random(slow ? 20_000_000 : 200_000)))
            case 16: try sys("getpid", pid, ret: Int64(pid), [], latency: 120 + UInt64(random(100)))
            case 17: try sys("clock_gettime", pid, ret: 0, [1, 0x6000], latency: 60 + UInt64(random(80)))
            case 18: try sys("newfstatat", pid, ret: random(8) == 0 ? -2 : 0, [-100, 0x6000, 0x7000, 0], latency: 1_200 + UInt64(random(3_000)),
                             items: [.path("/etc/app/conf-\(random(50)).d", arg: 1)])
            default: try sys("mprotect", pid, ret: 0, [0x7f00_0000_0000, 4096, 1], latency: 900 + UInt64(random(2_000)))
            }
        }
        if !chunk.isEmpty { try w.write(chunk) }
        try w.write(CaptureCounters(timestampNs: ts, eventsSeen: UInt64(written) + dropped, eventsWritten: UInt64(written),
                                    dropRingFull: dropped))
        try w.finish()
    }
}
