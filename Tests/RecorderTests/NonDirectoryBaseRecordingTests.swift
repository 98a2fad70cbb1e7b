import Foundation
import XCTest

/// Issue 8, item 1: one unprivileged syscall made a whole capture unreadable. `openat(pipefd, "x/y")` resolves
/// a relative path against a pipe (the kernel says ENOTDIR); replaying it trapped in `PathPool.normalise`.
/// Recorded for real here, then replayed by the kcap binary, which must exit normally and show the path.
final class NonDirectoryBaseRecordingTests: XCTestCase {
    func testOpenatOnAPipeFdIsReplayed() throws {
        try requireBPF()
        let kcap = try kcapBinary()
        let dir = try makeScratchDirectory(self)
        let source = dir + "/pipe-openat.c"
        try """
        #include <fcntl.h>
        #include <unistd.h>
        int main(void) {
            int p[2];
            if (pipe(p) != 0) return 1;
            openat(p[0], "x/y", O_RDONLY);
            openat(p[1], "kcap-pipe-base/../z", O_RDONLY);
            return 0;
        }
        """.write(toFile: source, atomically: true, encoding: .utf8)
        let prog = dir + "/pipe-openat"
        let cc = try runProcess("/usr/bin/env", ["cc", "-O1", "-o", prog, source])
        if cc.status != 0 { throw XCTSkip("cc could not build the workload: \(cc.stderr)") }

        let capture = dir + "/pipe.kcap"
        let rec = try runProcess(kcap, ["record", "-w", capture, "--", prog])
        XCTAssertEqual(rec.status, 0, rec.stderr)

        let read = try runProcess(kcap, ["read", capture, "-p", "%proc.name %evt.type %fd.name %evt.res", "evt.type=openat and proc.name=pipe-openat"])
        XCTAssertEqual(read.status, 0, read.stderr)
        let lines = read.stdout.split(separator: "\n").map(String.init)
        // Kept as passed (never joined to "pipe:[N]"), and the failure is the kernel's ENOTDIR.
        XCTAssertTrue(lines.contains { $0.hasSuffix(" x/y ENOTDIR") }, read.stdout)
        XCTAssertTrue(lines.contains { $0.hasSuffix(" kcap-pipe-base/../z ENOTDIR") }, read.stdout)

        let stats = try runProcess(kcap, ["stats", capture])
        XCTAssertEqual(stats.status, 0, stats.stderr)
        XCTAssertTrue(stats.stdout.contains("openat"), stats.stdout)
    }
}
