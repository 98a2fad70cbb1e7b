import XCTest
import KcapTestSupport
import CaptureFormat
@testable import Analyzer

/// `kcap slice` on every fixture: the slice, read alone, prints what the original prints for the same window
/// and filter, with the same process and fd names.
final class CaptureSlicerTests: ScratchTestCase {
    /// Lines without their first column (`evt.num`: a slice numbers its events from 1).
    static func unnumbered(_ lines: [String]) -> [String] {
        lines.map { line in line.firstIndex(of: " ").map { String(line[$0...]) } ?? line }
    }

    func testWholeSliceReadsAsTheOriginal() throws {
        for path in try CaptureSetTests.fixtures() {
            let out = file("all.kcap")
            let summary = try CaptureSlicer.slice(readers: [try CaptureReader(path: path)], to: out, since: nil, until: nil, filter: nil)
            XCTAssertEqual(summary.recordsForState, 0, path)
            XCTAssertEqual(try CaptureSetTests.read([out]), try CaptureSetTests.read([path]), path)
        }
    }

    /// The middle half of each fixture, filtered with the golden filter: the slice's lines (read with or without
    /// the filter: the records kept only for state are not printed) are the original's for that window.
    func testWindowAndFilterReadAsTheOriginal() throws {
        var forState: UInt64 = 0, matched: UInt64 = 0
        for path in try CaptureSetTests.fixtures() {
            let stamps = try CaptureSetTests.stamps(path)
            let since = "+\(stamps[stamps.count / 4] - stamps[0])ns", until = "+\(stamps[stamps.count * 3 / 4] - stamps[0])ns"
            for filter in [GoldenTests.filter, "proc.name!=kcap and evt.type!=mmap"] {
                let out = file("slice.kcap")
                let summary = try CaptureSlicer.slice(readers: [try CaptureReader(path: path)], to: out, since: since, until: until, filter: filter)
                let original = Self.unnumbered(try CaptureSetTests.read([path], filter: filter, since: since, until: until))
                XCTAssertEqual(UInt64(original.count), summary.recordsMatched, "\(path) \(filter)")
                XCTAssertEqual(Self.unnumbered(try CaptureSetTests.read([out])), original, "\(path) \(filter)")
                XCTAssertEqual(Self.unnumbered(try CaptureSetTests.read([out], filter: filter)), original, "\(path) \(filter)")
                // Shown on request, the records kept for state are there too.
                let replay = try CaptureSetReplay(readers: [try CaptureReader(path: out)])
                let all = OutputBuffer()
                var options = ReadPipeline.Options()
                options.showContext = true
                let shown = try ReadPipeline.run(replay, output: .none, to: all, options: options)
                XCTAssertEqual(shown, summary.recordsMatched + summary.recordsForState, "\(path) \(filter)")
                // Only what the window needs was read: nothing after it.
                XCTAssertLessThan(summary.recordsRead, UInt64(stamps.count), "\(path) \(filter)")
                forState += summary.recordsForState
                matched += UInt64(original.count)
            }
        }
        XCTAssertGreaterThan(matched, 100)
        XCTAssertGreaterThan(forState, 0, "no slice needed a hidden record for its state: the test proves nothing")
    }

    /// `kcap merge` of a rotation's halves and of interleaved shards, given in the wrong order, reads exactly as
    /// the whole, event numbers included.
    func testMergeOfTheHalvesReadsAsTheWhole() throws {
        for path in try CaptureSetTests.fixtures() {
            for rule in [CaptureSplit.Rule.at(try CaptureSetTests.middle(path)), .alternate] {
                let a = file("a.kcap"), b = file("b.kcap"), merged = file("merged.kcap")
                try CaptureSplit.split(path, by: rule, into: a, b)
                let summary = try CaptureSlicer.slice(readers: [try CaptureReader(path: b), try CaptureReader(path: a)], to: merged,
                                                      since: nil, until: nil, filter: nil, merging: true)
                XCTAssertEqual(summary.recordsForState, 0, path)
                XCTAssertEqual(try CaptureSetTests.read([merged]), try CaptureSetTests.read([path]), "\(path) \(rule)")
                XCTAssertEqual(try CaptureReader(path: merged).header.recorder["mergedFrom"], "\(b) \(a)")
            }
        }
    }

    /// Without the records kept for their state, the slice would name less: they matter.
    func testStateRecordsAreNeeded() throws {
        var differ = 0
        for path in try CaptureSetTests.fixtures() {
            let out = file("slice.kcap")
            let filter = "evt.type in (read, write, close, fstat, newfstatat)"
            try CaptureSlicer.slice(readers: [try CaptureReader(path: path)], to: out, since: nil, until: nil, filter: filter)
            let stripped = file("stripped.kcap")
            // The same slice without its context records.
            let reader = try CaptureReader(path: out)
            let writer = try CaptureWriter(path: stripped, header: reader.header)
            var chunk = EventChunk()
            try reader.forEachBlock { block in
                switch block {
                case .snapshot(let s): try writer.write(chunk); chunk.reset(); try writer.write(s)
                case .counters(let c): try writer.write(c)
                case .events(let v):
                    v.forEachRecord { r in if !r.flags.contains(.context) { _ = chunk.append(r.bytes) } }
                }
            }
            try writer.write(chunk)
            try writer.finish()
            if try CaptureSetTests.read([stripped]) != CaptureSetTests.read([out]) { differ += 1 }
        }
        XCTAssertGreaterThan(differ, 0)
    }
}
