import XCTest
import KcapTestSupport
import EventSchema
import CaptureFormat
@testable import Analyzer
#if canImport(Glibc)
import Glibc
#endif

/// Sinks, time bounds, the drop warning and the output buffer's end-of-pipe behaviour.
final class OutputTests: XCTestCase {
    static var synthetic: String { GoldenTests.fixtures.appendingPathComponent("synthetic-families/capture.kcap").path }

    func render(_ path: String, since: String? = nil, until: String? = nil, max: UInt64? = nil,
                filter: String? = nil, format: String? = nil) throws -> [String] {
        let replay = CaptureReplay(reader: try CaptureReader(path: path))
        let range = replay.timeRange!
        let offset = replay.reader.header.bootTimeRealtimeOffsetNs
        let start = try since.map { try TimeBound(parsing: $0).bootNs(first: range.first, last: range.last, realtimeOffsetNs: offset) }
        let end = try until.map { try TimeBound(parsing: $0).bootNs(first: range.first, last: range.last, realtimeOffsetNs: offset) }
        let out = OutputBuffer()
        let compiled = try filter.map {
            try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: replay.engine.machine)).compile($0, for: Event.self)
        }
        let printer = EventPrinter(engine: replay.engine)
        func play<S: EventSink>(_ sink: S) throws {
            var c = FilteredSink(sink: sink, filter: compiled, printer: printer, maxEvents: max)
            c.startNs = start ?? 0
            c.endNs = end ?? .max
            try replay.run(from: start, into: &c)
            try c.sink.finish()
        }
        if let format { try play(try FormatSink(format: format, out: out, printer: printer)) }
        else { try play(TextSink(out: out, printer: printer)) }
        return out.string.split(separator: "\n").map(String.init)
    }

    func testMaxEventsAndFilter() throws {
        XCTAssertEqual(try render(Self.synthetic, max: 3).count, 3)
        XCTAssertEqual(try render(Self.synthetic, max: 1).count, 1)
        XCTAssertEqual(try render(Self.synthetic, max: 0).count, 49, "-n 0 is no limit, as in kcap record and sysdig")
        let opens = try render(Self.synthetic, filter: "evt.type in (open, openat) and evt.failed=false")
        XCTAssertEqual(opens.count, 5)
        XCTAssertTrue(opens.allSatisfy { $0.contains(" < open") })
        let failed = try render(Self.synthetic, filter: "evt.res=ENOENT")
        XCTAssertEqual(failed.count, 1)
        XCTAssertTrue(failed[0].contains("fd=-2(ENOENT)"))
        // fd.name of a failed open names the file it tried
        XCTAssertEqual(try render(Self.synthetic, filter: "fd.name=/nonexistent/file").count, 1)
        XCTAssertEqual(try render(Self.synthetic, filter: "proc.pname=app and proc.name=cat").count, 6)
    }

    func testSinceAndUntilOffsetsAndWallClock() throws {
        // events are 1 µs apart from +0; the last three come 1 ms later
        let all = try render(Self.synthetic)
        XCTAssertEqual(all.count, 49)
        let late = try render(Self.synthetic, since: "+1ms")
        XCTAssertEqual(late.map { $0.split(separator: " ")[0] }, ["47", "48", "49"], "numbering follows the file")
        XCTAssertEqual(try render(Self.synthetic, until: "+9us").count, 10)
        XCTAssertEqual(try render(Self.synthetic, since: "-2us").count, 3)
        XCTAssertEqual(try render(Self.synthetic, since: "11:06:41.000040000", until: "2026-11-18T11:06:41.000041Z").count, 2)
        XCTAssertEqual(try render(Self.synthetic, since: "2026-11-18T12:06:41.000040+01:00", until: "+39us").count, 1)
        XCTAssertThrowsError(try TimeBound(parsing: "yesterday"))
        XCTAssertThrowsError(try TimeBound(parsing: "+2 parsecs"))
        XCTAssertEqual(try TimeBound(parsing: "+1.5s"), .fromStart(1_500_000_000))
        XCTAssertEqual(try TimeBound(parsing: "-500ms"), .fromEnd(500_000_000))
    }

    /// Issue 8, item 3: bounds and durations at and past the ends of Int64 are one-line errors; values that
    /// fit are kept exactly; resolving against an extreme realtime offset clamps instead of trapping.
    func testTimeBoundsAtTheEndsOfInt64() throws {
        for bad in ["+1e19s", "-inf", "+nan", "+infinity", "+0x1p3s", "+", "+-1s", "+1e300h", "+2562048h",
                    "99999999999-01-01T00:00:00Z", "2026-01-01T00:00:00+99999999999999", "2026-01-01T00:00:00+19:00",
                    "2026-01-01T00:00:00+01:99", "1000-01-01T00:00:00Z", "2263-01-01T00:00:00Z"] {
            XCTAssertThrowsError(try TimeBound(parsing: bad), bad) { XCTAssertFalse("\($0)".contains("\n"), "\($0)") }
        }
        XCTAssertEqual(try TimeBound(parsing: "+2562047h"), .fromStart(2_562_047 * 3_600_000_000_000))
        XCTAssertEqual(try TimeBound(parsing: "1677-09-22T00:00:00Z"), .wallClock(-9_223_286_400_000_000_000))
        XCTAssertEqual(try TimeBound(parsing: "2026-01-01T00:00:00-18:00"), .wallClock(1_767_225_600_000_000_000 + 18 * 3_600_000_000_000))
        XCTAssertEqual(DurationText.nanoseconds(" 1.5S "), 1_500_000_000)
        XCTAssertEqual(DurationText.nanoseconds("9223372036854775807ns"), nil, "rounds to 2^63 as a Double: does not fit")
        XCTAssertEqual(DurationText.nanoseconds("9223372036854774784ns"), 9_223_372_036_854_774_784)
        for bad in ["", "s", "-1s", "nan", "inf", "1e30s", "0x10", "1..2s"] { XCTAssertNil(DurationText.nanoseconds(bad), bad) }
        for offset in [Int64.max, Int64.min, Int64.max - 1_000_000_998, 0] {
            for text in ["10:00:00", "23:59:59.999999999", "00:00:00", "2026-11-22T10:00:00Z", "+1s", "-1s", "+2562047h", "-2562047h"] {
                let b = try TimeBound(parsing: text)
                _ = b.bootNs(first: 1_000_001_000, last: 1_000_003_000, realtimeOffsetNs: offset)
                _ = b.bootNs(first: .max, last: .max, realtimeOffsetNs: offset)
                _ = b.bootNs(first: 0, last: 0, realtimeOffsetNs: offset)
            }
        }
        XCTAssertEqual(try TimeBound(parsing: "+2562047h").bootNs(first: .max - 5, last: .max, realtimeOffsetNs: 0), .max, "saturates")
        XCTAssertEqual(try TimeBound(parsing: "-2562047h").bootNs(first: 0, last: 5, realtimeOffsetNs: 0), 0, "clamps at 0")
    }

    func testFormatSinkSkipsEventsMissingAFieldUnlessStarred() throws {
        let withFd = try render(Self.synthetic, format: "%evt.num %fd.name")
        let all = try render(Self.synthetic, format: "*%evt.num %fd.name")
        XCTAssertEqual(all.count, 49)
        XCTAssertLessThan(withFd.count, all.count)
        XCTAssertTrue(all.contains("31 <NA>"))
        XCTAssertEqual(try render(Self.synthetic, max: 1, format: "%proc.name:%thread.tid %evt.type %evt.arg.name %evt.rawarg.flags %proc.cmdline"),
                       ["app:100 openat hosts 524288 app --serve"])
        let replay = CaptureReplay(reader: try CaptureReader(path: Self.synthetic))
        XCTAssertThrowsError(try FormatSink(format: "%proc.nam", out: OutputBuffer(), printer: EventPrinter(engine: replay.engine))) {
            XCTAssertTrue("\($0)".contains("proc.name"), "\($0)")
        }
    }

    func testDropWarningSaysHowManyAndWhere() throws {
        let replay = CaptureReplay(reader: try CaptureReader(path: Self.synthetic))
        let w = replay.dropWarning { String($0) }
        XCTAssertNotNil(w)
        XCTAssertTrue(w!.contains("dropped 3 of 60 events"), w!)
        XCTAssertTrue(w!.contains("kernel buffer full: 3"), w!)
        XCTAssertTrue(w!.contains("between 1000000000 and 1000046001"), w!)
        let clean = GoldenTests.fixtureDirectories().first { $0.lastPathComponent == "files" }
        if let clean {
            XCTAssertNil(CaptureReplay(reader: try CaptureReader(path: clean.appendingPathComponent("capture.kcap").path)).dropWarning { String($0) })
        }
    }

    func testClosedPipeEndsOutputWithClosed() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        close(fds[0])
        signal(SIGPIPE, SIG_IGN)
        let out = OutputBuffer(fd: fds[1], chunkSize: 16)
        out.append("more than sixteen bytes of output\n")
        XCTAssertThrowsError(try out.flushIfNeeded()) { XCTAssertEqual($0 as? OutputError, .closed) }
        close(fds[1])
    }

    func testJSONEscapingAndNumbers() {
        let out = OutputBuffer()
        out.appendJSONString("a\"b\\c\nd\u{1}é")
        out.append(UInt8(ascii: " "))
        out.appendSigned(-42)
        out.append(UInt8(ascii: " "))
        out.appendPadded(7, width: 3)
        out.append(UInt8(ascii: " "))
        out.appendHex(0xbeef)
        XCTAssertEqual(out.string, "\"a\\\"b\\\\c\\nd\\u0001é\" -42 007 0xbeef")
        let bad: [UInt8] = [0x22, 0xff, 0x41]
        out.reset()
        bad.withUnsafeBytes { out.appendJSONString($0) }
        XCTAssertEqual(out.string, "\"\\\"\u{FFFD}A\"")
    }

    /// Records appended to a chunk, as the recorder's drain appends them from the ring.
    static func chunk(_ records: [[UInt8]]) -> EventChunk {
        var c = EventChunk()
        for r in records { precondition(r.withUnsafeBytes { c.append($0) }) }
        return c
    }

    /// Live output (`LiveRingSource` → engine → filter → sink) and the file replay print the same lines for the
    /// same records and snapshots: the engine does not know its source.
    func testLiveAndFileSourcesPrintTheSameLines() throws {
        let replay = CaptureReplay(reader: try CaptureReader(path: Self.synthetic))
        let fileOut = OutputBuffer()
        _ = try ReadPipeline.run(replay, output: .text, to: fileOut, options: .init())
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kcap-live-same-\(getpid()).txt").path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { unlink(path) }
        let reader = try CaptureReader(path: Self.synthetic)
        let live = try LiveOutput(machine: reader.header.machine, realtimeOffsetNs: reader.header.bootTimeRealtimeOffsetNs, fd: fd)
        try reader.forEachBlock { block in
            switch block {
            case .snapshot(let s): live.load(s)
            case .counters: break
            case .events(let view):
                var c = EventChunk()
                var walker = RecordWalker(view.bytes)
                while let r = walker.next() { XCTAssertTrue(c.append(r.bytes)) }
                XCTAssertTrue(try live.feed(c))
            }
        }
        try live.flush()
        close(fd)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), fileOut.string)
    }

    func testLiveOutputPrintsRecordsAsTheyCome() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kcap-live-\(getpid()).txt").path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { unlink(path) }
        let live = try LiveOutput(machine: "x86_64", realtimeOffsetNs: 0, filter: "fd.name contains hosts", fd: fd)
        live.load(CaptureSnapshot(timestampNs: 1, threads: [ThreadInfo(tid: 5, pid: 5, comm: "live", cwd: "/etc")]))
        let openat = RecordBuilder.syscall(ts: 3_600_000_000_000, tid: 5, pid: 5, nr: 257, ret: 3,
                                           args: [RecordBuilder.arg(-100)], items: [.path("hosts", arg: 1)])
        let closeRecord = RecordBuilder.syscall(ts: 3_600_000_001_000, tid: 5, pid: 5, nr: 3, ret: 0, args: [3])
        let getppid = RecordBuilder.syscall(ts: 3_600_000_002_000, tid: 5, pid: 5, nr: 110, ret: 1)
        for r in [openat, closeRecord, getppid] { XCTAssertTrue(try live.feed(Self.chunk([r]))) }
        try live.flush()
        close(fd)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(text.split(separator: "\n").count, 2)
        XCTAssertTrue(text.hasPrefix("1 01:00:00.000000000 0 live (5) < openat fd=3(<f>/etc/hosts)"), text)
        XCTAssertThrowsError(try LiveOutput(machine: "x86_64", realtimeOffsetNs: 0, filter: "fd.nme = x"))
    }

    func testLiveOutputWalksAChunkOfRecordsAndStopsAtMaxEvents() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kcap-live-chunk-\(getpid()).txt").path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { unlink(path) }
        let live = try LiveOutput(machine: "x86_64", realtimeOffsetNs: 0, filter: "evt.type=getppid", fd: fd, maxEvents: 2)
        live.load(CaptureSnapshot(timestampNs: 1, threads: [ThreadInfo(tid: 5, pid: 5, comm: "live", cwd: "/")]))
        // Records laid end to end, as the recorder's drain copies them into an EventChunk.
        let records = (0..<5).map { RecordBuilder.syscall(ts: 3_600_000_000_000 + UInt64($0), tid: 5, pid: 5, nr: 110, ret: 1) }
        let more = try live.feed(Self.chunk(records))
        XCTAssertFalse(more, "stops once -n events were printed")
        XCTAssertFalse(live.isClosed)
        try live.flush()
        close(fd)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        XCTAssertTrue(lines[0].hasPrefix("1 01:00:00.000000000 0 live (5) < getppid"), String(lines[0]))
        XCTAssertTrue(lines[1].hasPrefix("2 "), String(lines[1]))
        // A truncated tail (a length that runs past the end) ends the walk without reading past it.
        let fresh = try LiveOutput(machine: "x86_64", realtimeOffsetNs: 0, fd: -1)
        let cut = records.dropLast() + [Array(records[4].prefix(records[4].count - 8))]
        XCTAssertTrue(try fresh.feed(Self.chunk(Array(cut))))
        XCTAssertEqual(fresh.engine.eventCount, 4)
    }
}
