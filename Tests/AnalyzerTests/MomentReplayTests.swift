import XCTest
import KcapTestSupport
import CaptureFormat
@testable import Analyzer

/// `kcap ps/lsof --at T`: the state from the nearest snapshot must be the state a replay from the start reaches
/// at T. Each fixture is rewritten with a keyframe (the engine's own snapshot) every fifth of its records, so
/// the fast path really starts in the middle; then many moments are asked of both files.
final class MomentReplayTests: ScratchTestCase {
    /// Copies `path` to `out` with a snapshot of the replaying engine's tables after every `every` records
    /// (each in a chunk of its own, so the index can seek to it). Returns how many keyframes it wrote.
    static func keyframed(_ path: String, to out: String, every: Int) throws -> Int {
        let reader = try CaptureReader(path: path)
        let source = CaptureFileSource(reader: reader)
        let engine = Engine(for: source)
        let writer = try CaptureWriter(path: out, header: reader.header)
        var chunk = EventChunk()
        var ignore = IgnoringConsumer()
        var n = 0, keyframes = 0
        func flush() throws {
            try writer.write(chunk)
            chunk.reset()
        }
        try reader.forEachBlock { block in
            switch block {
            case .snapshot(let s):
                engine.load(s)
                try flush()
                try writer.write(s)
            case .counters(let c):
                try flush()
                try writer.write(c)
            case .events(let view):
                try view.forEachRecord { record in
                    if !chunk.append(record.bytes) {
                        try flush()
                        _ = chunk.append(record.bytes)
                    }
                    _ = engine.process(record, into: &ignore)
                    n += 1
                    if n % every == 0 {
                        try flush()
                        try writer.write(engine.snapshot(at: record.timestampNs))
                        keyframes += 1
                    }
                }
            }
        }
        try flush()
        try writer.finish()
        return keyframes
    }

    func testStateFromTheNearestSnapshotIsTheStateReplayedFromTheStart() throws {
        var compared = 0, seeked = 0
        for path in try CaptureSetTests.fixtures() {
            let stamps = try CaptureSetTests.stamps(path)
            let copy = file("keyframed.kcap")
            let keyframes = try Self.keyframed(path, to: copy, every: max(stamps.count / 5, 1))
            XCTAssertGreaterThanOrEqual(keyframes, 4, path)
            var namelessSnapshots = false
            try CaptureReader(path: path).forEachBlock { block in
                if case .snapshot(let s) = block, s.users.isEmpty { namelessSnapshots = true }
            }
            // Moments at records, between records, before the first and after the last.
            var moments = stride(from: 0, to: stamps.count, by: max(stamps.count / 23, 1)).flatMap { [stamps[$0], stamps[$0] + 1] }
            moments += [stamps[0] - 1, stamps.last!, stamps.last! + 1_000_000_000]
            for at in moments {
                var slowSource = try CaptureSetSource(readers: [try CaptureReader(path: path)])
                let slow = try MomentReplay(source: &slowSource, atNs: at, fromStart: true)
                var fastSource = try CaptureSetSource(readers: [try CaptureReader(path: copy)])
                let fast = try MomentReplay(source: &fastSource, atNs: at)
                var fastState = fast.engine.snapshot(at: at), slowState = slow.engine.snapshot(at: at)
                var fastPs = ProcessListing(engine: fast.engine).rows, slowPs = ProcessListing(engine: slow.engine).rows
                if namelessSnapshots {
                    // User and group names come with snapshots; one without them (format 1.0, the synthetic
                    // fixture's resync) names nobody for a replay that starts there.
                    (fastState.users, fastState.groups, slowState.users, slowState.groups) = ([:], [:], [:], [:])
                    for i in fastPs.indices { fastPs[i].user = nil }
                    for i in slowPs.indices { slowPs[i].user = nil }
                }
                XCTAssertEqual(fastState, slowState, "\(path) at \(at)")
                XCTAssertEqual(fastPs, slowPs, "\(path) at \(at)")
                let fastFds = OpenFileListing(engine: fast.engine).rows, slowFds = OpenFileListing(engine: slow.engine).rows
                XCTAssertEqual(fastFds.count, slowFds.count, "\(path) at \(at)")
                for (f, s) in zip(fastFds, slowFds) where f != s {
                    // A snapshot does not say which end of an accepted connection is the client (neither does
                    // /proc), so such a socket loaded from one names its ends the other way round; nothing else
                    // may differ.
                    var turned = s
                    turned.name = s.name.components(separatedBy: "->").reversed().joined(separator: "->")
                    XCTAssertTrue(s.type.hasPrefix("ipv") && s.name.contains("->"), "\(path) at \(at): \(f) vs \(s)")
                    XCTAssertEqual(f, turned, "\(path) at \(at)")
                }
                // The slow replay saw exactly the records up to the moment.
                XCTAssertEqual(slow.recordsReplayed, UInt64(stamps.filter { $0 <= at }.count), "\(path) at \(at)")
                XCTAssertLessThanOrEqual(fast.recordsReplayed, slow.recordsReplayed, "\(path) at \(at)")
                if fast.recordsReplayed < slow.recordsReplayed { seeked += 1 }
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 100)
        XCTAssertGreaterThan(seeked, compared / 3, "the fast path did not start from the keyframes")
    }

    /// The listings say what the engine holds: every process and fd of the exported snapshot, in tree order.
    func testListingsCoverTheEngineTables() throws {
        for path in try CaptureSetTests.fixtures() {
            let moment = try MomentReplay(readers: [try CaptureReader(path: path)], at: "+0s")
            let snapshot = moment.engine.snapshot(at: moment.atNs)
            let ps = ProcessListing(engine: moment.engine)
            XCTAssertEqual(Set(ps.rows.map(\.pid)), Set(snapshot.threads.map(\.pid)), path)
            XCTAssertEqual(ps.rows.map(\.threads).reduce(0, +), snapshot.threads.count, path)
            for (i, row) in ps.rows.enumerated() where row.depth > 0 {
                // A child comes after its parent, one level deeper, with nothing shallower in between.
                let parent = try XCTUnwrap(ps.rows[..<i].lastIndex { $0.depth < row.depth }, "\(path): pid \(row.pid)")
                XCTAssertEqual(ps.rows[parent].pid, row.ppid, "\(path): pid \(row.pid)")
                XCTAssertEqual(ps.rows[parent].depth, row.depth - 1, "\(path): pid \(row.pid)")
            }
            let lsof = OpenFileListing(engine: moment.engine)
            XCTAssertEqual(lsof.rows.map { "\($0.pid):\($0.fd)" }, snapshot.fds.map { "\($0.pid):\($0.fd)" }, path)
            for pid in Set(lsof.rows.map(\.pid)) {
                XCTAssertEqual(OpenFileListing(engine: moment.engine, pid: pid).rows, lsof.rows.filter { $0.pid == pid }, path)
            }
        }
    }
}
