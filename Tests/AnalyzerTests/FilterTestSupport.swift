import Foundation
import XCTest
@testable import Analyzer

/// An event made of dictionaries, for evaluating compiled filters without the engine.
struct MockEvent: FieldValueSource {
    var ints: [FieldRef: Int64] = [:]
    var strings: [FieldRef: String] = [:]
    var ips: [FieldRef: IPAddress] = [:]
    var buffers: [FieldRef: [UInt8]] = [:]
    /// Every field the filter asked for, to prove that aliases and multi-valued fields read what they should.
    final class Log { var asked: [FieldRef] = [] }
    let log = Log()

    func int(_ field: FieldRef) -> Int64? { log.asked.append(field); return ints[field] }
    func string(_ field: FieldRef) -> String? { log.asked.append(field); return strings[field] }
    func ip(_ field: FieldRef) -> IPAddress? { log.asked.append(field); return ips[field] }
    func withBytes(_ field: FieldRef, _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool? {
        if let b = buffers[field] { log.asked.append(field); return b.withUnsafeBytes(body) }
        guard let s = string(field) else { return nil }
        return Array(s.utf8).withUnsafeBytes(body)
    }

    subscript(id: FieldID) -> Int64? {
        get { ints[FieldRef(id)] }
        set { ints[FieldRef(id)] = newValue }
    }
    subscript(s id: FieldID) -> String? {
        get { strings[FieldRef(id)] }
        set { strings[FieldRef(id)] = newValue }
    }
    subscript(ip id: FieldID) -> String? {
        get { ips[FieldRef(id)]?.description }
        set { ips[FieldRef(id)] = newValue.flatMap(IPAddress.init) }
    }
}

/// Event-type codes as an engine would give them: a code per name, several for "open" to prove sets work.
let mockEventTypeCodes: (String) -> [Int64] = { name in
    switch name {
    case "openat": return [257]
    case "open": return [2]
    case "close": return [3]
    case "read": return [0]
    case "execve": return [59, 1001]
    default: return []
    }
}

extension XCTestCase {
    /// Compiles `filter` for MockEvent with the mock event-type codes.
    func compile(_ filter: String, allowUnsupported: Bool = false, codes: Bool = true,
                 file: StaticString = #filePath, line: UInt = #line) throws -> CompiledFilter<MockEvent> {
        do {
            return try FilterCompiler(eventTypeCodes: codes ? mockEventTypeCodes : nil,
                                      allowUnsupportedFields: allowUnsupported).compile(filter, for: MockEvent.self)
        } catch {
            XCTFail("'\(filter)' did not compile: \(error)", file: file, line: line)
            throw error
        }
    }

    /// Whether `filter` matches `event`.
    func eval(_ filter: String, _ event: MockEvent, codes: Bool = true, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        guard let f = try? compile(filter, codes: codes, file: file, line: line) else { return false }
        return f.matches(event)
    }

    /// The error compiling `filter` gives (parse or compile), or fails the test.
    func filterError(_ filter: String, file: StaticString = #filePath, line: UInt = #line) -> FilterError? {
        do {
            _ = try FilterCompiler(eventTypeCodes: mockEventTypeCodes).compile(filter, for: MockEvent.self)
            XCTFail("'\(filter)' compiled but should fail", file: file, line: line)
        } catch let e as FilterError {
            return e
        } catch {
            XCTFail("'\(filter)' threw a non-filter error \(error)", file: file, line: line)
        }
        return nil
    }
}

/// The package root, found from this file's path (Tests/AnalyzerTests/<file>).
let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Lines of a conformance fixture copied from shared/conformance/scap into Tests/Fixtures/conformance.
func conformanceLines(_ name: String) throws -> [String] {
    let url = packageRoot.appendingPathComponent("Tests/Fixtures/conformance/\(name)")
    let text = try String(contentsOf: url, encoding: .utf8)
    return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
}
