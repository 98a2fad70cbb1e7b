import Foundation
import XCTest
@testable import CaptureFormat

/// `kcap info` end to end, on the binary `swift build --build-tests` puts next to the test bundle.
final class InfoCommandTests: XCTestCase {
    private func kcapBinary() throws -> String {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        var dir = (exe as NSString).deletingLastPathComponent
        if dir.hasSuffix(".xctest") || dir.hasSuffix("/MacOS") { dir = (dir as NSString).deletingLastPathComponent }
        for candidate in [dir + "/kcap", (dir as NSString).deletingLastPathComponent + "/kcap"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        throw XCTSkip("the kcap binary is not built next to the tests (\(dir)); run swift build first")
    }

    private func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try kcapBinary())
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    func testValidTruncatedCorruptAndForeignFiles() throws {
        let dir = ScratchDir()
        let good = dir.file("good.kcap")
        let written = try writeSmallCapture(path: good)
        let records = written.joined().count

        let ok = try run(["info", good])
        XCTAssertEqual(ok.status, 0, ok.err)
        XCTAssertTrue(ok.out.contains("testhost"), ok.out)
        XCTAssertTrue(ok.out.contains("records       \(records)\n"), ok.out)
        XCTAssertTrue(ok.out.contains("4 event chunks, 1 snapshot, 1 counter block"), ok.out)
        XCTAssertTrue(ok.out.contains("dropped 2 (ring full 2"), ok.out)
        XCTAssertTrue(ok.out.contains("integrity     OK"), ok.out)

        let json = try run(["info", "--json", good])
        XCTAssertEqual(json.status, 0)
        let obj = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
        XCTAssertEqual(obj?["records"] as? Int, records)
        XCTAssertEqual(obj?["eventChunks"] as? Int, 4)
        XCTAssertEqual((obj?["problems"] as? [Any])?.count, 0)
        XCTAssertEqual((obj?["header"] as? [String: Any])?["machine"] as? String, "x86_64")
        XCTAssertNotNil(obj?["startWallClock"] as? String)

        // Cut in the middle of the last chunk: the first three chunks, one problem, exit 2.
        let bytes = readFile(good)
        let last = try CaptureReader(path: good).index.filter { $0.type == .events }[3]
        let cut = dir.file("cut.kcap")
        writeFile(cut, Array(bytes[..<Int(last.offset + 60)]))
        let t = try run(["info", cut])
        XCTAssertEqual(t.status, 2)
        XCTAssertTrue(t.out.contains("records       \(written.prefix(3).joined().count)\n"), t.out)
        XCTAssertTrue(t.out.contains("block \(try CaptureReader(path: good).index.firstIndex(of: last)!) at offset \(last.offset): the file ends inside this events block"), t.out)

        // A flipped payload byte in chunk 1.
        var damaged = bytes
        let c1 = try CaptureReader(path: good).index.filter { $0.type == .events }[1]
        damaged[Int(c1.offset) + 60] ^= 0x40
        let bad = dir.file("bad.kcap")
        writeFile(bad, damaged)
        let b = try run(["info", "--json", bad])
        XCTAssertEqual(b.status, 2)
        let bobj = try JSONSerialization.jsonObject(with: Data(b.out.utf8)) as? [String: Any]
        let problems = bobj?["problems"] as? [[String: Any]]
        XCTAssertEqual(problems?.count, 1)
        XCTAssertEqual(problems?.first?["kind"] as? String, "badChecksum")
        XCTAssertEqual(problems?.first?["offset"] as? Int, Int(c1.offset))

        // Not captures: one line on stderr, exit 1.
        let text = dir.file("notes.txt")
        writeFile(text, Array("just some text\n".utf8))
        let empty = dir.file("empty.kcap")
        writeFile(empty, [])
        for path in [text, empty, dir.file("missing.kcap"), dir.path] {
            let r = try run(["info", path])
            XCTAssertEqual(r.status, 1, path)
            XCTAssertEqual(r.out, "")
            XCTAssertEqual(r.err.filter { $0 == "\n" }.count, 1, r.err)
            XCTAssertTrue(r.err.hasPrefix("kcap info: \(path): "), r.err)
        }
    }
}
