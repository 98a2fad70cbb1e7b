import CaptureFormat
import Foundation
@testable import Recorder
import XCTest

/// The socket tuple the BPF program reads from the kernel's sock at syscall exit, for IPv6: both addresses
/// whole (16 bytes), not just their first byte.
final class SocketTupleRecordingTests: XCTestCase {
    func testIPv6TupleCarriesBothAddresses() throws {
        try requireBPF()
        let python = "/usr/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python) else { throw XCTSkip("no \(python) to make an IPv6 connection") }
        let dir = try makeScratchDirectory(self)
        var options = RecordingOptions(probe: ProbeOptions(events: try EventSelection("net", machine: Doctor.machineName())))
        options.command = [python, "-c", """
            import socket
            s = socket.socket(socket.AF_INET6); s.bind(("::1", 0)); s.listen()
            c = socket.create_connection(("::1", s.getsockname()[1])); a, _ = s.accept(); c.close(); a.close()
            """]
        let path = dir + "/v6.kcap"
        let sink = try CaptureFileSink(path: path, header: Recording.makeHeader(options: options, commandLine: ["test"]))
        let result = try Recording(options: options, sink: sink).run()
        guard result.commandExitStatus == 0 else { throw XCTSkip("no IPv6 loopback here (python exited \(String(describing: result.commandExitStatus)))") }
        let connect = try XCTUnwrap(EventSelection.table(for: Doctor.machineName())["connect"])
        let records = try CaptureContents(path: path).records.filter { $0.type == 1 && $0.nr == connect && $0.ret == 0 }
        let tuple = try XCTUnwrap(records.compactMap { $0.items(6).first }.first, "connect carries a tuple")
        XCTAssertGreaterThanOrEqual(tuple.count, 40)
        let loopback: [UInt8] = Array(repeating: 0, count: 15) + [1]
        XCTAssertEqual(UInt16(tuple[0]) | UInt16(tuple[1]) << 8, 10, "AF_INET6")
        XCTAssertEqual(Array(tuple[8..<24]), loopback, "local address ::1")
        XCTAssertEqual(Array(tuple[24..<40]), loopback, "remote address ::1")
    }
}
