import Foundation
import XCTest

/// `kcap read|stats|info` on sysdig/falco captures, as a user runs them (no root): the file's kind is told by
/// its first bytes, whatever its name, and a damaged capture gives its intact events, one warning and status 2.
final class ScapCommandTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/scap").path + "/"

    func tempCopy(_ name: String, as newName: String, _ change: (inout [UInt8]) -> Void = { _ in }) throws -> String {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + name)))
        change(&bytes)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kcap-scap-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(newName).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A gzip'd capture named like a kcap capture: sysdig's 85 lines (files_manifest.tsv).
    func testKindIsToldByMagicNotName() throws {
        let path = try tempCopy("falco_cat_write.scap", as: "looks-like.kcap")
        let r = try runProcess(try kcapBinary(), ["read", path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.split(separator: "\n").count, 85)
        let info = try runProcess(try kcapBinary(), ["info", path])
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.stdout.contains("sysdig/falco capture (scap), gzip-compressed"), info.stdout)
        XCTAssertTrue(info.stdout.contains("integrity       intact"), info.stdout)
        let stats = try runProcess(try kcapBinary(), ["stats", path, "proc.name=cat"])
        XCTAssertEqual(stats.status, 0, stats.stderr)
        XCTAssertTrue(stats.stdout.contains("Top syscalls by count"), stats.stdout)
    }

    func testFilterAndFormat() throws {
        let path = Self.fixtures + "falco_cat_write.scap"
        // sysdig -r falco_cat_write.scap -p '%evt.num %proc.name %evt.dir %fd.name' 'evt.type=read and evt.dir=<'
        let r = try runProcess(try kcapBinary(), ["read", path, "-p", "%evt.num %proc.name %evt.dir %fd.name", "evt.type=read and evt.dir=<"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "153 cat < /lib/x86_64-linux-gnu/libc.so.6\n205 cat < /dev/null\n")
    }

    func testTruncatedCaptureWarnsOnceAndExits2() throws {
        let path = try tempCopy("inspect_502Error.scap", as: "cut.scap") { $0 = Array($0[..<($0.count * 3 / 4)]) }
        let r = try runProcess(try kcapBinary(), ["read", path])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("warning: \(path): the capture ends inside the block at byte "), r.stderr)
        // Of the whole capture's 9,478 lines, those of the blocks before the cut.
        XCTAssertGreaterThan(r.stdout.split(separator: "\n").count, 5_000)
        XCTAssertLessThan(r.stdout.split(separator: "\n").count, 9_478)
    }

    /// zstd and LZ4 frames read as gzip does, streamed: sysdig's 85 lines of the same capture.
    func testZstdAndLZ4FramesRead() throws {
        for (name, kind) in [("falco_cat_write.scap.zst", "zstd"), ("falco_cat_write.scap.lz4", "lz4")] {
            let r = try runProcess(try kcapBinary(), ["read", Self.fixtures + name])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(r.stdout.split(separator: "\n").count, 85, name)
            let info = try runProcess(try kcapBinary(), ["info", Self.fixtures + name])
            XCTAssertEqual(info.status, 0, info.stderr)
            XCTAssertTrue(info.stdout.contains("sysdig/falco capture (scap), \(kind)-compressed"), info.stdout)
        }
    }
}
