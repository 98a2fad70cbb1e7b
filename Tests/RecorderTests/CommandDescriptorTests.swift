import CaptureFormat
import Foundation
@testable import Recorder
import XCTest

/// `record -- COMMAND` hands the command stdin, stdout and stderr only: no descriptor of the recorder (the
/// capture file, BPF maps and links, the ring's epoll, its pipes) nor one its caller forgot to mark
/// close-on-exec.
final class CommandDescriptorTests: XCTestCase {
    /// The standard descriptors this process has open: what a command may inherit.
    private var standardDescriptors: Set<Int32> { Set([STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO].filter { fcntl($0, F_GETFD) >= 0 }) }

    /// Opens descriptors the way careless code does, without O_CLOEXEC, so a plain fork+exec would pass them on.
    private func openLeakyDescriptors() throws -> [Int32] {
        let file = open("/dev/null", O_RDONLY)
        var pair: [Int32] = [-1, -1]
        XCTAssertEqual(pipe(&pair), 0)
        let fds = [file] + pair
        for fd in fds {
            XCTAssertGreaterThan(fd, STDERR_FILENO)
            XCTAssertEqual(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0, "fd \(fd) would be inherited by a plain exec")
        }
        return fds
    }

    /// The descriptors `pid` has open, once it is blocked in a syscall (done starting up).
    private func descriptorsOnceBlocked(_ pid: Int32) -> Set<Int32> {
        for _ in 0..<100 {
            if ProcScanner().snapshot(pids: [pid]).threads.first(where: { $0.tid == UInt32(pid) })?.syscall != nil { break }
            usleep(20_000)
        }
        return Set(ProcFiles.numericEntries("/proc/\(pid)/fd").map { Int32($0) })
    }

    func testTheCommandGetsOnlyTheStandardDescriptors() throws {
        let leaky = try openLeakyDescriptors()
        defer { for fd in leaky { close(fd) } }
        let child = try ChildProcess(command: ["/bin/sleep", "5"])
        try child.release()
        defer { kill(child.pid, SIGKILL); _ = child.wait(timeoutNs: 2_000_000_000) }
        XCTAssertEqual(ProcFiles.readlink("/proc/\(child.pid)/exe").map { $0.hasSuffix("sleep") }, true, "exec'd")
        XCTAssertEqual(descriptorsOnceBlocked(child.pid), standardDescriptors)
    }

    func testARecordedCommandSeesNoneOfTheRecordersDescriptors() throws {
        try requireBPF()
        let leaky = try openLeakyDescriptors()
        defer { for fd in leaky { close(fd) } }
        let dir = try makeScratchDirectory(self)
        var options = RecordingOptions(probe: ProbeOptions(events: try EventSelection("all", machine: Doctor.machineName())))
        options.command = ["/bin/sleep", "1"]
        options.snapshotIntervalNs = 200_000_000 // several snapshots while sleep runs, with its fds
        options.durationNs = 30_000_000_000 // a safety net
        let path = dir + "/fds.kcap"
        let sink = try CaptureFileSink(path: path, header: Recording.makeHeader(options: options, commandLine: ["test"]))
        let result = try Recording(options: options, sink: sink).run()
        XCTAssertEqual(result.stopReason, .commandExited)
        XCTAssertEqual(result.commandExitStatus, 0)

        let cap = try CaptureContents(path: path)
        // The start snapshot is taken while the child is still kcap's fork, before exec; every later one that
        // lists sleep shows what the command really holds.
        var seen = 0
        for snapshot in cap.snapshots.dropFirst() {
            for pid in Set(snapshot.threads.filter { $0.comm == "sleep" }.map(\.pid)) {
                seen += 1
                let fds = Set(snapshot.fds.filter { $0.pid == pid }.map(\.fd))
                XCTAssertEqual(fds, standardDescriptors, "sleep (pid \(pid)) holds \(snapshot.fds.filter { $0.pid == pid }.map { "\($0.fd)=\($0.name)" })")
            }
        }
        XCTAssertGreaterThan(seen, 0, "a snapshot lists sleep: \(cap.snapshots.map { $0.threads.map(\.comm) })")
    }
}
