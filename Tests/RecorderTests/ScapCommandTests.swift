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

    /// `kcap convert` writes a kcap capture whose exits read as the scap's: falco_cat_write's 2 read exits
    /// with their files, by kcap read and kcap info.
    func testConvertWritesAKcapCaptureThatReadsTheSame() throws {
        let out = try tempCopy("falco_cat_write.scap", as: "cat.scap")
        let kcapPath = out + ".kcap"
        let r = try runProcess(try kcapBinary(), ["convert", out, "-w", kcapPath])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("kcap convert: wrote \(kcapPath): "), r.stderr)
        let read = try runProcess(try kcapBinary(), ["read", kcapPath, "-p", "%proc.name %evt.dir %fd.name", "evt.type=read"])
        XCTAssertEqual(read.status, 0, read.stderr)
        XCTAssertEqual(read.stdout, "cat < /lib/x86_64-linux-gnu/libc.so.6\ncat < /dev/null\n")
        let info = try runProcess(try kcapBinary(), ["info", kcapPath])
        XCTAssertTrue(info.stdout.contains("convertedFrom="), info.stdout)
        XCTAssertFalse(info.stdout.contains("wall clock unknown"), info.stdout)
        // Syscall entries are paired into their exits; events sysdig has in one direction keep theirs (procexit).
        let entries = try runProcess(try kcapBinary(), ["read", kcapPath, "-p", "%evt.type", "evt.dir='>'"])
        XCTAssertEqual(entries.stdout, "procexit\n")
        XCTAssertEqual(entries.stderr, "")
    }

    /// `-D` prints what sysdig -D prints: falco_cat_write's 345 lines.
    func testShowInternalFlag() throws {
        let r = try runProcess(try kcapBinary(), ["read", "-D", Self.fixtures + "falco_cat_write.scap"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.split(separator: "\n").count, 345)
    }

    /// On kcap's own captures every event is an exit: a filter that needs an entry prints nothing and says
    /// why in one line (docs/filters.md).
    func testEntryFilterOnAKcapCaptureWarnsOnce() throws {
        let path = Self.fixtures + "../files/capture.kcap"
        let r = try runProcess(try kcapBinary(), ["read", path, "evt.type=openat and evt.dir='>'"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("warning: the filter needs evt.dir '>' and matches nothing here"), r.stderr)
        XCTAssertEqual(try runProcess(try kcapBinary(), ["read", path, "evt.dir='<'"]).stderr, "")
    }
}
