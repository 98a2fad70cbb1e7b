import CaptureFormat
import Foundation
import KcapTestSupport
@testable import Recorder
import XCTest

/// `kcap record --flight`: the ring (no root), the sink fed by hand (no root: it only writes files), and the
/// three triggers of the real recorder (root, BPF).
final class FlightRecorderTests: XCTestCase {
    // MARK: the ring

    func testTheRingGivesUpTheOldestBlocksAndNeverExceedsItsSize() throws {
        let ring = try XCTUnwrap(FlightRing(capacity: 10_000))
        var sizes: [Int] = []
        for i in 0..<200 {
            let n = 300 + (i * 37) % 900
            let at = try XCTUnwrap(ring.reserve(n))
            memset(at, Int32(i & 0xff), n)
            ring.commit(size: n, isSnapshot: i % 10 == 0, firstTs: UInt64(i), lastTs: UInt64(i), records: 1)
            sizes.append(n)
            XCTAssertLessThanOrEqual(ring.usedBytes, ring.capacity)
            // The newest blocks are held, oldest first, each with its own bytes intact.
            let held = Array(ring.held)
            XCTAssertEqual(held.last?.firstTs, UInt64(i))
            for (k, e) in held.enumerated() {
                if k > 0 { XCTAssertEqual(e.firstTs, held[k - 1].firstTs + 1) }
                let b = ring.bytes(of: e)
                XCTAssertEqual(b.first, UInt8(truncatingIfNeeded: e.firstTs))
                XCTAssertEqual(b.last, UInt8(truncatingIfNeeded: e.firstTs))
                XCTAssertLessThanOrEqual(e.offset + e.size, ring.capacity)
            }
            // No two held blocks overlap.
            let spans = held.map { ($0.offset, $0.offset + $0.size) }.sorted { $0.0 < $1.0 }
            for k in spans.indices.dropFirst() { XCTAssertLessThanOrEqual(spans[k - 1].1, spans[k].0) }
        }
        XCTAssertGreaterThan(ring.evictedForSpace, 0)
        XCTAssertLessThanOrEqual(ring.peakUsedBytes, ring.capacity)
        XCTAssertNil(ring.reserve(ring.capacity + 1), "a block larger than the ring is refused")
    }

    func testTimeGivesUpWholeSegmentsAndKeepsTheSnapshotBeforeTheWindow() throws {
        let ring = try XCTUnwrap(FlightRing(capacity: 1 << 20))
        // Snapshots at 0, 10, 20, 30; chunks every 2 (ts 1, 3, 5, ...).
        for t in stride(from: UInt64(0), through: 39, by: 1) {
            let snapshot = t % 10 == 0
            guard snapshot || t % 2 == 1 else { continue }
            _ = ring.reserve(100)
            ring.commit(size: 100, isSnapshot: snapshot, firstTs: t, lastTs: t, records: snapshot ? 0 : 1)
        }
        ring.keep(from: 25)
        XCTAssertEqual(ring.held.first?.firstTs, 20, "the newest snapshot at or before the window's start stays")
        XCTAssertEqual(ring.held.first?.isSnapshot, true)
        ring.keep(from: 5)
        XCTAssertEqual(ring.held.first?.firstTs, 20, "nothing comes back")
        ring.keep(from: 35)
        XCTAssertEqual(ring.held.first?.firstTs, 30)
        XCTAssertEqual(ring.blocksFromFirstSnapshot.first?.firstTs, 30)
    }

    // MARK: the sink, fed by hand

    private func chunk(from startNs: UInt64, count: Int, stepNs: UInt64, pid: UInt32 = 4242) -> EventChunk {
        var c = EventChunk(capacity: 1 << 20)
        for i in 0..<count {
            let r = RecordBuilder.syscall(ts: startNs + UInt64(i) * stepNs, tid: pid, pid: pid, nr: 39, ret: Int64(pid))
            _ = r.withUnsafeBytes { c.append($0) }
        }
        return c
    }

    private func snapshot(at ns: UInt64) -> CaptureSnapshot {
        CaptureSnapshot(timestampNs: ns, threads: [ThreadInfo(tid: 4242, pid: 4242, comm: "flighttest")])
    }

    private func header() -> CaptureHeader {
        CaptureHeader(abiVersion: 1, hostname: "test", kernelRelease: "6.0", machine: "x86_64", cpuCount: 2,
                      bootTimeRealtimeOffsetNs: 1_700_000_000_000_000_000, createdRealtimeNs: 1_700_000_000_000_000_000)
    }

    /// Feeds 20 s of records (one chunk per 100 ms, a snapshot per second, all at boot-time 1000 s on, the
    /// sink's clock following them) into a sink, sends SIGUSR1's trigger at 1015 s; returns the sink and the
    /// files' readers.
    private func runSink(_ options: FlightOptions, filter: FlightEventFilter? = nil) throws -> (FlightRecorderSink, [CaptureReader]) {
        let sink = try FlightRecorderSink(options: options, header: header(), filter: filter)
        sink.begin(with: RecordSinkProviders(snapshot: { self.snapshot(at: 1020_000_000_000) },
                                             counters: { CaptureCounters(timestampNs: 1020_000_000_000) }))
        let base: UInt64 = 1000_000_000_000
        var now = base
        sink.clock = { now }
        for tenth in 0..<200 {
            let t = base + UInt64(tenth) * 100_000_000
            now = t
            if tenth % 10 == 0 { try sink.consume(snapshot(at: t)) }
            if tenth == 150 { sink.trigger(.signal, atNs: t) }
            try sink.consume(chunk(from: t, count: 100, stepNs: 1_000_000))
            try sink.flush()
        }
        try sink.finish()
        let readers = try sink.captures.map { try CaptureReader(path: $0.path) }
        return (sink, readers)
    }

    func testASignalledWindowReachesBackTheWholeWindowFromASnapshotAndReadsAlone() throws {
        let dir = try makeScratchDirectory(self) + "/flight"
        let (sink, readers) = try runSink(FlightOptions(directory: dir, windowNs: 5_000_000_000, sizeBytes: 8 << 20))
        XCTAssertEqual(sink.captures.count, 1)
        let capture = try XCTUnwrap(sink.captures.first)
        XCTAssertEqual(capture.trigger, .signal)
        XCTAssertTrue(capture.path.hasPrefix(dir + "/flight-"), capture.path)
        XCTAssertTrue(capture.path.hasSuffix("-signal-1.kcap"), capture.path)
        XCTAssertTrue(capture.startsWithSnapshot)
        // The window starts at the newest snapshot at or before trigger - 5 s = 1010 s: the one of 1010 s.
        XCTAssertEqual(capture.startNs, 1010_000_000_000)
        let reader = try XCTUnwrap(readers.first)
        XCTAssertTrue(reader.isFinished)
        XCTAssertEqual(reader.header.extra["flightTrigger"], "SIGUSR1")
        XCTAssertEqual(reader.header.extra["flightTriggerNs"], "1015000000000")
        var kinds: [String] = []
        var first: UInt64 = .max, last: UInt64 = 0, records = 0
        try reader.forEachBlock { block in
            switch block {
            case .snapshot(let s): kinds.append("S"); XCTAssertEqual(s.threads.first?.comm, "flighttest")
            case .counters: kinds.append("C")
            case .events(let v):
                kinds.append("E")
                first = min(first, v.firstTimestampNs); last = max(last, v.lastTimestampNs); records += v.recordCount
            }
        }
        XCTAssertEqual(kinds.first, "S", "a snapshot at the start: \(kinds)")
        XCTAssertEqual(Array(kinds.suffix(2)), ["S", "C"], "the state and counters at the end")
        XCTAssertEqual(reader.problems.count, 0, "\(reader.problems)")
        XCTAssertLessThanOrEqual(first, 1010_000_000_000)
        // The trigger waited for the records stamped up to it (the chunk of 1015.0-1015.1 s).
        XCTAssertGreaterThanOrEqual(last, 1015_000_000_000)
        XCTAssertLessThan(last, 1015_100_000_000)
        XCTAssertEqual(UInt64(records), capture.records)
    }

    func testAfterKeepsRecordingPastTheTriggerAndTimeStopsEvictingWhileItRuns() throws {
        let dir = try makeScratchDirectory(self)
        let (sink, _) = try runSink(FlightOptions(directory: dir, windowNs: 5_000_000_000, sizeBytes: 8 << 20,
                                                  afterNs: 1_000_000_000))
        let capture = try XCTUnwrap(sink.captures.first)
        XCTAssertEqual(capture.startNs, 1010_000_000_000, "the window still reaches back from the trigger")
        XCTAssertGreaterThanOrEqual(capture.endNs, 1016_000_000_000, "and on for --after")
        XCTAssertLessThan(capture.endNs, 1016_100_000_000)
    }

    func testTheSizeBoundWinsOverTimeAndTheWindowStillStartsAtASnapshot() throws {
        let dir = try makeScratchDirectory(self)
        let sink = try FlightRecorderSink(options: FlightOptions(directory: dir, windowNs: 3600_000_000_000,
                                                                 sizeBytes: FlightOptions.minSizeBytes),
                                          header: header())
        let base: UInt64 = 1000_000_000_000
        var now = base
        sink.clock = { now }
        var rng = SystemRandomNumberGenerator()
        // 2 MiB of random bytes, sliced without repeats within a chunk: LZ4 finds little to compress.
        let noise: [UInt8] = (0..<(1 << 18)).flatMap { _ -> [UInt8] in
            let v = rng.next()
            return (0..<8).map { UInt8(truncatingIfNeeded: v >> ($0 * 8)) }
        }
        var snapshots = 0
        try sink.consume(snapshot(at: base))
        // 40 chunks of ~1 MiB of poorly compressible records (random DATA items): far more than 8 MiB.
        for n in 0..<40 {
            let t = base + UInt64(n) * 10_000_000
            now = t
            var c = EventChunk(capacity: 1 << 20)
            var i: UInt64 = 0
            while true {
                let at = Int(i) * 200 % (noise.count - 200)
                let r = RecordBuilder.syscall(ts: t + i, tid: 1, pid: 1, nr: 0, ret: 200, items: [.data(Array(noise[at..<at + 200]))])
                if !r.withUnsafeBytes({ c.append($0) }) { break }
                i += 1
            }
            try sink.consume(c)
            // The writer loop hurries the snapshot thread when the sink asks; here it comes at once.
            if sink.wantsSnapshotSoon { try sink.consume(snapshot(at: t + i)); snapshots += 1 }
            XCTAssertLessThanOrEqual(sink.peakBytes, FlightOptions.minSizeBytes)
        }
        XCTAssertGreaterThan(snapshots, 4, "a snapshot every eighth of the ring")
        XCTAssertGreaterThan(sink.recordsEvictedForSpace, 0)
        sink.trigger(.signal, atNs: now)
        now += FlightOptions.settleNs
        try sink.flush()
        let capture = try XCTUnwrap(sink.captures.first)
        XCTAssertTrue(capture.startsWithSnapshot)
        XCTAssertGreaterThan(capture.bytes, UInt64(FlightOptions.minSizeBytes) / 2, "most of the ring is the window")
        XCTAssertLessThanOrEqual(capture.bytes, UInt64(FlightOptions.minSizeBytes) + 100_000)
    }

    /// A stand-in for the CLI's engine-backed filter: matches a record of pid 777.
    final class PidFilter: FlightEventFilter {
        let text = "proc.pid=777"
        var snapshots = 0
        func load(_ snapshot: CaptureSnapshot) { snapshots += 1 }
        func firstMatch(in chunk: EventChunk, notBeforeNs: UInt64) -> UInt64? {
            var hit: UInt64?
            chunk.withUnsafeBytes { b in
                var o = 0
                while o + 24 <= b.count {
                    let ts = b.loadUnaligned(fromByteOffset: o, as: UInt64.self)
                    let pid = b.loadUnaligned(fromByteOffset: o + 12, as: UInt32.self)
                    let len = Int(b.loadUnaligned(fromByteOffset: o + 18, as: UInt16.self))
                    if hit == nil, pid == 777, ts >= notBeforeNs { hit = ts }
                    o += max(len, 8)
                }
            }
            return hit
        }
    }

    func testAFilterTriggersAtTheMatchingRecordAndReArmsAfterTheWindow() throws {
        let dir = try makeScratchDirectory(self)
        let filter = PidFilter()
        let sink = try FlightRecorderSink(options: FlightOptions(directory: dir, windowNs: 2_000_000_000, sizeBytes: 8 << 20,
                                                                 afterNs: 500_000_000),
                                          header: header(), filter: filter)
        let base: UInt64 = 1000_000_000_000
        var now = base
        sink.clock = { now }
        for tenth in 0..<100 {
            let t = base + UInt64(tenth) * 100_000_000
            now = t
            if tenth % 5 == 0 { try sink.consume(snapshot(at: t)) }
            let pid: UInt32 = (tenth == 40 || tenth == 41 || tenth == 80) ? 777 : 4242
            try sink.consume(chunk(from: t, count: 10, stepNs: 1_000_000, pid: pid))
        }
        try sink.finish()
        XCTAssertEqual(filter.snapshots, 20)
        XCTAssertEqual(sink.captures.map(\.trigger), [.filter("proc.pid=777"), .filter("proc.pid=777")],
                       "tenth 41 comes during the first one's --after (merged); tenth 80 triggers again")
        XCTAssertEqual(sink.captures.first?.triggerNs, base + 40 * 100_000_000)
        XCTAssertEqual(sink.captures.last?.triggerNs, base + 80 * 100_000_000)
        XCTAssertLessThanOrEqual(sink.captures.first?.startNs ?? .max, base + 20 * 100_000_000)
        XCTAssertGreaterThanOrEqual(sink.captures.first?.endNs ?? 0, base + 45 * 100_000_000)
        XCTAssertEqual(sink.mergedTriggers, 0, "a filter that matches while a window is pending is not a new trigger")
    }

    func testAnUnusableDirectoryFailsInOneLine() throws {
        let dir = try makeScratchDirectory(self)
        let file = dir + "/plain"
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data()))
        XCTAssertThrowsError(try FlightRecorderSink(options: FlightOptions(directory: file, windowNs: 1, sizeBytes: 8 << 20),
                                                    header: header())) { error in
            XCTAssertTrue("\(error)".contains("-w names a directory"), "\(error)")
        }
        XCTAssertEqual(FlightRecorderSink.fileName(triggerNs: 0, offsetNs: 1_700_000_000_000_000_000, tag: "signal", sequence: 3),
                       "flight-20231114T221320Z-signal-3.kcap")
    }

    // MARK: the real recorder (root, BPF)

    /// Boot-time ns now (the clock of the records).
    private func bootNs() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_BOOTTIME, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }

    /// The captures in `dir`, each read on its own by `kcap read` (exit 0) and by the reader.
    private func captures(in dir: String, kcap: String) throws -> [(path: String, reader: CaptureReader)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".kcap") }.sorted()
        return try names.map { name in
            let path = dir + "/" + name
            let read = try runProcess(kcap, ["read", path])
            XCTAssertEqual(read.status, 0, read.stderr)
            XCTAssertFalse(read.stdout.isEmpty)
            let info = try runProcess(kcap, ["info", path])
            XCTAssertEqual(info.status, 0, info.stdout + info.stderr)
            XCTAssertTrue(info.stdout.contains("integrity     OK"), info.stdout)
            return (path, try CaptureReader(path: path))
        }
    }

    /// The first block's snapshot timestamp, and the newest record timestamp.
    private func span(_ reader: CaptureReader) throws -> (startSnapshotNs: UInt64?, lastRecordNs: UInt64) {
        var start: UInt64?
        var sawBlock = false
        var last: UInt64 = 0
        try reader.forEachBlock { block in
            switch block {
            case .snapshot(let s): if !sawBlock { start = s.timestampNs }
            case .events(let v): last = max(last, v.lastTimestampNs)
            case .counters: break
            }
            sawBlock = true
        }
        return (start, last)
    }

    func testSIGUSR1WritesTheLastWindowWhichStartsNoLaterThanTheWindowBeforeIt() throws {
        try requireBPF()
        let kcap = try kcapBinary()
        let dir = try makeScratchDirectory(self) + "/flight"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: kcap)
        p.arguments = ["record", "--flight", "2s", "-w", dir, "--duration", "9s"]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        // Recording for 5 s (more than the window and a snapshot interval), then the signal.
        Thread.sleep(forTimeInterval: 5)
        let triggerNs = bootNs()
        kill(p.processIdentifier, SIGUSR1)
        p.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(p.terminationStatus, 0, stderr)
        XCTAssertTrue(stderr.contains("flight: wrote \(dir)/flight-"), stderr)
        XCTAssertTrue(stderr.contains("1 flight capture in"), stderr)
        let files = try captures(in: dir, kcap: kcap)
        XCTAssertEqual(files.count, 1, "one trigger, one window")
        let (path, reader) = try XCTUnwrap(files.first)
        XCTAssertTrue(path.contains("-signal-1.kcap"), path)
        XCTAssertEqual(reader.header.extra["flightTrigger"], "SIGUSR1")
        let recordedTrigger = try XCTUnwrap(reader.header.extra["flightTriggerNs"].flatMap { UInt64($0) })
        XCTAssertLessThanOrEqual(recordedTrigger, triggerNs + 100_000_000, "the handler stamps the signal's arrival")
        XCTAssertGreaterThanOrEqual(recordedTrigger, triggerNs)
        let s = try span(reader)
        let start = try XCTUnwrap(s.startSnapshotNs, "a snapshot at the window's start")
        XCTAssertLessThanOrEqual(start, recordedTrigger - 2_000_000_000, "the window reaches 2 s back")
        XCTAssertGreaterThan(start, recordedTrigger - 3_000_000_000, "and not much more (snapshots every 0.5 s)")
        XCTAssertGreaterThanOrEqual(s.lastRecordNs, recordedTrigger, "the records up to the signal are in")
    }

    func testATriggerFilterWritesTheWindowAroundTheFirstMatchWithAfter() throws {
        try requireBPF()
        let kcap = try kcapBinary()
        let dir = try makeScratchDirectory(self)
        let marker = dir + "/trigger-marker"
        FileManager.default.createFile(atPath: marker, contents: Data("x\n".utf8))
        // The command opens the marker after 3 s, then keeps making events for 3 s more; --after 1s.
        let script = "i=0; while [ $i -lt 30 ]; do ls / >/dev/null; sleep 0.1; i=$((i+1)); done; cat \(marker) >/dev/null; "
            + "i=0; while [ $i -lt 30 ]; do ls / >/dev/null; sleep 0.1; i=$((i+1)); done"
        let out = dir + "/out"
        let run = try runProcess(kcap, ["record", "--flight", "2s", "-w", out, "--trigger", "evt.type=openat and fd.name=\(marker)",
                                        "--after", "1s", "--keep-on-failure", "--", "/bin/sh", "-c", script])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("(filter 'evt.type=openat and fd.name=\(marker)'"), run.stderr)
        let files = try captures(in: out, kcap: kcap)
        XCTAssertEqual(files.count, 1, "the filter's window only: the command exited 0 under --keep-on-failure")
        let (path, reader) = try XCTUnwrap(files.first)
        XCTAssertTrue(path.contains("-filter-1.kcap"), path)
        let triggerNs = try XCTUnwrap(reader.header.extra["flightTriggerNs"].flatMap { UInt64($0) })
        // The match itself is in the file, read on its own through the same filter.
        let matched = try runProcess(kcap, ["read", "-p", "%evt.rawtime %proc.name", path, "evt.type=openat and fd.name=\(marker)"])
        XCTAssertEqual(matched.status, 0, matched.stderr)
        let line = try XCTUnwrap(matched.stdout.split(separator: "\n").first, matched.stdout)
        let wall = wallClock(bootNs: triggerNs, offsetNs: reader.header.bootTimeRealtimeOffsetNs)
        XCTAssertEqual(line, "\(wall) cat", "the trigger is the first matching event")
        let s = try span(reader)
        XCTAssertLessThanOrEqual(try XCTUnwrap(s.startSnapshotNs), triggerNs - 2_000_000_000)
        XCTAssertGreaterThanOrEqual(s.lastRecordNs, triggerNs + 1_000_000_000, "--after 1s kept recording past it")
    }

    func testKeepOnFailureKeepsTheWindowOfAFailingCommandOnly() throws {
        try requireBPF()
        let kcap = try kcapBinary()
        let dir = try makeScratchDirectory(self)
        let passing = try runProcess(kcap, ["record", "--flight", "5s", "-w", dir + "/pass", "--keep-on-failure",
                                            "--", "/bin/sh", "-c", "ls / >/dev/null; exit 0"])
        XCTAssertEqual(passing.status, 0, passing.stderr)
        XCTAssertTrue(passing.stderr.contains("no trigger, nothing written"), passing.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/pass"), [])

        let failing = try runProcess(kcap, ["record", "--flight", "5s", "-w", dir + "/fail", "--keep-on-failure",
                                            "--", "/bin/sh", "-c", "ls / >/dev/null; exit 3"])
        XCTAssertEqual(failing.status, 3, "kcap exits with the command's status: " + failing.stderr)
        XCTAssertTrue(failing.stderr.contains("(command exit status 3;"), failing.stderr)
        let files = try captures(in: dir + "/fail", kcap: kcap)
        XCTAssertEqual(files.count, 1)
        let (path, reader) = try XCTUnwrap(files.first)
        XCTAssertTrue(path.contains("-exit-1.kcap"), path)
        XCTAssertNotNil(try span(reader).startSnapshotNs)
        // The whole run of the command is in it, to its exit.
        let exits = try runProcess(kcap, ["read", "-p", "%proc.name %evt.type %evt.arg.status", path, "evt.type=exit_group"])
        XCTAssertTrue(exits.stdout.contains("sh exit_group 3"), exits.stdout)
        let ls = try runProcess(kcap, ["read", "-p", "%proc.name", path, "proc.name=ls and evt.type=execve"])
        XCTAssertTrue(ls.stdout.contains("ls"), ls.stdout)
    }

    func testTheWindowStaysWithinFlightSizeUnderLoad() throws {
        try requireBPF()
        let kcap = try kcapBinary()
        let dir = try makeScratchDirectory(self)
        // 150,000 reads and writes of 64 random bytes each (their DATA items do not compress): about 20 MB of
        // window for 8 MiB of memory.
        let run = try runProcess(kcap, ["record", "--flight", "60s", "--flight-size", "8M", "-w", dir + "/out", "--",
                                        "/bin/sh", "-c", "dd if=/dev/urandom of=/dev/null bs=64 count=150000 2>/dev/null; exit 1"])
        XCTAssertEqual(run.status, 1, run.stderr)
        let peak = try XCTUnwrap(run.stderr.range(of: #"peak [0-9.]+ MiB"#, options: .regularExpression).map { run.stderr[$0] })
        let mib = try XCTUnwrap(Double(peak.dropFirst(5).dropLast(4)))
        XCTAssertLessThanOrEqual(mib, 8.0, run.stderr)
        XCTAssertTrue(run.stderr.contains("left the window early for lack of memory"), "the bound was reached: " + run.stderr)
        XCTAssertFalse(run.stderr.contains("no snapshot at its start"), run.stderr)
        _ = try captures(in: dir + "/out", kcap: kcap)
    }

    func testFlightOptionsAreCheckedBeforeAnythingIsLoaded() throws {
        let kcap = try kcapBinary()
        for (args, message) in [
            (["record", "--trigger", "evt.type=open", "-w", "/tmp/x"], "belong to the flight recorder"),
            (["record", "--flight", "10s"], "--flight needs -w DIR"),
            (["record", "--flight", "soon", "-w", "/tmp/x"], "is not a time"),
            (["record", "--flight", "10s", "--flight-size", "1M", "-w", "/tmp/x"], "at least 8M"),
            (["record", "--flight", "10s", "-w", "/tmp/x", "-C", "10"], "-C, -G and -W do not apply"),
            (["record", "--flight", "10s", "-w", "/tmp/x", "--keep-on-failure"], "--keep-on-failure needs -- COMMAND"),
        ] {
            let run = try runProcess(kcap, args)
            XCTAssertNotEqual(run.status, 0, args.joined(separator: " "))
            XCTAssertTrue(run.stderr.contains(message), "\(args): \(run.stderr)")
        }
        let bad = try runProcess(kcap, ["record", "--flight", "10s", "-w", "/tmp/kcap-flight-never", "--trigger", "evt.typ=open"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.hasPrefix("kcap record: --trigger: "), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/kcap-flight-never"), "nothing was created")
    }
}

/// The table the loader hands the program (`kcap_unused_args`): how many trailing argument registers each
/// syscall does not take, by the x86_64 ABI (man 2 read: 3 arguments; getpid: none; mmap: 6).
final class UnusedArgumentsTests: XCTestCase {
    func testCountsFollowTheSyscallsArityAndUnknownSyscallsKeepAll() throws {
        let t = try XCTUnwrap(UnusedArguments(machine: "x86_64"))
        XCTAssertEqual([0, 39, 9, 3, 999].map { t.counts[$0] }, [3, 6, 0, 5, 0]) // read, getpid, mmap, close, unknown
        XCTAssertNil(UnusedArguments(machine: "riscv64"))
    }
}
