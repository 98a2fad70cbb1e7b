import XCTest
import KcapTestSupport
import CaptureFormat
@testable import Analyzer

/// `kcap diff` on the fixtures: a capture against itself and against its own halves read as one says nothing;
/// two different runs list exactly the items `kcap read -p FIELDS FILTER` shows in one and not the other.
final class RunDiffTests: ScratchTestCase {
    static func profile(_ paths: [String]) throws -> RunProfile {
        try RunProfile(readers: paths.map { try CaptureReader(path: $0) })
    }

    /// What `kcap read -p` prints of `fields` for the events `filter` passes: one key per line, with its count.
    static func printed(_ path: String, fields: [String], filter: String) throws -> [[String]: UInt64] {
        let replay = CaptureReplay(reader: try CaptureReader(path: path))
        var options = ReadPipeline.Options()
        options.filter = try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: replay.engine.machine)).compile(filter, for: Event.self)
        let out = OutputBuffer()
        let format = "*" + fields.map { "%" + $0 }.joined(separator: "\t")
        _ = try ReadPipeline.run(replay, output: .format(format), to: out, options: options)
        var keys: [[String]: UInt64] = [:]
        for line in String(decoding: out.bytes, as: UTF8.self).split(separator: "\n") {
            keys[line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init), default: 0] += 1
        }
        return keys
    }

    func testACaptureAgainstItselfAndItsHalvesIsEmpty() throws {
        for path in try CaptureSetTests.fixtures() {
            let whole = try Self.profile([path])
            let same = RunDiff(whole, try Self.profile([path]), thresholds: Self.strict)
            XCTAssertTrue(same.isEmpty, "\(path): \(same)")
            XCTAssertEqual(same.exceeded, [], path)
            XCTAssertEqual(RunDiffRenderer.text(same, minChangePercent: 10), "", path)
            // Zero tolerance: not a single count or latency differs.
            var exact = RunDiff.Thresholds()
            exact.minChangePercent = 0
            let a = file("a.kcap"), b = file("b.kcap")
            try CaptureSplit.split(path, by: .at(try CaptureSetTests.middle(path)), into: a, b)
            let halves = RunDiff(whole, try Self.profile([b, a]), thresholds: exact)
            XCTAssertTrue(halves.isEmpty, "\(path): \(halves)")
        }
    }

    /// Every pair of fixtures: the set parts are the differences of what `-p` prints for each part, the
    /// syscall rows carry the counts `-p '%proc.name %evt.type'` gives, and the thresholds trip as they should.
    func testTwoRunsListExactlyTheirDifferences() throws {
        let paths = try CaptureSetTests.fixtures()
        var compared = 0, listed = 0
        for (x, y) in zip(paths, paths.dropFirst() + paths.prefix(1)) {
            let diff = RunDiff(try Self.profile([x]), try Self.profile([y]))
            for (i, part) in RunProfile.parts.enumerated() {
                let before = try Self.printed(x, fields: part.fields, filter: part.filter)
                let after = try Self.printed(y, fields: part.fields, filter: part.filter)
                if part.isSet {
                    let changes = diff.sets[i]
                    XCTAssertEqual(changes.part, part.name)
                    let added = RunDiff.sorted(after.keys.filter { before[$0] == nil })
                    let removed = RunDiff.sorted(before.keys.filter { after[$0] == nil })
                    XCTAssertEqual(changes.added.map(\.item), added.map(part.text), "\(x) -> \(y): \(part.name)")
                    XCTAssertEqual(changes.added.map(\.after), added.map { after[$0]! }, "\(x) -> \(y): \(part.name)")
                    XCTAssertEqual(changes.removed.map(\.item), removed.map(part.text), "\(x) -> \(y): \(part.name)")
                    XCTAssertEqual(changes.removed.map(\.before), removed.map { before[$0]! }, "\(x) -> \(y): \(part.name)")
                    listed += changes.added.count + changes.removed.count
                } else {
                    let failedBefore = try Self.printed(x, fields: part.fields, filter: "(\(part.filter)) and evt.failed=true")
                    let failedAfter = try Self.printed(y, fields: part.fields, filter: "(\(part.filter)) and evt.failed=true")
                    var expected: [[String]] = []
                    for key in RunDiff.sorted(Set(before.keys).union(after.keys)) {
                        let (cx, cy) = (before[key] ?? 0, after[key] ?? 0)
                        if cx == 0 || cy == 0 || failedBefore[key] != failedAfter[key] || RunDiff.percent(cx, cy).magnitude > 10 {
                            expected.append(key)
                        }
                    }
                    XCTAssertEqual(diff.syscalls.map { [$0.program, $0.syscall] }, expected, "\(x) -> \(y)")
                    for c in diff.syscalls {
                        let key = [c.program, c.syscall]
                        XCTAssertEqual([c.countBefore, c.countAfter, c.errorsBefore, c.errorsAfter],
                                       [before[key] ?? 0, after[key] ?? 0, failedBefore[key] ?? 0, failedAfter[key] ?? 0], "\(x) -> \(y): \(key)")
                    }
                }
            }
            // Thresholds: exactly at the count passes, one under fails.
            let new = diff.sets.reduce(0) { $0 + $1.added.count }
            var t = RunDiff.Thresholds()
            t.maxNew = new
            XCTAssertEqual(RunDiff(try Self.profile([x]), try Self.profile([y]), thresholds: t).exceeded, [], "\(x) -> \(y)")
            if new > 0 {
                t.maxNew = new - 1
                XCTAssertEqual(RunDiff(try Self.profile([x]), try Self.profile([y]), thresholds: t).exceeded.count, 1, "\(x) -> \(y)")
            }
            compared += 1
        }
        XCTAssertGreaterThanOrEqual(compared, 5)
        XCTAssertGreaterThan(listed, 10)
    }

    /// The JSON says what the text says.
    func testJSONMatchesTheDiff() throws {
        let paths = try CaptureSetTests.fixtures()
        let diff = RunDiff(try Self.profile([paths[0]]), try Self.profile([paths[1]]), thresholds: Self.strict)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try RunDiffRenderer.json(diff).utf8)) as? [String: Any])
        let sets = try XCTUnwrap(json["sets"] as? [[String: Any]])
        XCTAssertEqual(sets.map { $0["part"] as? String }, RunProfile.parts.filter(\.isSet).map(\.name))
        XCTAssertEqual(sets.map { ($0["added"] as? [Any])?.count }, diff.sets.map(\.added.count))
        XCTAssertEqual((json["syscalls"] as? [Any])?.count, diff.syscalls.count)
        XCTAssertEqual((json["exceeded"] as? [String]), diff.exceeded)
        XCTAssertFalse(diff.exceeded.isEmpty)
        let text = RunDiffRenderer.text(diff, minChangePercent: 10)
        for line in diff.exceeded { XCTAssertTrue(text.contains("threshold exceeded: " + line)) }
        XCTAssertEqual(try RunDiffRenderer.json(diff), try RunDiffRenderer.json(diff))
    }

    /// Every limit at zero.
    static var strict: RunDiff.Thresholds {
        var t = RunDiff.Thresholds()
        t.maxNew = 0
        t.maxNewErrors = 0
        t.maxCountIncreasePercent = 0
        t.maxLatencyIncreasePercent = 0
        return t
    }
}
