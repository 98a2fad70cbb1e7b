import XCTest
import CaptureFormat
@testable import Analyzer

/// Every field the filter registry says kcap supports gets a value from the engine's events on the synthetic
/// fixture (which walks every syscall family), through the accessor its type calls for.
final class EngineFieldCoverageTests: XCTestCase {
    /// Fields no synthetic event can carry, and why.
    static let noValueHere: [FieldID: String] = [
        .containerImage: "container metadata comes from a sysdig capture's container events (ScapSourceTests checks it)",
        .containerPrivileged: "container metadata comes from a sysdig capture's container events (ScapSourceTests checks it)",
    ]

    struct Probe: EventConsumer {
        var refs: [(FieldInfo, FieldRef)]
        var seen: Set<FieldID> = []
        mutating func consume(_ e: Event) -> Bool {
            let f = e.fields
            for (info, ref) in refs where !seen.contains(info.id) {
                let has: Bool
                switch info.type {
                case .int, .uint, .bool, .port, .reltime, .abstime: has = f.int(ref) != nil
                case .ipaddr, .ipnet: has = f.ip(ref) != nil
                case .string, .bytes: has = f.withBytes(ref) { _ in true } != nil
                }
                if has { seen.insert(info.id) }
                // renderedValue must agree with the typed accessor about presence
                XCTAssertEqual(f.renderedValue(ref) != nil, has, "\(ref) on event \(e.number)")
            }
            return true
        }
    }

    func testEverySupportedFieldHasAValueSomewhere() throws {
        let path = GoldenTests.fixtures.appendingPathComponent("synthetic-families/capture.kcap").path
        let replay = CaptureReplay(reader: try CaptureReader(path: path))
        let refs: [(FieldInfo, FieldRef)] = FieldRegistry.sourceFields.map { info in
            switch info.argument {
            case .name, .nameOrIndex: return (info, FieldRef(info.id, argName: "fd"))
            case .optionalIndex: return (info, FieldRef(info.id, index: 1))
            case .none: return (info, FieldRef(info.id))
            }
        }
        XCTAssertGreaterThan(refs.count, 40)
        var probe = Probe(refs: refs)
        try replay.run(into: &probe)
        let missing = refs.map(\.0.id).filter { !probe.seen.contains($0) && Self.noValueHere[$0] == nil }
        XCTAssertEqual(missing.map { FieldRegistry.info($0).name }, [], "fields no event gave a value")
    }
}
