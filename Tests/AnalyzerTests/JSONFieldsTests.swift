import Foundation
import KcapTestSupport
import XCTest

/// `kcap read -j --json-fields LIST` and `kcap read -j -p FORMAT` on a real capture: the keys are the fields as
/// written, in their order, typed (numbers, booleans, ISO time, the arguments object), never null; a list keeps
/// every event and leaves out what an event lacks, a format skips such events unless it starts with `*`; an
/// unknown field is one line naming its column in the list.
final class JSONFieldsTests: XCTestCase {
    private func read(_ args: [String], json: Bool = true) throws -> (status: Int32, out: [[String: Any]], err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try PythonOracle.kcapBinary())
        p.arguments = ["read"] + args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let lines = try String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            json ? try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) : ["line": String($0)]
        }
        return (p.terminationStatus, lines, e)
    }

    private var capture: String { PythonOracle.fixtureCaptures().first { $0.contains("net-loopback") }! }

    func testFieldListKeepsEveryEventAndLeavesOutWhatItLacks() throws {
        let all = try read([capture, "-p", "%evt.num"], json: false)
        let r = try read([capture, "-j", "--json-fields", "evt.num, evt.time,fd.rport,evt.failed,evt.args"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertEqual(r.out.count, all.out.count)
        let withPort = r.out.filter { $0["fd.rport"] != nil }
        XCTAssertGreaterThan(withPort.count, 0)
        XCTAssertLessThan(withPort.count, r.out.count)
        for line in r.out {
            XCTAssertTrue(line["evt.num"] is NSNumber)
            XCTAssertTrue((line["evt.time"] as? String)?.hasSuffix("Z") == true, "\(line)")
            XCTAssertTrue(line["evt.failed"] is Bool || (line["evt.failed"] as? NSNumber) != nil)
            XCTAssertTrue(line["evt.args"] is [String: Any])
            XCTAssertFalse(line.values.contains { $0 is NSNull })
        }
    }

    func testFormatFieldsSkipEventsThatLackOneUnlessStarred() throws {
        let r = try read([capture, "-j", "-p", "%evt.num %fd.rip %fd.rport"])
        let starred = try read([capture, "-j", "-p", "*%evt.num %fd.rip %fd.rport"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertGreaterThan(r.out.count, 0)
        XCTAssertTrue(r.out.allSatisfy { $0.count == 3 && $0["fd.rip"] is String && $0["fd.rport"] is NSNumber })
        XCTAssertGreaterThan(starred.out.count, r.out.count)
        XCTAssertEqual(starred.out.filter { $0.count == 3 }.count, r.out.count)
    }

    func testUnknownFieldIsOneLineWithItsColumn() throws {
        let r = try read([capture, "-j", "--json-fields", "evt.num,evt.nope"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("column 9") && r.err.contains("evt.nope"), r.err)
        XCTAssertEqual(r.err.filter { $0 == "\n" }.count, 1, r.err)
        let both = try read([capture, "-j", "-p", "%evt.num", "--json-fields", "evt.num"])
        XCTAssertNotEqual(both.status, 0)
    }
}
