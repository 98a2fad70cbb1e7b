import XCTest
@testable import CaptureFormat
#if canImport(Glibc)
import Glibc
#endif

/// Deterministic pseudo-random numbers (xorshift64*), so every failure reproduces.
struct SeededRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Builds one synthetic record with the struct kcap_hdr layout: ts at 0, tid 8, pid 12, type 16, len 18,
/// cpu 20, flags 22, then `payload` bytes and zero padding to a multiple of 8.
func makeRecord(ts: UInt64, tid: UInt32, pid: UInt32, type: UInt16 = 1, cpu: UInt16 = 0, payload: [UInt8] = []) -> [UInt8] {
    let len = (24 + payload.count + 7) & ~7
    var r = [UInt8](repeating: 0, count: len)
    r.withUnsafeMutableBytes { p in
        p.storeBytes(of: ts.littleEndian, toByteOffset: 0, as: UInt64.self)
        p.storeBytes(of: tid.littleEndian, toByteOffset: 8, as: UInt32.self)
        p.storeBytes(of: pid.littleEndian, toByteOffset: 12, as: UInt32.self)
        p.storeBytes(of: type.littleEndian, toByteOffset: 16, as: UInt16.self)
        p.storeBytes(of: UInt16(len).littleEndian, toByteOffset: 18, as: UInt16.self)
        p.storeBytes(of: cpu.littleEndian, toByteOffset: 20, as: UInt16.self)
    }
    for (i, b) in payload.enumerated() { r[24 + i] = b }
    return r
}

/// A syscall-like record of 96 bytes (kcap_syscall fixed part) with some varying fields.
func makeSyscallRecord(ts: UInt64, tid: UInt32, nr: UInt16, ret: Int64) -> [UInt8] {
    var payload = [UInt8](repeating: 0, count: 72)
    payload.withUnsafeMutableBytes { p in
        p.storeBytes(of: UInt64(300 + ts % 97).littleEndian, toByteOffset: 0, as: UInt64.self) // latency
        p.storeBytes(of: nr.littleEndian, toByteOffset: 8, as: UInt16.self)
        p.storeBytes(of: ret.littleEndian, toByteOffset: 16, as: Int64.self)
        p.storeBytes(of: UInt64(3).littleEndian, toByteOffset: 24, as: UInt64.self)
    }
    return makeRecord(ts: ts, tid: tid, pid: tid, type: 1, payload: payload)
}

/// A scratch directory removed at the end of the test.
final class ScratchDir {
    let path: String
    init() {
        var template = Array("/tmp/kcap-fmt-test-XXXXXX".utf8CString)
        let p = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        path = String(cString: p!)
    }
    deinit { _ = try? FileManager.default.removeItem(atPath: path) }
    func file(_ name: String) -> String { path + "/" + name }
}

func readFile(_ path: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path) ?? Data()) }
/// Replaces a file's content (plain POSIX: FileManager's atomic write costs milliseconds per call, and the
/// damage tests write thousands of files).
func writeFile(_ path: String, _ bytes: [UInt8]) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    precondition(fd >= 0, "open \(path)")
    bytes.withUnsafeBytes { raw in
        var done = 0
        while done < raw.count {
            let n = write(fd, raw.baseAddress! + done, raw.count - done)
            precondition(n > 0, "write \(path)")
            done += n
        }
    }
    close(fd)
}

let sampleHeader = CaptureHeader(abiVersion: 1, hostname: "testhost", kernelRelease: "6.18.0-test", machine: "x86_64",
                                 cpuCount: 2, bootTimeRealtimeOffsetNs: 1_763_770_000_000_000_000,
                                 createdRealtimeNs: 1_763_770_001_000_000_000,
                                 recorder: ["command": "kcap record -w t.kcap", "snaplen": "80"], extra: [:])

let sampleSnapshot = CaptureSnapshot(
    timestampNs: 1_000,
    threads: [
        ThreadInfo(tid: 100, pid: 100, ppid: 1, uid: 1000, gid: 1000, startTimeNs: 5, comm: "bash", exe: "/usr/bin/bash",
                   args: ["bash", "-c", "echo hi"], cwd: "/home/u", cgroup: "/user.slice", containerID: ""),
        ThreadInfo(tid: 101, pid: 100, ppid: 1, comm: "worker", exe: "/usr/bin/bash", args: [], cwd: "/",
                   cgroup: "/system.slice/docker-abc.scope", containerID: "abc123def456"),
    ],
    fds: [
        FdInfo(pid: 100, fd: 0, kind: .file, openFlags: 2, name: "/dev/pts/0", inode: 3),
        FdInfo(pid: 100, fd: 3, kind: .ipv4, openFlags: 0o2004002, name: "127.0.0.1:40000->127.0.0.1:80", inode: 77,
               socket: SocketTuple(family: 2, proto: 6, localAddress: [127, 0, 0, 1], localPort: 40000,
                                   remoteAddress: [127, 0, 0, 1], remotePort: 80)),
        FdInfo(pid: 100, fd: 4, kind: .unix, name: "/run/x.sock",
               socket: SocketTuple(family: 1, unixPath: "/run/x.sock")),
    ])

/// A small capture: header, snapshot, `chunks` event chunks of `perChunk` records, counters, optional footer.
/// Returns the records of each chunk in order.
@discardableResult
func writeSmallCapture(path: String, chunks: Int = 4, perChunk: Int = 12, finish: Bool = true,
                       extraBlock: BlockType? = nil) throws -> [[[UInt8]]] {
    let w = try CaptureWriter(path: path, header: sampleHeader)
    try w.write(sampleSnapshot)
    var all: [[[UInt8]]] = []
    var ts: UInt64 = 10_000
    var chunk = EventChunk(capacity: 8192)
    for c in 0..<chunks {
        var recs: [[UInt8]] = []
        for i in 0..<perChunk {
            ts += 1_000 + UInt64(i * 7)
            let r = i % 3 == 0 ? makeRecord(ts: ts, tid: 200 + UInt32(c), pid: 200, type: 2, payload: Array("/etc/hostname".utf8))
                               : makeSyscallRecord(ts: ts, tid: 200 + UInt32(i % 2), nr: UInt16(i), ret: Int64(i))
            XCTAssertTrue(r.withUnsafeBytes { chunk.append($0) })
            recs.append(r)
        }
        try w.write(chunk)
        chunk.reset()
        all.append(recs)
        if c == 1, let t = extraBlock {
            try [UInt8](repeating: 0xAB, count: 40).withUnsafeBytes { try w.writeBlock(type: t, payload: $0, recordCount: 1) }
        }
    }
    try w.write(CaptureCounters(timestampNs: ts, eventsSeen: 60, eventsWritten: 48, dropRingFull: 2))
    if finish { try w.finish() } else { try w.flush() }
    return all
}

/// Every record of every event chunk, by chunk, read through the public API.
func readAllChunks(_ reader: CaptureReader, from: UInt64? = nil) throws -> [[[UInt8]]] {
    var out: [[[UInt8]]] = []
    try reader.forEachBlock(from: from) { block in
        if case .events(let v) = block {
            var recs: [[UInt8]] = []
            v.forEachRecord { recs.append(Array($0.bytes)) }
            out.append(recs)
        }
    }
    return out
}
