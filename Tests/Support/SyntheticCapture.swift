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
}
