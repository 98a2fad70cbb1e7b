import XCTest
import CaptureFormat
@testable import Analyzer

/// The engine's bounds (StateLimits) at small scale: what is dropped, what is kept, and that it is counted.
final class StateLimitTests: XCTestCase {
    /// Past its capacity the table drops the thread inserted longest ago, one per new thread, and counts them.
    func testThreadTableDropsOldestPastCapacity() {
        let table = ThreadTable(capacity: 3)
        for tid in UInt32(1)...5 {
            table.insert(ThreadState(tid: tid, process: ProcessState(pid: tid), comm: "t\(tid)"))
        }
        XCTAssertEqual(table.threadCount, 3)
        XCTAssertEqual(table.evictedThreads, 2)
        XCTAssertNil(table.thread(1))
        XCTAssertNil(table.thread(2))
        XCTAssertEqual(table.thread(5)?.comm, "t5")
        XCTAssertEqual(table.processCount, 3, "a process goes with its last thread")
        // Replacing a known tid is not a new thread: nothing more is dropped.
        table.insert(ThreadState(tid: 4, process: ProcessState(pid: 4), comm: "again"))
        XCTAssertEqual(table.evictedThreads, 2)
        XCTAssertEqual(table.thread(4)?.comm, "again")
    }

    /// Removed tids left in the insertion order neither count against the capacity nor grow it without end.
    func testChurnDoesNotEvictLiveThreads() {
        let table = ThreadTable(capacity: 4)
        table.insert(ThreadState(tid: 1, process: ProcessState(pid: 1), comm: "keep"))
        for tid in UInt32(2)..<10_000 {
            table.insert(ThreadState(tid: tid, process: ProcessState(pid: tid), comm: ""))
            table.remove(tid: tid)
        }
        XCTAssertEqual(table.evictedThreads, 0)
        XCTAssertEqual(table.thread(1)?.comm, "keep")
    }

    /// argv is kept up to ARG_MAX as the kernel counts it (bytes + NUL + pointer per argument).
    func testArgvCutAtArgMax() {
        let n = StateLimits.argvBytes / 9 + 100
        let bytes = [UInt8](repeating: 0, count: n)  // n empty arguments
        let (args, cut) = bytes.withUnsafeBytes { Engine.splitArgv($0) }
        XCTAssertTrue(cut)
        XCTAssertEqual(args.count, StateLimits.argvBytes / 9)
        let small = Array("ls\0-l\0".utf8)
        let (few, fewCut) = small.withUnsafeBytes { Engine.splitArgv($0) }
        XCTAssertEqual(few, ["ls", "-l"])
        XCTAssertFalse(fewCut)
    }

    /// A fork's fd table copies only up to the highest open fd, and an empty one allocates nothing.
    func testFdTableCopyKeepsEntries() {
        let t = FdTable()
        XCTAssertNil(t[0])
        t.set(2, FdEntry(kind: .file, name: 7))
        t.set(100_000, FdEntry(kind: .pipe))
        let c = t.copy()
        XCTAssertEqual(c[2]?.name, 7)
        XCTAssertEqual(c[100_000]?.kind, .pipe)
        XCTAssertEqual(c.count, 2)
        c.set(40, FdEntry(kind: .file))
        XCTAssertEqual(c.allFds(), [2, 40, 100_000])
        XCTAssertNil(t[40])
    }
}
