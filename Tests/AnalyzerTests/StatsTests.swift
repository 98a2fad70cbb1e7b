import XCTest
import CaptureFormat
@testable import Analyzer

/// `kcap stats` over synthetic captures written with the real CaptureWriter: every figure is known in advance.
final class StatsTests: XCTestCase {
    typealias R = SchemaTestRecords

    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kcap-stats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// A capture of thread 100/100 "app" and 200/200 "cli": file reads with latencies 1..100 us, socket writes,
    /// failures, an unknown syscall, and an exit; the counters say 3 events were dropped for a full ring.
    private func writeCapture() throws -> String {
        let path = dir.appendingPathComponent("stats.kcap").path
        let header = CaptureHeader(abiVersion: 1, hostname: "t", kernelRelease: "6.18", machine: "x86_64", cpuCount: 2,
                                   bootTimeRealtimeOffsetNs: 0, createdRealtimeNs: 0, recorder: [:])
        let w = try CaptureWriter(path: path, header: header)
        try w.write(CaptureSnapshot(timestampNs: 1, threads: [
            ThreadInfo(tid: 100, pid: 100, ppid: 1, comm: "app", exe: "/usr/bin/app", args: ["app"], cwd: "/"),
            ThreadInfo(tid: 200, pid: 200, ppid: 1, comm: "cli", exe: "/usr/bin/cli", args: ["cli"], cwd: "/"),
        ], fds: [
            FdInfo(pid: 100, fd: 3, kind: .file, name: "/data/input.bin"),
            FdInfo(pid: 200, fd: 5, kind: .file, name: "/var/log/cli.log"),
        ]))
        var chunk = EventChunk()
        var ts: UInt64 = 10_000
        func add(_ rec: [UInt8]) {
            rec.withUnsafeBytes { XCTAssertTrue(chunk.append($0)) }
        }
        func sys(_ nr: UInt16, _ ret: Int64, _ args: [UInt64], latency: UInt64, pid: UInt32 = 100,
                 items: [[UInt8]] = [], flags: UInt16 = 0) {
            ts += 100_000
            add(R.syscall(nr: nr, ret: ret, args: args, latency: latency, flags: flags, items: items, tid: pid, pid: pid, ts: ts))
        }
        for i in 1...100 { sys(0, 10, [3, 0x1000, 4096], latency: UInt64(i) * 1_000) }           // read: 1000 B
        for _ in 0..<4 { sys(1, 250, [5, 0x1000, 250], latency: 2_000, pid: 200) }                // write: 1000 B
        sys(41, 4, [2, 1, 0], latency: 3_000)                                                     // socket = 4
        var tuple: [UInt8] = []
        R.put(&tuple, UInt16(2)); R.put(&tuple, UInt16(6)); R.put(&tuple, UInt16(40000)); R.put(&tuple, UInt16(80))
        tuple += [127, 0, 0, 1] + [UInt8](repeating: 0, count: 12) + [127, 0, 0, 1] + [UInt8](repeating: 0, count: 12)
        sys(42, 0, [4, 0x2000, 16], latency: 50_000,
            items: [R.item(2, arg: 1, R.sockaddrIn([127, 0, 0, 1], port: 80)), R.item(6, arg: 0xff, tuple)])
        for _ in 0..<5 { sys(44, 100, [4, 0x3000, 100, 0, 0, 0], latency: 4_000) }                // sendto: 500 B
        sys(45, 7, [4, 0x3000, 100, 0, 0, 0], latency: 4_000)                                      // recvfrom: 7 B
        for _ in 0..<3 { sys(257, -2, [UInt64(bitPattern: -100), 0, 0, 0], latency: 1_500, pid: 200) } // ENOENT
        sys(62, -3, [99999, 15], latency: 800, pid: 200)                                            // kill: ESRCH
        sys(0, -9, [77, 0, 10], latency: 700)                                                       // read: EBADF
        sys(499, 0, [], latency: 0, flags: RecordFlags.noEnter.rawValue)                           // unknown, untimed
        ts += 1_000
        add(R.exit(code: 0, groupDead: true, tid: 200, pid: 200, ts: ts))
        try w.write(chunk)
        try w.write(CaptureCounters(timestampNs: ts, eventsSeen: 125, eventsWritten: 122, dropRingFull: 3))
        try w.finish()
        return path
    }

    private func run(_ path: String, filter: String? = nil, limit: Int = 10) throws -> StatisticsReport {
        let replay = CaptureReplay(reader: try CaptureReader(path: path))
        let stats = CaptureStatistics(machine: replay.reader.header.machine)
        var options = ReadPipeline.Options()
        options.filter = try filter.map { try FilterCompiler().compile($0, for: Event.self) }
        _ = try ReadPipeline.run(replay, into: stats, options: options)
        return stats.report(limit: limit, counters: replay.counters().last) { replay.engine.paths.string($0) }
    }

    func testCountsTimesAndPercentiles() throws {
        let r = try run(try writeCapture())
        XCTAssertEqual(r.events, 119)
        XCTAssertEqual(r.syscalls, 118)
        XCTAssertEqual(r.untimedSyscalls, 1)
        XCTAssertEqual(r.processEvents, ["procexit": 1])
        XCTAssertEqual(r.processCount, 2)
        let read = try XCTUnwrap(r.topSyscallsByCount.first)
        XCTAssertEqual(read.name, "read")
        XCTAssertEqual(read.count, 101)
        XCTAssertEqual(read.errors, 1)
        XCTAssertEqual(read.totalNs, 5_050_000 + 700)
        let p = try XCTUnwrap(read.latencyNs)
        // 101 values: 700 ns and 1..100 us. HdrHistogram with two significant digits: within 1%.
        XCTAssertEqual(Double(p.p50), 50_000, accuracy: 50_000 * 0.01)
        XCTAssertEqual(Double(p.p90), 90_000, accuracy: 90_000 * 0.01)
        XCTAssertEqual(Double(p.p99), 99_000, accuracy: 99_000 * 0.015)
        XCTAssertEqual(p.max, 100_000, "max is exact")
        XCTAssertEqual(r.topSyscallsByTime.first?.name, "read")
        XCTAssertEqual(r.topSyscallsByTime.dropFirst().first?.name, "connect")
        XCTAssertTrue(r.topSyscallsByCount.contains { $0.name == "syscall_499" && $0.latencyNs == nil })
        // Ties sort by name: sendto (5) before write... counts 5 and 4; openat 3.
        let names = r.topSyscallsByCount.map(\.name)
        XCTAssertLessThan(names.firstIndex(of: "sendto")!, names.firstIndex(of: "write")!)
    }

    func testBytesByProcessFileAndConnection() throws {
        let r = try run(try writeCapture())
        let app = try XCTUnwrap(r.topProcessesByBytes.first { $0.pid == 100 })
        XCTAssertEqual(app.bytesRead, 1000 + 7)
        XCTAssertEqual(app.bytesWritten, 500)
        XCTAssertEqual(app.comm, "app")
        let cli = try XCTUnwrap(r.topProcessesByBytes.first { $0.pid == 200 })
        XCTAssertEqual(cli.bytesWritten, 1000)
        XCTAssertEqual(cli.errors, 4)
        XCTAssertEqual(r.topProcessesByBytes.first?.pid, 100, "1507 bytes beat 1000")
        XCTAssertEqual(r.topFiles.map(\.name), ["/data/input.bin", "/var/log/cli.log"])
        XCTAssertEqual(r.topFiles[0].bytesRead, 1000)
        XCTAssertEqual(r.topFiles[0].reads, 100)
        XCTAssertEqual(r.topFiles[1].bytesWritten, 1000)
        XCTAssertEqual(r.topFiles[1].pids, [200])
        let conn = try XCTUnwrap(r.topConnections.first)
        XCTAssertEqual(conn.name, "127.0.0.1:40000->127.0.0.1:80")
        XCTAssertEqual(conn.bytesWritten, 500)
        XCTAssertEqual(conn.bytesRead, 7)
    }

    func testErrorsAndDrops() throws {
        let r = try run(try writeCapture())
        XCTAssertEqual(r.errors.map(\.name), ["ENOENT", "ESRCH", "EBADF"], "ties: lower errno first")
        XCTAssertEqual(r.errors[0].count, 3)
        XCTAssertEqual(r.errors[0].syscalls, ["openat(3)"])
        XCTAssertEqual(r.drops?.dropped, 3)
        XCTAssertEqual(r.drops?.ringFull, 3)
        XCTAssertEqual(r.drops?.eventsSeen, 125)
    }

    func testFilterAndLimit() throws {
        let path = try writeCapture()
        let r = try run(path, filter: "proc.pid = 200", limit: 2)
        XCTAssertEqual(r.events, 9)
        XCTAssertEqual(r.topSyscallsByCount.map(\.name), ["write", "openat"])
        XCTAssertEqual(r.processCount, 1)
    }

    func testTimeWindow() throws {
        let path = try writeCapture()
        let replay = CaptureReplay(reader: try CaptureReader(path: path))
        let stats = CaptureStatistics(machine: "x86_64")
        var c = FilteredSink(sink: StatisticsSink(statistics: stats), printer: EventPrinter(engine: replay.engine))
        // Records are 100 us apart from 110 us on: the window [1 ms, 2 ms] holds the 1st..11th reads after 1 ms.
        c.startNs = 1_000_000
        c.endNs = 2_000_000
        try replay.run(into: &c)
        let r = stats.report { replay.engine.paths.string($0) }
        XCTAssertEqual(r.events, 10)
        XCTAssertEqual(r.topSyscallsByCount.map(\.name), ["read"])
        XCTAssertLessThanOrEqual(r.durationNs, 1_000_000)
    }

    func testRenderingIsDeterministic() throws {
        let path = try writeCapture()
        let a = try run(path), b = try run(path)
        XCTAssertEqual(a, b)
        let text = StatisticsRenderer.text(a)
        XCTAssertEqual(text, StatisticsRenderer.text(b))
        XCTAssertTrue(text.contains("Top syscalls by count"))
        XCTAssertTrue(text.contains("/data/input.bin"))
        XCTAssertTrue(text.contains("ENOENT"))
        XCTAssertTrue(text.contains("dropped 3"))
        let json = try StatisticsRenderer.json(a)
        XCTAssertEqual(json, try StatisticsRenderer.json(b))
        let back = try JSONDecoder().decode(StatisticsReport.self, from: Data(json.utf8))
        XCTAssertEqual(back, a)
    }

    func testHumanUnits() {
        XCTAssertEqual(StatisticsRenderer.duration(850), "850ns")
        XCTAssertEqual(StatisticsRenderer.duration(1_500), "1.50us")
        XCTAssertEqual(StatisticsRenderer.duration(12_345), "12.3us")
        XCTAssertEqual(StatisticsRenderer.duration(4_560_000), "4.56ms")
        XCTAssertEqual(StatisticsRenderer.duration(1_200_000_000), "1.20s")
        XCTAssertEqual(StatisticsRenderer.bytes(512), "512B")
        XCTAssertEqual(StatisticsRenderer.bytes(4096), "4.0KiB")
        XCTAssertEqual(StatisticsRenderer.bytes(1_572_864), "1.5MiB")
    }

    func testEmptyCapture() throws {
        let path = dir.appendingPathComponent("empty.kcap").path
        let w = try CaptureWriter(path: path, header: CaptureHeader(abiVersion: 1, hostname: "t", kernelRelease: "x",
                                                                   machine: "aarch64", cpuCount: 1,
                                                                   bootTimeRealtimeOffsetNs: 0, createdRealtimeNs: 0,
                                                                   recorder: [:]))
        try w.finish()
        let r = try run(path)
        XCTAssertEqual(r.events, 0)
        XCTAssertEqual(r.durationNs, 0)
        XCTAssertTrue(StatisticsRenderer.text(r).contains("(none)"))
    }

    /// On real recordings, every event is accounted for exactly once: per-type counts add up to the total,
    /// per-category counts too, and the process rows sum to the same number.
    func testRealFixturesAddUp() throws {
        for fixture in ["files", "net-loopback", "fork-exec-threads", "failing-syscalls"] {
            let path = SchemaTableTests.root.appendingPathComponent("Tests/Fixtures/\(fixture)/capture.kcap").path
            guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("fixture \(fixture) missing") }
            let r = try run(path, limit: .max)
            XCTAssertGreaterThan(r.events, 0, fixture)
            let perType = r.topSyscallsByCount.reduce(UInt64(0)) { $0 + $1.count } + r.processEvents.values.reduce(0, +)
            XCTAssertEqual(perType, r.events, fixture)
            XCTAssertEqual(r.categories.reduce(UInt64(0)) { $0 + $1.count }, r.events, fixture)
            XCTAssertEqual(r.topProcessesByEvents.reduce(UInt64(0)) { $0 + $1.events }, r.events, fixture)
            XCTAssertEqual(r.errors.reduce(UInt64(0)) { $0 + $1.count },
                           r.topSyscallsByCount.reduce(UInt64(0)) { $0 + $1.errors }, fixture)
            XCTAssertEqual(r.drops?.dropped, 0, fixture)
            for row in r.topSyscallsByCount {
                if let p = row.latencyNs { XCTAssertTrue(p.p50 <= p.p90 && p.p90 <= p.p99 && p.p99 <= p.max, row.name) }
            }
        }
    }
}
