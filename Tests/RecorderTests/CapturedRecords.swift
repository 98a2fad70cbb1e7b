import CaptureFormat
import Foundation
import KcapTestSupport
@testable import Recorder
import XCTest

/// One record of a capture, decoded by bpf/kcap_abi.h's offsets for the tests' assertions (the analyzer
/// has the real decoders; these stay independent so a decoder bug cannot hide a recorder bug).
struct TestRecord {
    var type: UInt16, tid: UInt32, pid: UInt32, flags: UInt16, ts: UInt64, cpu: UInt16 = 0
    // KCAP_REC_SYSCALL
    var nr = -1, ret: Int64 = 0, args: [UInt64] = [], latency: UInt64 = 0
    // KCAP_REC_PROC_FORK / EXEC / EXIT
    var childTid: UInt32 = 0, childPid: UInt32 = 0, comm = "", exitCode: Int32 = 0, groupDead: UInt32 = 0
    var items: [(kind: UInt8, arg: UInt8, data: [UInt8])] = []

    func items(_ kind: UInt8) -> [[UInt8]] { items.filter { $0.kind == kind }.map { $0.data } }
    var paths: [String] { items(1).map { String(decoding: $0, as: UTF8.self) } }
    var data: [UInt8]? { items(3).first }
    var sockaddrs: [[UInt8]] { items(2) }
    var argv: [String] {
        guard let a = items(4).first else { return [] }
        return a.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }.filter { !$0.isEmpty }
    }

    /// IPv4 address and port of a struct sockaddr_in.
    static func inet(_ sa: [UInt8]) -> (family: UInt16, addr: String, port: UInt16)? {
        guard sa.count >= 8 else { return nil }
        let family = UInt16(sa[0]) | UInt16(sa[1]) << 8
        let port = UInt16(sa[2]) << 8 | UInt16(sa[3])
        return (family, sa[4..<8].map { String($0) }.joined(separator: "."), port)
    }
}

/// Everything a capture (or a rotated set) holds, for assertions.
struct CaptureContents {
    var header: CaptureHeader
    var records: [TestRecord] = []
    var snapshots: [CaptureSnapshot] = []
    var counters: [CaptureCounters] = []
    /// Block kinds in file order: "E" events, "S" snapshot, "C" counters.
    var order = ""
    var problems: [CaptureProblem] = []
    var finished = false

    init(path: String) throws {
        let reader = try CaptureReader(path: path)
        header = reader.header
        var recs: [TestRecord] = []
        var snaps: [CaptureSnapshot] = []
        var ctrs: [CaptureCounters] = []
        var order = ""
        try reader.forEachBlock { block in
            switch block {
            case .events(let view):
                order += "E"
                view.forEachRecord { r in recs.append(CaptureContents.decode(r.bytes)) }
            case .snapshot(let s):
                order += "S"
                snaps.append(s)
            case .counters(let c):
                order += "C"
                ctrs.append(c)
            @unknown default:
                break
            }
        }
        records = recs
        snapshots = snaps
        counters = ctrs
        self.order = order
        problems = reader.problems
        finished = reader.isFinished
    }

    static func decode(_ b: UnsafeRawBufferPointer) -> TestRecord {
        func u16(_ o: Int) -> UInt16 { o + 2 <= b.count ? UInt16(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt16.self)) : 0 }
        func u32(_ o: Int) -> UInt32 { o + 4 <= b.count ? UInt32(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt32.self)) : 0 }
        func u64(_ o: Int) -> UInt64 { o + 8 <= b.count ? UInt64(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt64.self)) : 0 }
        func cstr(_ o: Int, _ n: Int) -> String {
            let bytes = (o..<min(o + n, b.count)).map { b[$0] }
            return String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        var r = TestRecord(type: u16(16), tid: u32(8), pid: u32(12), flags: u16(22), ts: u64(0), cpu: u16(20))
        let len = min(Int(u16(18)), b.count)
        var itemStart = len, nitems = 0
        switch r.type {
        case 1:
            r.nr = Int(u16(32)); nitems = Int(u16(34)); r.ret = Int64(bitPattern: u64(40)); r.latency = u64(24)
            r.args = (0..<6).map { u64(48 + 8 * $0) }
            itemStart = 96
        case 2:
            r.childTid = u32(24); r.childPid = u32(28); r.comm = cstr(32, 16)
        case 3:
            nitems = Int(u16(40)); r.comm = cstr(48, 16); itemStart = 64
        case 4:
            r.exitCode = Int32(bitPattern: u32(24)); r.groupDead = u32(28)
        default:
            break
        }
        var off = itemStart
        for _ in 0..<nitems {
            guard off + 4 <= len else { break }
            let kind = b[off], arg = b[off + 1], n = Int(u16(off + 2))
            guard off + 4 + n <= len else { break }
            r.items.append((kind, arg, Array(b[(off + 4)..<(off + 4 + n)])))
            off += 4 + n
        }
        return r
    }
}

/// Skips the test, saying why, unless this process can load BPF programs.
func requireBPF() throws {
    guard Privileges.canUseBPF else {
        print("RecorderTests: skipped: not root (BPF needs root or CAP_BPF+CAP_PERFMON)")
        throw XCTSkip("not root: recording needs root or CAP_BPF+CAP_PERFMON")
    }
    guard FileManager.default.fileExists(atPath: "/sys/kernel/btf/vmlinux") else {
        print("RecorderTests: skipped: no /sys/kernel/btf/vmlinux")
        throw XCTSkip("the kernel has no BTF")
    }
}

/// A fresh scratch directory, removed by the test's teardown block.
func makeScratchDirectory(_ test: XCTestCase) throws -> String {
    let dir = NSTemporaryDirectory() + "kcap-rec-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
    return dir
}

/// Compiles Workload/workload.c with cc into `dir`; skips when there is no C compiler.
func buildWorkload(into dir: String) throws -> String {
    let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Workload/workload.c").path
    let out = dir + "/workload"
    let status = try runProcess("/usr/bin/env", ["cc", "-O1", "-pthread", "-o", out, source]).status
    if status != 0 { throw XCTSkip("cc could not build workload.c (status \(status))") }
    return out
}

/// Runs a program to completion; returns its exit status, stderr and stdout. Both pipes are read at once, so
/// a program that fills one (live output beyond a pipe's buffer) while the other is open cannot block.
@discardableResult
func runProcess(_ path: String, _ args: [String]) throws -> (status: Int32, stderr: String, stdout: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = args
    let err = Pipe(), out = Pipe()
    p.standardError = err
    p.standardOutput = out
    try p.run()
    // The box is written by the reader thread before it signals, and read only after the wait.
    final class Box: @unchecked Sendable { var data = Data() }
    let errData = Box()
    let done = DispatchSemaphore(value: 0)
    let errThread = Thread {
        errData.data = err.fileHandleForReading.readDataToEndOfFile()
        done.signal()
    }
    errThread.start()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    done.wait()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: errData.data, as: UTF8.self), String(decoding: o, as: UTF8.self))
}

/// The kcap executable built next to this test bundle, or a skip.
func kcapBinary() throws -> String {
    guard let path = KcapExecutable.find() else { throw XCTSkip("the kcap executable is not built next to the tests (swift build first)") }
    return path
}
