import XCTest
import KcapTestSupport
import CaptureFormat
@testable import Analyzer

/// Several captures read as one (`CaptureSetSource`): every fixture cut in two by the real writer, then read
/// back together, must print exactly what the whole prints, whichever order the files are given in.
final class CaptureSetTests: ScratchTestCase {
    /// The fixtures that hold events.
    static func fixtures() throws -> [String] {
        try GoldenTests.fixtureDirectories().map { $0.appendingPathComponent("capture.kcap").path }.filter {
            CaptureFileSource(reader: try CaptureReader(path: $0)).timeRange != nil
        }
    }

    /// What `kcap read FILES… [FILTER]` prints.
    static func read(_ paths: [String], filter: String? = nil, since: String? = nil, until: String? = nil) throws -> [String] {
        let replay = try CaptureSetReplay(readers: paths.map { try CaptureReader(path: $0) })
        var options = ReadPipeline.Options()
        if let filter {
            options.filter = try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: replay.engine.machine)).compile(filter, for: Event.self)
        }
        (options.startNs, options.endNs) = try replay.window(since: since, until: until)
        let out = OutputBuffer()
        _ = try ReadPipeline.run(replay, output: .text, to: out, options: options)
        return String(decoding: out.bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Every record's timestamp, sorted.
    static func stamps(_ path: String) throws -> [UInt64] { try CaptureSplit.timestamps(path) }

    /// The median record's timestamp: a cut with events on both sides.
    static func middle(_ path: String) throws -> UInt64 {
        let stamps = try Self.stamps(path)
        return stamps[stamps.count / 2]
    }

    /// A rotation: the first half (with the opening snapshot) and the second (no snapshot of its own until the
    /// closing one), given in both orders, read as the whole reads, lines and filter alike.
    func testRotatedHalvesReadAsTheWhole() throws {
        var checked = 0
        var carried = 0
        for path in try Self.fixtures() {
            let a = file("a.kcap"), b = file("b.kcap")
            let (na, nb) = try CaptureSplit.split(path, by: .at(try Self.middle(path)), into: a, b)
            XCTAssertGreaterThan(na, 0, path)
            XCTAssertGreaterThan(nb, 0, path)
            let whole = try Self.read([path])
            XCTAssertEqual(try Self.read([a, b]), whole, path)
            XCTAssertEqual(try Self.read([b, a]), whole, "\(path): given second half first")
            let filter = GoldenTests.filter
            XCTAssertEqual(try Self.read([b, a], filter: filter), try Self.read([path], filter: filter), path)
            // The state the second half needs comes from the first: alone, it names less.
            let alone = try Self.read([b])
            if alone != Array(whole.suffix(alone.count)) { carried += 1 }
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 5)
        XCTAssertGreaterThan(carried, 0, "no fixture's second half needed state from the first: the test proves nothing")
    }

    /// Overlapping files: records dealt out one by one between two files (as per-CPU shards) merge back by
    /// timestamp into the original order.
    func testInterleavedShardsMergeByTimestamp() throws {
        for path in try Self.fixtures() {
            let a = file("even.kcap"), b = file("odd.kcap")
            let (na, nb) = try CaptureSplit.split(path, by: .alternate, into: a, b)
            XCTAssertGreaterThan(na, 0, path)
            XCTAssertGreaterThan(nb, 0, path)
            XCTAssertEqual(try Self.read([b, a]), try Self.read([path]), path)
        }
    }

    /// A time window over a set selects what it selects in the whole (from a time seek: the files' snapshots
    /// before it), numbered as the whole numbers it.
    func testWindowOverASetMatchesTheWhole() throws {
        for path in try Self.fixtures() {
            let a = file("a.kcap"), b = file("b.kcap")
            let stamps = try Self.stamps(path)
            try CaptureSplit.split(path, by: .at(stamps[stamps.count / 2]), into: a, b)
            let since = "+\(stamps[stamps.count / 4] - stamps[0])ns", until = "+\(stamps[stamps.count * 3 / 4] - stamps[0])ns"
            let whole = try Self.read([path], since: since, until: until)
            XCTAssertFalse(whole.isEmpty, path)
            XCTAssertEqual(try Self.read([b, a], since: since, until: until), whole, path)
        }
    }

    /// A capture whose chunks are small and whose only snapshot is at its start (as a recording between two
    /// keyframes): a window that starts late still names every process and fd as the whole read names them,
    /// numbered as the whole numbers them (the chunks between the snapshot and the window are replayed).
    func testWindowAfterManyChunksKeepsTheState() throws {
        for path in try Self.fixtures() {
            let stamps = try Self.stamps(path)
            let reader = try CaptureReader(path: path)
            let chunked = file("chunked.kcap")
            let writer = try CaptureWriter(path: chunked, header: reader.header)
            var chunk = EventChunk()
            var n = 0
            try reader.forEachBlock { block in
                switch block {
                case .snapshot(let s): try writer.write(chunk); chunk.reset(); try writer.write(s)
                case .counters(let c): try writer.write(c)
                case .events(let v):
                    try v.forEachRecord { r in
                        _ = chunk.append(r.bytes)
                        n += 1
                        if n % max(stamps.count / 8, 1) == 0 { try writer.write(chunk); chunk.reset() }
                    }
                }
            }
            try writer.write(chunk)
            try writer.finish()
            XCTAssertGreaterThan(try CaptureReader(path: chunked).index.filter { $0.type == .events }.count, 4, path)
            let since = "+\(stamps[stamps.count * 3 / 4] - stamps[0])ns"
            let whole = try Self.read([chunked])
            let late = try Self.read([chunked], since: since)
            XCTAssertFalse(late.isEmpty, path)
            XCTAssertEqual(late, Array(whole.suffix(late.count)), path)
        }
    }

    /// Files of one host (a rotation, recordings of one boot) are one host; files of two hosts are two, each
    /// with its own name, and the set's clock is the earlier-booted host's.
    func testHostsAreTold() throws {
        let fixtures = try Self.fixtures()
        let synthetic = try XCTUnwrap(fixtures.first { $0.contains("synthetic") })
        let recorded = try XCTUnwrap(fixtures.first { !$0.contains("synthetic") })
        let a = file("a.kcap"), b = file("b.kcap")
        try CaptureSplit.split(recorded, by: .at(try Self.middle(recorded)), into: a, b)
        XCTAssertEqual(try CaptureSetSource(readers: [try CaptureReader(path: b), try CaptureReader(path: a)]).hosts.count, 1)
        let hostsAndRecordings = try fixtures.filter { !$0.contains("synthetic") }.map { try CaptureReader(path: $0) }
        XCTAssertEqual(try CaptureSetSource(readers: hostsAndRecordings).hosts.count, 1, "recordings of one boot")
        let mixed = try CaptureSetSource(readers: [try CaptureReader(path: recorded), try CaptureReader(path: synthetic)])
        XCTAssertEqual(Set(mixed.hostNames), Set([try CaptureReader(path: recorded).header.hostname, try CaptureReader(path: synthetic).header.hostname]))
        XCTAssertEqual(mixed.realtimeOffsetNs, min(try CaptureReader(path: recorded).header.bootTimeRealtimeOffsetNs,
                                                   try CaptureReader(path: synthetic).header.bootTimeRealtimeOffsetNs))
    }

    /// Captures of different machines cannot share an engine: one line naming both files.
    func testDifferentMachinesAreRefused() throws {
        let path = try XCTUnwrap(try Self.fixtures().first)
        let reader = try CaptureReader(path: path)
        var header = reader.header
        header.machine = header.machine == "aarch64" ? "x86_64" : "aarch64"
        let other = file("other.kcap")
        try CaptureWriter(path: other, header: header).finish()
        XCTAssertThrowsError(try CaptureSetSource(readers: [reader, try CaptureReader(path: other)])) { error in
            XCTAssertTrue("\(error)".contains(other), "\(error)")
        }
    }
}
