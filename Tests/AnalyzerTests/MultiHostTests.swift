import XCTest
import KcapTestSupport
import CaptureFormat
@testable import Analyzer

/// `kcap merge` of several hosts' captures (Tests/Fixtures/hosts: recorded in two UTS namespaces named
/// kcap-alpha and kcap-beta): each event keeps its host, each host its processes, and the clocks are put on one.
final class MultiHostTests: ScratchTestCase {
    static let hosts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/hosts")
    static let alpha = hosts.appendingPathComponent("alpha.kcap").path
    static let beta = hosts.appendingPathComponent("beta.kcap").path

    /// Lines of `-p FORMAT` for `paths` read as one, with `filter`.
    static func formatted(_ paths: [String], _ format: String, filter: String? = nil) throws -> [String] {
        let replay = try CaptureSetReplay(readers: paths.map { try CaptureReader(path: $0) })
        var options = ReadPipeline.Options()
        if let filter {
            options.filter = try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: replay.engine.machine)).compile(filter, for: Event.self)
        }
        let out = OutputBuffer()
        _ = try ReadPipeline.run(replay, output: .format(format), to: out, options: options)
        return String(decoding: out.bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    static let facts = "*%evt.datetime %evt.host %proc.name %proc.pid %thread.tid %evt.type %evt.rawres %fd.name %proc.cmdline %proc.pname"

    func testFixtureHasTwoHosts() throws {
        XCTAssertEqual(try CaptureReader(path: Self.alpha).header.hostname, "kcap-alpha")
        XCTAssertEqual(try CaptureReader(path: Self.beta).header.hostname, "kcap-beta")
    }

    /// The merge lists both hosts; `host.name=X` gives exactly what reading X's capture alone gives (times,
    /// names, pids, fds); the default line names the host; reading the merge reads as reading both files.
    func testMergeKeepsEachEventsHost() throws {
        for inputs in [[Self.alpha, Self.beta], [Self.beta, Self.alpha]] {
            let merged = file("merged.kcap")
            let summary = try CaptureSlicer.slice(readers: inputs.map { try CaptureReader(path: $0) }, to: merged, since: nil,
                                                  until: nil, filter: nil, merging: true)
            let header = try CaptureReader(path: merged).header
            XCTAssertEqual(Set(header.hosts.map(\.hostname)), ["kcap-alpha", "kcap-beta"])
            var total = 0
            for (name, alone) in [("kcap-alpha", Self.alpha), ("kcap-beta", Self.beta)] {
                let own = try Self.formatted([alone], Self.facts)
                XCTAssertGreaterThan(own.count, 50)
                XCTAssertEqual(try Self.formatted([merged], Self.facts, filter: "host.name=\(name)"), own, name)
                XCTAssertEqual(try Self.formatted([merged], Self.facts, filter: "evt.host=\(name)"), own, name)
                XCTAssertEqual(try Self.formatted([merged], "%evt.type", filter: "host.name=\(name) and evt.type=openat").count,
                               try Self.formatted([alone], "%evt.type", filter: "evt.type=openat").count)
                total += own.count
            }
            XCTAssertEqual(UInt64(total), summary.recordsMatched)
            // Reading the merge and reading the two files together print the same lines, the host on each.
            let lines = try CaptureSetTests.read([merged])
            XCTAssertEqual(lines, try CaptureSetTests.read(inputs))
            XCTAssertEqual(lines.count, total)
            for line in lines {
                let words = line.split(separator: " ")
                XCTAssertTrue(words[2] == "kcap-alpha" || words[2] == "kcap-beta", line)
            }
            // One host's capture alone: no host column.
            XCTAssertFalse(try CaptureSetTests.read([Self.alpha])[0].contains("kcap-alpha"))
        }
    }

    /// A copy of `path` as recorded by a host booted `deltaNs` earlier: every boot-time timestamp is `deltaNs`
    /// later and the realtime offset `deltaNs` smaller, so every wall-clock time is the same.
    func rebooted(_ path: String, by deltaNs: UInt64, name: String) throws -> String {
        let reader = try CaptureReader(path: path)
        var header = reader.header
        header.hostname = name
        header.bootTimeRealtimeOffsetNs -= Int64(deltaNs)
        let out = file("\(name).kcap")
        let writer = try CaptureWriter(path: out, header: header)
        for i in reader.index.indices {
            switch try reader.block(at: i) {
            case .snapshot(var s)?:
                s.shift(by: deltaNs)
                try writer.write(s)
            case .events(let view)?:
                var chunk = EventChunk()
                let moved = MovedRecord()
                var walker = RecordWalker(view.bytes)
                while let r = walker.next() { _ = chunk.append(moved.copy(r, adding: deltaNs).bytes) }
                try writer.write(chunk)
            case .counters(let c)?:
                try writer.write(c)
            case nil:
                break
            }
        }
        try writer.finish()
        return out
    }

    /// Hosts whose boot clocks differ by an hour: merged, each event keeps its wall-clock time, and the
    /// events of both hosts come in wall-clock order.
    func testClocksAreAlignedFromTheRealtimeOffsets() throws {
        let hour: UInt64 = 3_600_000_000_000
        let early = try rebooted(Self.beta, by: hour, name: "kcap-early")
        XCTAssertEqual(try Self.formatted([early], "*%evt.datetime %evt.type"), try Self.formatted([Self.beta], "*%evt.datetime %evt.type"))
        let merged = file("merged.kcap")
        _ = try CaptureSlicer.slice(readers: [try CaptureReader(path: early), try CaptureReader(path: Self.alpha)], to: merged,
                                    since: nil, until: nil, filter: nil, merging: true)
        let reader = try CaptureReader(path: merged)
        XCTAssertEqual(reader.header.bootTimeRealtimeOffsetNs, try CaptureReader(path: early).header.bootTimeRealtimeOffsetNs)
        XCTAssertEqual(try Self.formatted([merged], Self.facts, filter: "host.name=kcap-early"),
                       try Self.formatted([early], Self.facts).map { $0.replacingOccurrences(of: "kcap-beta", with: "kcap-early") })
        XCTAssertEqual(try Self.formatted([merged], Self.facts, filter: "host.name=kcap-alpha"), try Self.formatted([Self.alpha], Self.facts))
        let times = try Self.formatted([merged], "*%evt.rawtime").map { UInt64($0)! }
        XCTAssertEqual(times, times.sorted(), "the merge is in wall-clock order")
        // --since on the merge is on the common clock: the last second of alpha's events.
        let set = try CaptureSetSource(readers: [try CaptureReader(path: early), try CaptureReader(path: Self.alpha)])
        XCTAssertEqual(set.realtimeOffsetNs, reader.header.bootTimeRealtimeOffsetNs)
    }

    /// `kcap ps` and `kcap lsof` at a moment of the merge list each host's processes, as replaying that host's
    /// capture from its start says at that moment.
    func testMomentsOfAMergeAreEachHostsMoments() throws {
        let merged = file("merged.kcap")
        _ = try CaptureSlicer.slice(readers: [try CaptureReader(path: Self.alpha), try CaptureReader(path: Self.beta)], to: merged,
                                    since: nil, until: nil, filter: nil, merging: true)
        let times = try Self.formatted([merged], "*%evt.rawtime").map { Int64($0)! }
        let offset = try CaptureReader(path: merged).header.bootTimeRealtimeOffsetNs
        var checked = 0
        for k in stride(from: 1, to: times.count, by: max(times.count / 9, 1)) {
            let atNs = UInt64(times[k] - offset)
            var source = try CaptureSetSource(readers: [try CaptureReader(path: merged)])
            let fast = try MomentReplay(source: &source, atNs: atNs)
            var whole = try CaptureSetSource(readers: [try CaptureReader(path: merged)])
            let slow = try MomentReplay(source: &whole, atNs: atNs, fromStart: true)
            XCTAssertEqual(ProcessListing(engine: fast.engine), ProcessListing(engine: slow.engine))
            XCTAssertEqual(OpenFileListing(engine: fast.engine), OpenFileListing(engine: slow.engine))
            // Each host's rows are what its own capture says at that wall-clock moment.
            for (name, alone) in [("kcap-alpha", Self.alpha), ("kcap-beta", Self.beta)] {
                let r = try CaptureReader(path: alone)
                let local = times[k] - r.header.bootTimeRealtimeOffsetNs
                guard local >= 0 else { continue }
                var own = try CaptureSetSource(readers: [r])
                let ownMoment = try MomentReplay(source: &own, atNs: UInt64(local), fromStart: true)
                let rows = OpenFileListing(engine: fast.engine).rows.filter { $0.host == name }.map { r -> OpenFileListing.Row in
                    var x = r; x.host = nil; return x
                }
                XCTAssertEqual(rows, OpenFileListing(engine: ownMoment.engine).rows, name)
                let procs = ProcessListing(engine: fast.engine).rows.filter { $0.host == name }.map { r -> [String] in [String(r.pid), r.args.joined(separator: " ")] }
                XCTAssertEqual(procs, ProcessListing(engine: ownMoment.engine).rows.map { [String($0.pid), $0.args.joined(separator: " ")] }, name)
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 8)
    }
}
