import Analyzer
import CaptureFormat
import Foundation
import ScapFormat
import XCTest

/// The scap source end to end: default output line counts against sysdig's (files_manifest.tsv), state
/// from the first event, and damaged captures (truncated, hostile lengths, flipped bytes) that give one
/// problem line and every intact block's events.
final class ScapSourceTests: XCTestCase {
    static let fixtures = ScapConformanceTests.fixtures

    /// Events `kcap read FILE` shows, with the source's problems.
    func read(_ capture: ScapCapture, filter: String? = nil) throws -> (events: UInt64, problems: [String], text: String) {
        let replay = Replay(source: try ScapFileSource(capture: capture))
        var options = ReadPipeline.Options()
        if let filter {
            options.filter = try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: replay.engine.machine))
                .compile(filter, for: Event.self)
        }
        let out = OutputBuffer()
        let n = try ReadPipeline.run(replay, output: .text, to: out, options: options)
        return (n, replay.source.problems, out.string)
    }

    func capture(_ name: String) throws -> ScapCapture { try ScapCapture(path: Self.fixtures + name) }

    /// Where kcap's line count differs from sysdig's, and why (docs/conformance.md): none.
    static let knownLineCounts: [String: Int] = [:]

    /// `sysdig -r FILE | wc -l` from the corpus manifest, for the captures in the fixtures.
    func testDefaultOutputHasSysdigsLineCount() throws {
        let text = try String(contentsOfFile: Self.fixtures + "files_manifest.tsv", encoding: .utf8)
        var checked = 0
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count > 7, FileManager.default.fileExists(atPath: Self.fixtures + f[0]), let sysdig = Int(f[7]) else { continue }
            let expected = Self.knownLineCounts[f[0]] ?? sysdig
            let got = try read(try capture(f[0]))
            XCTAssertEqual(got.text.split(separator: "\n", omittingEmptySubsequences: false).count - 1, expected, f[0])
            XCTAssertEqual(got.problems, [], f[0])
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 16)
    }

    /// sysdig 0.29.3 fails on this capture (pcapng options in its section header); it is curl_google's events.
    func testSectionHeaderWithOptionsReads() throws {
        let plain = try read(try capture("libs_curl_google.scap"))
        let withOptions = try read(try capture("libs_curl_google_comments.scap"))
        XCTAssertEqual(withOptions.problems, [])
        XCTAssertEqual(withOptions.events, plain.events)
        XCTAssertEqual(withOptions.text, plain.text)
    }

    /// The process and fd lists are state from the first event: cat's first read names its file, and the
    /// shell that started it is its parent (as sysdig prints them).
    func testStateIsRightFromTheFirstEvent() throws {
        let c = try capture("falco_cat_write.scap")
        let replay = Replay(source: try ScapFileSource(capture: c))
        let printer = EventPrinter(engine: replay.engine)
        let out = OutputBuffer()
        var sink = FilteredSink(sink: try FormatSink(format: "%evt.num %proc.name %proc.pname %fd.name", out: out, printer: printer),
                                filter: try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: "x86_64"))
                                    .compile("evt.type=read and evt.dir=<", for: Event.self), printer: printer)
        try replay.run(into: &sink)
        try sink.sink.finish()
        // sysdig -r falco_cat_write.scap -p '%evt.num %proc.name %proc.pname %fd.name' 'evt.type=read and evt.dir=<'
        XCTAssertEqual(out.string, "153 cat bash /lib/x86_64-linux-gnu/libc.so.6\n205 cat bash /dev/null\n")
    }

    /// sysdig reads concatenated captures as one (each section header starts a new section): so does kcap,
    /// and the second copy's events follow the first's.
    func testConcatenatedSectionsReadAsOne() throws {
        let one = try capture("falco_cat_write.scap")
        let single = try read(one)
        let twice = try read(try ScapCapture(data: one.bytes + one.bytes))
        XCTAssertEqual(twice.problems, [])
        XCTAssertEqual(twice.events, 2 * single.events)
        XCTAssertEqual(try read(try ScapCapture(data: one.bytes + one.bytes), filter: "proc.name=cat and fd.name=/dev/null").events,
                       2 * (try read(one, filter: "proc.name=cat and fd.name=/dev/null")).events)
    }

    /// A later section's state dump (its container events) is state again, and sysdig numbers none of it:
    /// `sysdig -r TWICE -D -p %evt.num | tail -1` of two copies of inspect_502Error prints 44740 (2 x 22,381
    /// events less the second copy's 22 containers), and `sysdig -r TWICE | wc -l` 18,956.
    func testLaterSectionsStateDumpIsNeitherShownNorNumbered() throws {
        let one = try capture("inspect_502Error.scap")
        let source = try ScapFileSource(capture: try ScapCapture(data: one.bytes + one.bytes))
        source.showInternal = true
        let out = OutputBuffer()
        _ = try ReadPipeline.run(Replay(source: source), output: .format("%evt.num"), to: out, options: ReadPipeline.Options())
        XCTAssertEqual(out.string.split(separator: "\n").last, "44740")
        XCTAssertEqual(try read(try ScapCapture(data: one.bytes + one.bytes)).events, 18_956)
    }

    /// `fd.name` and `fd.sip` of the UDP sockets against sysdig's (udp_sockets_sysdig-0.29.3.tsv: `sysdig -r
    /// FILE -p '%evt.num %fd.name %fd.sip' 'fd.l4proto=udp'`). An unbound socket's first datagram names it with
    /// the local address sysdig guesses from the capture's interface list (event 225 of libs_test_ipv6_client:
    /// ::1, the interface that holds the destination). Where kcap differs, docs/conformance.md says why.
    func testDatagramTuplesTakeTheInterfaceSysdigGuesses() throws {
        let text = try String(contentsOfFile: Self.fixtures + "udp_sockets_sysdig-0.29.3.tsv", encoding: .utf8)
        var expected: [String: [String]] = [:]
        for row in text.split(separator: "\n").dropFirst() {
            let f = row.split(separator: "\t", maxSplits: 1).map(String.init)
            expected[f[0], default: []].append(f[1])
        }
        // udp-reconnect: sysdig keeps the socket's first destination after it connects it elsewhere.
        let known: [String: Set<String>] = ["libs_test_ipv6_client": ["231", "232", "233", "237"]]
        XCTAssertEqual(expected.keys.sorted(), ["libs_curl_google", "libs_test_ipv6_client"])
        for (name, lines) in expected {
            let replay = Replay(source: try ScapFileSource(capture: try capture(name + ".scap")))
            var options = ReadPipeline.Options()
            options.filter = try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: "x86_64")).compile("fd.l4proto=udp", for: Event.self)
            let out = OutputBuffer()
            _ = try ReadPipeline.run(replay, output: .format("%evt.num %fd.name %fd.sip"), to: out, options: options)
            let got = out.string.split(separator: "\n").map(String.init)
            XCTAssertEqual(got.map { $0.prefix { $0 != " " } }, lines.map { $0.prefix { $0 != " " } }, "\(name): the same events")
            for (k, s) in zip(got, lines) where !(known[name] ?? []).contains(String(s.prefix { $0 != " " })) {
                XCTAssertEqual(k, s, name)
            }
        }
        XCTAssertTrue(expected["libs_test_ipv6_client"]?.first == "225 ::1:0->::1:2345 ::1")
    }

    /// A socket of the fd list bound to a port with no peer (sysdig's server socket) keeps its name when a
    /// datagram leaves it: sysdig names inspect_502Error's syslog socket `192.168.128.156:55441->145.216.3.255:514`
    /// at event 229, where 145.216.3.255 is the port and protocol it overlays on the destination.
    func testBoundSocketKeepsItsName() throws {
        let replay = Replay(source: try ScapFileSource(capture: try capture("inspect_502Error.scap")))
        var options = ReadPipeline.Options()
        options.filter = try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: "x86_64")).compile("evt.num in (228, 229)", for: Event.self)
        let out = OutputBuffer()
        _ = try ReadPipeline.run(replay, output: .format("%evt.num %fd.name"), to: out, options: options)
        XCTAssertEqual(out.string, "228 0.0.0.0:55441\n229 0.0.0.0:55441\n")
    }

    /// sysdig's guesses (libsinsp's `infer_ipv4_address`, `infer_ipv6_address`, `update_fd`): the interface
    /// that is the destination, else the first whose subnet holds it (IPv6: the first 64 bits), else the first
    /// that is not loopback; nothing when the guess is the destination itself and both ports are equal.
    func testInterfaceGuesses() {
        let v6 = { (s: [UInt8]) in s + [UInt8](repeating: 0, count: 16 - s.count) }
        let interfaces = NetworkInterfaces([([127, 0, 0, 1], [255, 0, 0, 0]), ([10, 0, 0, 79], [255, 255, 255, 0]),
                                            ([172, 17, 0, 1], [255, 255, 0, 0]),
                                            (v6([]).dropLast() + [1], [UInt8](repeating: 0xff, count: 16)),
                                            (v6([0x20, 0x01, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 9]), [UInt8](repeating: 0xff, count: 8) + v6([]).prefix(8))])
        func guess(_ family: UInt16, _ remote: [UInt8], ports: (UInt16, UInt16) = (0, 53), local: [UInt8]? = nil) -> [UInt8] {
            var l = local ?? [UInt8](repeating: 0, count: remote.count), r = remote
            interfaces.complete(family: family, local: &l, localPort: ports.0, remote: &r, remotePort: ports.1)
            return local == nil ? l : r
        }
        XCTAssertEqual(guess(2, [127, 0, 0, 1]), [127, 0, 0, 1], "the destination's own interface")
        XCTAssertEqual(guess(2, [172, 17, 5, 5]), [172, 17, 0, 1], "the subnet's interface")
        XCTAssertEqual(guess(2, [8, 8, 8, 8]), [10, 0, 0, 79], "the first interface that is not loopback")
        XCTAssertEqual(guess(2, [127, 0, 0, 1], ports: (53, 53)), [0, 0, 0, 0], "its own address, equal ports")
        XCTAssertEqual(guess(2, [0, 0, 0, 0], local: [10, 0, 0, 79]), [10, 0, 0, 79], "a missing remote end")
        XCTAssertEqual(guess(10, v6([]).dropLast() + [1]), v6([]).dropLast() + [1])
        XCTAssertEqual(guess(10, v6([0x20, 0x01, 0xd, 0xb8, 0, 0, 0, 0, 7])), v6([0x20, 0x01, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 9]))
        XCTAssertEqual(guess(10, v6([0x26])), v6([0x20, 0x01, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 9]))
        XCTAssertEqual(guess(2, [8, 8, 8, 8], local: [1, 2, 3, 4]), [8, 8, 8, 8], "both ends known: left alone")
        var none = [UInt8](repeating: 0, count: 4), remote: [UInt8] = [8, 8, 8, 8]
        NetworkInterfaces().complete(family: 2, local: &none, localPort: 0, remote: &remote, remotePort: 53)
        XCTAssertEqual(none, [0, 0, 0, 0], "no interface listed")
    }

    /// The user list block names users and groups: `sysdig -r libs_sample.scap 'user.name=root and
    /// group.name=root' | wc -l` prints 269.
    func testUserListNamesUsersAndGroups() throws {
        XCTAssertEqual(try read(try capture("libs_sample.scap"), filter: "user.name=root and group.name=root").events, 269)
    }

    /// Threads whose process the capture never listed (curl's, forked after the process list was written)
    /// take their process facts from their clone exit: `sysdig -r inspect_502Error.scap 'proc.exe=curl and
    /// proc.cmdline="curl localhost/bar" and user.name=bencer' | wc -l` prints 3645.
    func testCloneExitsDescribeUnlistedProcesses() throws {
        let filter = "proc.exe=curl and proc.cmdline=\"curl localhost/bar\" and user.name=bencer"
        XCTAssertEqual(try read(try capture("inspect_502Error.scap"), filter: filter).events, 3645)
    }

    /// Container events give the container's metadata: `sysdig -r falco_psp_run_as_user_0_container.scap -p
    /// '*%container.id|%container.name|%container.image|%container.type|%container.privileged'` prints 461
    /// lines of 697956520d89|hopeful_taussig|nginx|docker|false; falco_psp_privileged's one shown event is
    /// its container event, on sysdig's `container:ID` thread, privileged.
    func testContainerEventsGiveContainerMetadata() throws {
        let replay = Replay(source: try ScapFileSource(capture: try capture("falco_psp_run_as_user_0_container.scap")))
        let out = OutputBuffer()
        var options = ReadPipeline.Options()
        options.filter = try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: "x86_64"))
            .compile("container.name = hopeful_taussig", for: Event.self)
        _ = try ReadPipeline.run(replay, output: .format("%container.id|%container.name|%container.image|%container.type|%container.privileged"),
                                 to: out, options: options)
        let lines = out.string.split(separator: "\n")
        XCTAssertEqual(lines.count, 461)
        XCTAssertEqual(Set(lines), ["697956520d89|hopeful_taussig|nginx|docker|false"])
        let privileged = Replay(source: try ScapFileSource(capture: try capture("falco_psp_privileged.scap")))
        let text = OutputBuffer()
        _ = try ReadPipeline.run(privileged, output: .format("%evt.num %proc.name %container.name %container.image %container.privileged"),
                                 to: text, options: ReadPipeline.Options())
        XCTAssertEqual(text.string, "1405 container:9dbcbd0c435f epic_cray nginx:latest true\n")
    }

    /// `-D` shows the events sysdig hides, as `sysdig -r FILE -D | wc -l` counts them: 345 lines on
    /// falco_cat_write, 22,359 on inspect_502Error (the state dump's containers stay hidden, as there).
    func testShowInternalShowsWhatSysdigDShows() throws {
        for (name, lines) in [("falco_cat_write.scap", 345), ("inspect_502Error.scap", 22_359)] {
            let source = try ScapFileSource(capture: try capture(name))
            source.showInternal = true
            let out = OutputBuffer()
            _ = try ReadPipeline.run(Replay(source: source), output: .text, to: out, options: ReadPipeline.Options())
            XCTAssertEqual(out.string.split(separator: "\n", omittingEmptySubsequences: false).count - 1, lines, name)
        }
    }

    /// `--since +2s --until +3s` on a scap capture: `sysdig -r inspect_502Error.scap 'evt.reltime >= 2000000000
    /// and evt.reltime <= 3000000000' | wc -l` prints 754.
    func testTimeWindow() throws {
        let source = try ScapFileSource(capture: try capture("inspect_502Error.scap"))
        source.scan()
        let replay = Replay(source: source)
        var options = ReadPipeline.Options()
        (options.startNs, options.endNs) = try TimeBound.window(since: "+2s", until: "+3s", range: source.timeRange, realtimeOffsetNs: 0)
        XCTAssertEqual(try ReadPipeline.run(replay, output: .none, to: OutputBuffer(), options: options), 754)
    }

    func testTruncatedCaptureKeepsEveryCompleteBlockWithOneProblem() throws {
        let whole = try capture("inspect_502Error.scap")
        let all = try read(whole)
        var walker = try ScapBlockWalker(bytes: whole.bytes)
        var blocks: [ScapBlock] = []
        while let b = try walker.next() { blocks.append(b) }
        let cutBlock = blocks[blocks.count * 2 / 3]
        let cut = try ScapCapture(data: Array(whole.bytes[..<(cutBlock.offset + 20)]))
        let got = try read(cut)
        XCTAssertEqual(got.problems.count, 1)
        XCTAssertTrue(got.problems[0].contains("truncated"), got.problems[0])
        // The same lines as the whole capture up to the cut.
        let before = all.text.split(separator: "\n").prefix(Int(got.events))
        XCTAssertEqual(got.text.split(separator: "\n").map(String.init), before.map(String.init))
        XCTAssertGreaterThan(got.events, all.events / 2)
        XCTAssertLessThan(got.events, all.events)
    }

    func testHostileBlockLengthStopsThereWithOneProblem() throws {
        let whole = try capture("libs_curl_google.scap")
        var walker = try ScapBlockWalker(bytes: whole.bytes)
        var blocks: [ScapBlock] = []
        while let b = try walker.next() { blocks.append(b) }
        let victim = blocks[blocks.count / 2]
        for length: UInt32 in [0x7fff_fff0, 17_800_000, 8, 13] {  // huge, sysdig#867's 17.8 MB, too short, unaligned
            var bytes = whole.bytes
            for k in 0..<4 { bytes[victim.offset + 4 + k] = UInt8(truncatingIfNeeded: length >> (8 * UInt32(k))) }
            let got = try read(try ScapCapture(data: bytes))
            XCTAssertEqual(got.problems.count, 1, "length \(length)")
            XCTAssertTrue(got.problems[0].contains("at byte \(victim.offset)"), got.problems[0])
            XCTAssertGreaterThan(got.events, 0)
        }
    }

    /// Flipped bytes anywhere in event blocks: the read never traps, and a damaged block is one problem line.
    func testFlippedBytesNeverTrap() throws {
        let whole = try capture("falco_cat_write.scap")
        var rng = SystemRandomNumberGenerator()
        var withProblems = 0
        for _ in 0..<100 {
            var bytes = whole.bytes
            for _ in 0..<3 {
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                bytes[at] ^= UInt8.random(in: 1...255, using: &rng)
            }
            guard let c = try? ScapCapture(data: bytes), let got = try? read(c) else { continue }
            XCTAssertLessThanOrEqual(got.problems.count, 1)
            if !got.problems.isEmpty { withProblems += 1 }
        }
        XCTAssertGreaterThan(withProblems, 0)
    }
}
