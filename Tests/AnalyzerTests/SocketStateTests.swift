import XCTest
import KcapTestSupport
import CaptureFormat
@testable import Analyzer

/// Sockets' states in `kcap lsof`: listen() makes a listening socket, connect, accept and socketpair connected
/// ones, a new socket is unconnected; the state goes into snapshots (format 1.3) and comes back from them, so
/// the answer at any moment from the nearest snapshot is the answer of a replay from the start.
final class SocketStateTests: ScratchTestCase {
    static var captures: [String] {
        get throws { [MultiHostTests.alpha] + (try CaptureSetTests.fixtures().filter { $0.contains("net-loopback") || $0.contains("workload") }) }
    }

    static func states(_ engine: Engine) -> [String: String] {
        var out: [String: String] = [:]
        for r in OpenFileListing(engine: engine).rows where r.state != nil { out["\(r.pid)/\(r.fd)"] = r.state }
        return out
    }

    func testStatesFollowTheSocketCalls() throws {
        var listening = 0, connected = 0
        for path in try Self.captures {
            let lines = try MultiHostTests.formatted([path], "*%evt.rawtime %evt.type %evt.rawres %proc.pid %fd.num", filter: "evt.type in (listen, accept, accept4, connect, socketpair, socket) and evt.failed=false")
            let offset = try CaptureReader(path: path).header.bootTimeRealtimeOffsetNs
            for line in lines {
                let w = line.split(separator: " ").map(String.init)
                let atNs = UInt64(Int64(w[0])! - offset)
                var source = try CaptureSetSource(readers: [try CaptureReader(path: path)])
                let fast = try MomentReplay(source: &source, atNs: atNs)
                var whole = try CaptureSetSource(readers: [try CaptureReader(path: path)])
                let slow = try MomentReplay(source: &whole, atNs: atNs, fromStart: true)
                XCTAssertEqual(OpenFileListing(engine: fast.engine), OpenFileListing(engine: slow.engine), line)
                let states = Self.states(fast.engine)
                switch w[1] {
                case "listen":
                    XCTAssertEqual(states["\(w[3])/\(w[4])"], "LISTEN", line); listening += 1
                case "connect":
                    XCTAssertEqual(states["\(w[3])/\(w[4])"], "CONNECTED", line); connected += 1
                case "accept", "accept4":
                    XCTAssertEqual(states["\(w[3])/\(w[2])"], "CONNECTED", line); connected += 1
                case "socket":
                    XCTAssertEqual(states["\(w[3])/\(w[2])"], "UNCONNECTED", line)
                default: break
                }
            }
        }
        XCTAssertGreaterThan(listening, 1)
        XCTAssertGreaterThan(connected, 3)
    }

    /// A slice that starts while a socket listens and another is connected: its opening snapshot carries the
    /// states, so lsof on the slice says what lsof on the original says.
    func testSnapshotsCarryTheStates() throws {
        let path = MultiHostTests.alpha
        let accept = try XCTUnwrap(try MultiHostTests.formatted([path], "*%evt.rawtime", filter: "evt.type=accept").first)
        let reader = try CaptureReader(path: path)
        let atNs = UInt64(Int64(accept)! - reader.header.bootTimeRealtimeOffsetNs)
        let since = "+\(atNs - CaptureFileSource(reader: reader).timeRange!.first + 1)ns"
        let slice = file("slice.kcap")
        _ = try CaptureSlicer.slice(readers: [reader], to: slice, since: since, until: nil, filter: "evt.type=close")
        let sliceReader = try CaptureReader(path: slice)
        guard case .snapshot(let first)? = try sliceReader.block(at: 1) else { return XCTFail("no opening snapshot") }
        XCTAssertTrue(first.fds.contains { $0.socketState == .listening })
        XCTAssertTrue(first.fds.contains { $0.socketState == .connected })
        var a = try CaptureSetSource(readers: [sliceReader])
        var b = try CaptureSetSource(readers: [try CaptureReader(path: path)])
        let startNs = CaptureFileSource(reader: sliceReader).timeRange!.first
        XCTAssertEqual(OpenFileListing(engine: try MomentReplay(source: &a, atNs: startNs).engine),
                       OpenFileListing(engine: try MomentReplay(source: &b, atNs: startNs, fromStart: true).engine))
    }

    /// Format 1.3 appends the state byte to a socket's fd entry; an entry without it (1.2) reads as unknown.
    func testStateByteRoundTrip() throws {
        let out = file("s.kcap")
        let writer = try CaptureWriter(path: out, header: CaptureHeader(machine: "x86_64"))
        var listening = FdInfo(pid: 1, fd: 3, kind: .ipv4, socket: SocketTuple(family: 2, proto: 6, localAddress: [127, 0, 0, 1], localPort: 80))
        listening.socketState = .listening
        var file = FdInfo(pid: 1, fd: 4, kind: .file, name: "/x")
        file.socketState = .unknown
        let snapshot = CaptureSnapshot(timestampNs: 5, threads: [ThreadInfo(tid: 1, pid: 1)], fds: [listening, file], host: 2)
        try writer.write(snapshot)
        try writer.finish()
        guard case .snapshot(let back)? = try CaptureReader(path: out).block(at: 1) else { return XCTFail("no snapshot") }
        XCTAssertEqual(back, snapshot)
        XCTAssertEqual(back.fds[0].socketState, .listening)
        XCTAssertEqual(back.host, 2)
    }
}
