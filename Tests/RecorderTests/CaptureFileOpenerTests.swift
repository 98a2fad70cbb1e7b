import CaptureFormat
import Foundation
@testable import Recorder
import XCTest

/// How the recorder opens a capture file, without BPF (so these run for every user): a lock that a second
/// open refuses without touching the file, symbolic links refused unless asked, non-regular files refused,
/// and a write failure's line saying what is left.
final class CaptureFileOpenerTests: XCTestCase {
    /// flock belongs to the open file description, so a second open in this same process conflicts as a
    /// second recorder would; the loser names this pid and leaves the winner's bytes alone.
    func testASecondOpenFailsWithoutTruncatingAndNamesTheHolder() throws {
        let dir = try makeScratchDirectory(self)
        let path = dir + "/t.kcap"
        let first = try CaptureFileOpener.open(path, followSymlinks: false)
        defer { close(first) }
        let bytes: [UInt8] = Array("the first recorder's data".utf8)
        XCTAssertEqual(bytes.withUnsafeBytes { write(first, $0.baseAddress, $0.count) }, bytes.count)
        XCTAssertThrowsError(try CaptureFileOpener.open(path, followSymlinks: false)) { e in
            XCTAssertTrue("\(e)".hasPrefix("lock capture file \(path); another recorder (pid \(getpid())"), "\(e)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), Data(bytes), "not truncated by the loser")
        // Once the first closes, the file is free and the next opener starts it empty.
        close(first)
        let again = try CaptureFileOpener.open(path, followSymlinks: false)
        close(again)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)).count, 0)
    }

    func testASymbolicLinkIsRefusedUnlessAsked() throws {
        let dir = try makeScratchDirectory(self)
        let target = dir + "/target"
        try "keep me\n".write(toFile: target, atomically: false, encoding: .utf8)
        chmod(target, 0o644)
        XCTAssertEqual(symlink(target, dir + "/link.kcap"), 0)
        XCTAssertThrowsError(try CaptureFileOpener.open(dir + "/link.kcap", followSymlinks: false)) { e in
            XCTAssertTrue("\(e)".contains("symbolic link") && "\(e)".contains("--follow-symlinks"), "\(e)")
        }
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "keep me\n")
        // A dangling link is a link too: following it would create a file wherever it points.
        XCTAssertEqual(symlink(dir + "/nowhere", dir + "/dangling.kcap"), 0)
        XCTAssertThrowsError(try CaptureFileOpener.open(dir + "/dangling.kcap", followSymlinks: false))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/nowhere"))
        let fd = try CaptureFileOpener.open(dir + "/link.kcap", followSymlinks: true)
        close(fd)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: target)).count, 0, "asked: the target is the capture")
    }

    func testNonRegularFilesAndExtraLinksAreRefused() throws {
        let dir = try makeScratchDirectory(self)
        XCTAssertEqual(mkfifo(dir + "/fifo", 0o600), 0)
        FileManager.default.createFile(atPath: dir + "/a", contents: Data("x".utf8))
        XCTAssertEqual(link(dir + "/a", dir + "/b.kcap"), 0)
        let cases = [("/dev/null", "a character device"), (dir + "/fifo", "a FIFO"), (dir, "a directory"),
                     (dir + "/b.kcap", "2 hard links")]
        for (path, what) in cases {
            XCTAssertThrowsError(try CaptureFileOpener.open(path, followSymlinks: false), path) { e in
                XCTAssertTrue("\(e)".contains(path) && "\(e)".contains(what), "\(e)")
            }
        }
        XCTAssertEqual(try String(contentsOfFile: dir + "/a", encoding: .utf8), "x", "the other name keeps its contents")
        // Root only (chown): a file planted by another user would let them read root's capture.
        if geteuid() == 0 {
            FileManager.default.createFile(atPath: dir + "/theirs.kcap", contents: Data("theirs".utf8))
            XCTAssertEqual(chown(dir + "/theirs.kcap", 65534, 65534), 0)
            XCTAssertThrowsError(try CaptureFileOpener.open(dir + "/theirs.kcap", followSymlinks: false)) { e in
                XCTAssertTrue("\(e)".contains("belongs to uid 65534"), "\(e)")
            }
            XCTAssertEqual(try String(contentsOfFile: dir + "/theirs.kcap", encoding: .utf8), "theirs")
        }
    }

    /// The line for a failed write says what is left: the readable length, or that nothing reached the disk.
    func testAWriteFailureSaysWhatIsLeft() {
        let failed = CaptureError(.io(errno: ENOSPC), path: "/mnt/full/t.kcap", offset: 65536, "writing the capture file failed")
        let cut = RecorderError.writing(step: "flush capture", object: "/mnt/full/t.kcap", failed, kept: 55547).description
        XCTAssertTrue(cut.contains("the capture is readable up to byte 55547"), cut)
        let none = RecorderError.writing(step: "write capture header", object: "/mnt/full/t.kcap", failed, kept: 0, removed: true).description
        XCTAssertTrue(none.contains("nothing reached the disk, so the empty file was removed"), none)
        XCTAssertFalse(none.contains("readable"), none)
        let empty = RecorderError.writing(step: "write capture header", object: "/mnt/full/t.kcap", failed, kept: 0).description
        XCTAssertTrue(empty.contains("the file is empty, not a capture"), empty)
    }
}
