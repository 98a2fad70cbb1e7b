import XCTest
@testable import Analyzer

/// Each thread table counts its own changes (the engine's cache of unretained references checks it per
/// event): a change in one table, through the table or through a thread's or process's setters, never
/// touches another's.
final class StateGenerationTests: XCTestCase {
    func testSettersOfObjectsInTheTableBumpItsGeneration() {
        let table = ThreadTable()
        let thread = ThreadState(tid: 1, process: ProcessState(pid: 1), comm: "a")
        var last = table.generation.value
        table.insert(thread)
        XCTAssertNotEqual(table.generation.value, last)

        last = table.generation.value
        thread.process.fds = FdTable()
        XCTAssertNotEqual(table.generation.value, last, "replacing a process's fd table may free the cached one")

        last = table.generation.value
        let other = ProcessState(pid: 2)
        thread.process = other
        XCTAssertNotEqual(table.generation.value, last, "replacing a thread's process may free the cached fds")
        last = table.generation.value
        other.fds = FdTable()
        XCTAssertNotEqual(table.generation.value, last, "a process given to a thread of the table joins it")

        last = table.generation.value
        table.remove(tid: 1)
        XCTAssertNotEqual(table.generation.value, last)
    }

    func testTablesDoNotShareAGeneration() {
        let a = ThreadTable(), b = ThreadTable()
        let t = ThreadState(tid: 1, process: ProcessState(pid: 1), comm: "a")
        a.insert(t)
        let before = b.generation.value
        a.insert(ThreadState(tid: 2, process: ProcessState(pid: 2), comm: "b"))
        t.process.fds = FdTable()
        a.remove(tid: 2)
        XCTAssertEqual(b.generation.value, before)
    }

    func testObjectsOutsideATableBumpNothing() {
        let table = ThreadTable()
        table.insert(ThreadState(tid: 1, process: ProcessState(pid: 1), comm: "a"))
        let before = table.generation.value
        let loose = ProcessState(pid: 9)
        loose.fds = FdTable()
        ThreadState(tid: 9, process: loose, comm: "").process = ProcessState(pid: 10)
        XCTAssertEqual(table.generation.value, before)
    }
}
