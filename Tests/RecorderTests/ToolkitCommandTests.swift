import Foundation
import XCTest
import KcapTestSupport

/// The postmortem commands end to end, on the built binary and a real fixture: several files on one command
/// line, the moment commands, diff's exit status, and one clear line for each mistake.
final class ToolkitCommandTests: XCTestCase {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/files/capture.kcap").path
    static let other = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/net-loopback/capture.kcap").path

    var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "kcap-toolkit-cli-\(getpid())-\(name.hashValue)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func kcap(_ args: [String]) throws -> (status: Int32, stderr: String, stdout: String) {
        try runProcess(try kcapBinary(), args)
    }

    /// `kcap read a.kcap b.kcap 'FILTER'` (which once said "filter error at column 4") reads both halves of a
    /// capture as the whole, in either order; stats takes them too.
    func testSeveralFilesOnOneCommandLine() throws {
        let a = directory + "/a.kcap", b = directory + "/b.kcap"
        let stamps = try CaptureSplit.timestamps(Self.fixture)
        try CaptureSplit.split(Self.fixture, by: .at(stamps[stamps.count / 2]), into: a, b)
        let whole = try kcap(["read", Self.fixture, "proc.name=mv"])
        XCTAssertEqual(whole.status, 0, whole.stderr)
        XCTAssertFalse(whole.stdout.isEmpty)
        for order in [[a, b], [b, a]] {
            let both = try kcap(["read"] + order + ["proc.name=mv"])
            XCTAssertEqual(both.status, 0, both.stderr)
            XCTAssertEqual(both.stdout, whole.stdout)
        }
        let stats = try kcap(["stats", b, a, "--by", "proc.name", "-j"])
        XCTAssertEqual(stats.status, 0, stats.stderr)
        XCTAssertEqual(stats.stdout, try kcap(["stats", Self.fixture, "--by", "proc.name", "-j"]).stdout)
    }

    func testMomentCommands() throws {
        let ps = try kcap(["ps", Self.fixture, "--at", "+5ms"])
        XCTAssertEqual(ps.status, 0, ps.stderr)
        XCTAssertTrue(ps.stdout.hasPrefix("processes at "), ps.stdout)
        XCTAssertTrue(ps.stdout.contains("\n PID  PPID"), ps.stdout)
        let lsof = try kcap(["lsof", Self.fixture, "--at=-1ms", "-j"])
        XCTAssertEqual(lsof.status, 0, lsof.stderr)
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(lsof.stdout.utf8)) as? [String: Any])
        XCTAssertNotNil(doc["rows"] as? [[String: Any]])
        let extra = try kcap(["ps", Self.fixture, "proc.name=sh"])
        XCTAssertEqual(extra.status, 1)
        XCTAssertEqual(extra.stderr, "kcap ps: 'proc.name=sh' is not a capture file; kcap ps takes captures and options only\n")
    }

    func testDiffExitStatus() throws {
        let same = try kcap(["diff", Self.fixture, Self.fixture, "--max-new", "0"])
        XCTAssertEqual(same.status, 0, same.stderr)
        XCTAssertEqual(same.stdout, "")
        let changed = try kcap(["diff", Self.fixture, Self.other, "--max-new", "0"])
        XCTAssertEqual(changed.status, 1, changed.stderr)
        XCTAssertTrue(changed.stdout.split(separator: "\n").last?.hasPrefix("threshold exceeded: ") == true, changed.stdout)
        XCTAssertEqual(try kcap(["diff", Self.fixture, Self.other]).status, 0)
    }

    func testOneLineForEachMistake() throws {
        let by = try kcap(["stats", Self.fixture, "--by", "proc.nme"])
        XCTAssertEqual(by.status, 1)
        XCTAssertEqual(by.stderr, "kcap stats: filter error at column 1: unknown field 'proc.nme'; did you mean 'proc.name'?\n")
        let interval = try kcap(["stats", Self.fixture, "--interval", "soon"])
        XCTAssertEqual(interval.status, 1)
        XCTAssertTrue(interval.stderr.hasPrefix("kcap stats: --interval 'soon' is not a positive duration"), interval.stderr)
        XCTAssertEqual(interval.stderr.filter { $0 == "\n" }.count, 1)
        let copy = directory + "/copy.kcap"
        try FileManager.default.copyItem(atPath: Self.fixture, toPath: copy)
        let over = try kcap(["slice", copy, "-w", copy])
        XCTAssertEqual(over.status, 1)
        XCTAssertEqual(over.stderr, "kcap slice: -w \(copy) is the input \(copy): write the slice to another file\n")
        XCTAssertEqual(FileManager.default.contents(atPath: copy), FileManager.default.contents(atPath: Self.fixture))
        let missing = try kcap(["merge", Self.fixture, directory + "/nope.kcap", "-w", directory + "/m.kcap"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stderr.filter { $0 == "\n" }.count, 1, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("nope.kcap"), missing.stderr)
    }

    /// strace, sysdig and tcpdump habits get one line naming kcap's way, and status 1.
    func testForeignOptionsNameKcapsWay() throws {
        let cases: [([String], String)] = [
            (["read", Self.fixture, "-c"], "kcap stats FILE"),
            (["read", Self.fixture, "-e", "trace=open,close"], "'evt.type in (open, close)'"),
            (["read", Self.fixture, "-o", "out.txt"], "redirect it"),
            (["read", Self.fixture, "-s", "200"], "kcap record --snaplen"),
            (["read", Self.fixture, "-x"], "kcap read -X"),
            (["stats", Self.fixture, "-A"], "kcap read prints data buffers as text with -A"),
            (["read", Self.fixture, "-z"], "always LZ4-compressed"),
            (["read", Self.fixture, "-p", "4242"], "'proc.pid=4242'"),
            (["stats", Self.fixture, "-e", "trace=read"], "'evt.type in (read)'"),
            (["record", "-p", "4242", "--", "true"], "--pid 4242"),
        ]
        for (args, says) in cases {
            let r = try kcap(args)
            XCTAssertEqual(r.status, 1, "\(args)")
            XCTAssertEqual(r.stdout, "", "\(args)")
            XCTAssertEqual(r.stderr.filter { $0 == "\n" }.count, 1, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("kcap \(args[0]): ") && r.stderr.contains(says), "\(args): \(r.stderr)")
        }
        // sysdig's -p format still works, and a filter word after the captures is never taken for an option.
        XCTAssertEqual(try kcap(["read", Self.fixture, "-p", "%evt.num", "-n", "2"]).stdout, "1\n2\n")
    }

    /// A capture of mode 0600 that its reader may not open says why and what to do, in one line.
    func testUnreadableCaptureSaysWhy() throws {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/bin/su") else { throw XCTSkip("needs root and su to read as nobody") }
        let copy = "/tmp/kcap-toolkit-0600-\(getpid()).kcap"
        try? FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: Self.fixture, toPath: copy)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        chmod(copy, 0o600)
        let r = try runProcess("/bin/su", ["-s", "/bin/sh", "nobody", "-c", "\(try kcapBinary()) info \(copy)"])
        guard !r.stderr.contains("Permission denied") || r.stderr.hasPrefix("kcap") else { throw XCTSkip("nobody cannot run the binary here: \(r.stderr)") }
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "kcap info: \(copy): permission denied: kcap record writes captures readable by their owner only (mode 0600); read it with sudo, or give it to yourself first: sudo chown $USER \(copy)\n")
    }

    /// A time before the end written as the help writes it, `--until -5s`, is the value of its option.
    func testTimesBeforeTheEndAsTheHelpWritesThem() throws {
        let spaced = try kcap(["read", Self.fixture, "--since", "-2ms"])
        XCTAssertEqual(spaced.status, 0, spaced.stderr)
        XCTAssertFalse(spaced.stdout.isEmpty)
        XCTAssertEqual(spaced.stdout, try kcap(["read", Self.fixture, "--since=-2ms"]).stdout)
        let ps = try kcap(["ps", Self.fixture, "--at", "-1ms"])
        XCTAssertEqual(ps.status, 0, ps.stderr)
        XCTAssertEqual(ps.stdout, try kcap(["ps", Self.fixture, "--at=-1ms"]).stdout)
    }

    static let hostsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/hosts").path

    /// `kcap slice --redact` as a user runs it: `kcap info` says so, `kcap read -j` shows none of the paths,
    /// arguments, addresses or data, per-type counts are the original's, and a saved key gives the same tokens
    /// again.
    func testRedactedSliceFromTheCommandLine() throws {
        let key = directory + "/key", out = directory + "/r.kcap", again = directory + "/again.kcap"
        let first = try kcap(["slice", Self.other, "-w", out, "--redact", "--save-redact-key", key])
        XCTAssertEqual(first.status, 0, first.stderr)
        let attributes = try FileManager.default.attributesOfItem(atPath: key)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        XCTAssertEqual((attributes[.size] as? NSNumber)?.intValue, 32)
        let info = try kcap(["info", out])
        XCTAssertTrue(info.stdout.contains("\nredacted      yes: "), info.stdout)
        XCTAssertFalse(try kcap(["info", Self.other]).stdout.contains("redacted"))
        let json = try kcap(["read", "-j", out])
        XCTAssertEqual(json.status, 0, json.stderr)
        XCTAssertFalse(json.stdout.isEmpty)
        for secret in ["127.0.0.1", "/tmp/kcap-fixtures", "ping", "pong", "net-loopback"] {
            XCTAssertFalse(json.stdout.contains(secret), secret)
            XCTAssertNil(try Data(contentsOf: URL(fileURLWithPath: out)).range(of: Data(secret.utf8)), secret)
        }
        let byType = try kcap(["stats", out, "--by", "evt.type", "-j"])
        XCTAssertEqual(byType.stdout, try kcap(["stats", Self.other, "--by", "evt.type", "-j"]).stdout)
        let byName = try kcap(["stats", out, "--by", "fd.name", "-j"])
        XCTAssertEqual(byName.status, 0)
        let again1 = try kcap(["slice", Self.other, "-w", again, "--redact", "--redact-key", key])
        XCTAssertEqual(again1.status, 0, again1.stderr)
        XCTAssertEqual(try kcap(["read", again]).stdout, try kcap(["read", out]).stdout, "same key, same tokens")
        let short = directory + "/short"
        try Data("0123".utf8).write(to: URL(fileURLWithPath: short))
        let refused = try kcap(["slice", Self.other, "-w", again, "--redact", "--redact-key", short])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.hasPrefix("kcap slice: --redact-key \(short): 4 bytes; a key needs at least 16"), refused.stderr)
        let alone = try kcap(["slice", Self.other, "-w", again, "--redact-key", key])
        XCTAssertEqual(alone.status, 1)
        XCTAssertTrue(alone.stderr.contains("--redact-key and --save-redact-key go with --redact"), alone.stderr)
    }

    /// `kcap merge` of two hosts' captures: the default line names the host, `host.name=X` counts what X's
    /// capture alone counts, `kcap info` lists the hosts, `kcap ps` gets a HOST column.
    func testMergeOfTwoHostsFromTheCommandLine() throws {
        let alpha = Self.hostsDirectory + "/alpha.kcap", beta = Self.hostsDirectory + "/beta.kcap"
        let merged = directory + "/fleet.kcap"
        let m = try kcap(["merge", beta, alpha, "-w", merged])
        XCTAssertEqual(m.status, 0, m.stderr)
        XCTAssertTrue(try kcap(["info", merged]).stdout.contains("\nhosts         2: "))
        for (name, alone) in [("kcap-alpha", alpha), ("kcap-beta", beta)] {
            let stats = try kcap(["stats", merged, "host.name=\(name)", "--by", "evt.type", "-j"])
            XCTAssertEqual(stats.status, 0, stats.stderr)
            XCTAssertEqual(stats.stdout, try kcap(["stats", alone, "--by", "evt.type", "-j"]).stdout, name)
            let lines = try kcap(["read", merged, "evt.host=\(name)"]).stdout.split(separator: "\n")
            XCTAssertEqual(lines.count, try kcap(["read", alone]).stdout.split(separator: "\n").count)
            XCTAssertTrue(lines.allSatisfy { $0.split(separator: " ")[2] == name })
        }
        let byHost = try kcap(["stats", merged, "--by", "host.name"])
        XCTAssertTrue(byHost.stdout.contains("kcap-alpha") && byHost.stdout.contains("kcap-beta"), byHost.stdout)
        XCTAssertTrue(try kcap(["ps", merged]).stdout.contains("\nHOST "))
        XCTAssertEqual(try kcap(["read", merged]).stdout, try kcap(["read", alpha, beta]).stdout)
    }
}
