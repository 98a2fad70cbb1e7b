import XCTest
@testable import Analyzer

/// Compiled filters evaluated against a mock event: every operator, each field type, absent values,
/// multi-valued fields and aliases.
final class FilterEvaluationTests: XCTestCase {
    private var event: MockEvent {
        var e = MockEvent()
        e[s: .procName] = "nginx"
        e[s: .fdName] = "/etc/Hostname"
        e[s: .evtType] = "openat"
        e[.evtType] = 257
        e[.procPid] = 42
        e[.evtCPU] = 1
        e[.evtRawres] = -2
        e[.evtFailed] = 1
        e[.evtLatency] = 1_500_000
        e[.fdSport] = 80
        e[.fdCport] = 40000
        e[ip: .fdSip] = "10.1.2.3"
        e[ip: .fdCip] = "127.0.0.1"
        // The same socket by ends (a client): fd.ip, fd.net and fd.port read these, whatever the role.
        e[ip: .fdLip] = "127.0.0.1"
        e[ip: .fdRip] = "10.1.2.3"
        e[.fdLport] = 40000
        e[.fdRport] = 80
        return e
    }

    func testStringOperators() {
        let e = event
        let yes = [
            "proc.name = nginx", "proc.name == nginx", "proc.name != apache", "proc.name < nginy", "proc.name <= nginx",
            "proc.name > nginw", "proc.name >= nginx", "proc.name contains gin", "proc.name icontains GIN",
            "fd.name icontains hostNAME", "proc.name startswith ng", "proc.name endswith inx", "proc.name glob 'n*x'",
            "proc.name glob ng?nx", "proc.name glob '[m-o]ginx'", "proc.name iglob 'NG*'", "proc.name regex 'ng.*'",
            "proc.name in (apache, nginx)", "proc.name intersects (nginx)", "proc.name exists",
            "fd.name pmatch (/etc)", "fd.name pmatch (/usr, /etc/Hostname)", "proc.name bcontains 6769",
            "proc.name bstartswith 6e67", "proc.name contains ''",
        ]
        for f in yes { XCTAssertTrue(eval(f, e), f) }
        let no = [
            "proc.name = nginX", "proc.name != nginx", "proc.name < nginx", "proc.name > nginx", "proc.name contains GIN",
            "proc.name icontains apache", "proc.name startswith gin", "proc.name endswith ngi", "proc.name glob 'n*y'",
            "proc.name glob '[!n]ginx'", "proc.name regex 'gin'", "proc.name in (apache, nginx2)", "fd.name pmatch (/et)",
            "fd.name pmatch (/etc/Host)", "proc.name bcontains 00", "proc.name bstartswith 67",
        ]
        for f in no { XCTAssertFalse(eval(f, e), f) }
    }

    func testAbsentFieldsMakeEveryComparisonFalseEvenNotEqual() {
        var e = event
        e.strings[FieldRef(.fdName)] = nil
        e[.fdNum] = nil
        for f in ["fd.name = x", "fd.name != x", "fd.name contains x", "fd.name exists", "fd.name in (x)",
                  "fd.num = 3", "fd.num != 3", "fd.num < 3", "fd.num exists", "fd.ip = 1.2.3.4",
                  "proc.exe != x", "evt.buffer != test", "evt.buffer contains test"] {
            XCTAssertFalse(eval(f, e), f)
        }
        // ...so negating them is true, which is how sysdig users write "has no fd name".
        XCTAssertTrue(eval("not fd.name = x", e))
        XCTAssertTrue(eval("not fd.name exists", e))
        XCTAssertTrue(eval("not fd.num != 3", e))
    }

    func testNumericOperators() {
        let e = event
        for f in ["proc.pid = 42", "proc.pid == 0x2a", "proc.pid != 41", "proc.pid < 43", "proc.pid <= 42", "proc.pid > 41",
                  "proc.pid >= 42", "proc.pid in (1, 42)", "proc.pid exists", "evt.rawres < 0", "evt.rawres = -2",
                  "evt.failed = true", "evt.failed != false", "evt.latency > 1000000", "evt.latency > 1ms",
                  "evt.latency < 2ms", "evt.latency >= 1500us", "evt.latency < 1s", "fd.sport = 80"] {
            XCTAssertTrue(eval(f, e), f)
        }
        for f in ["proc.pid = 41", "proc.pid != 42", "proc.pid < 42", "proc.pid > 42", "proc.pid in (1, 2)",
                  "evt.failed = false", "evt.latency > 2ms", "evt.rawres >= 0"] {
            XCTAssertFalse(eval(f, e), f)
        }
    }

    func testEventTypeByCodeAndByName() {
        let e = event
        for codes in [true, false] {
            XCTAssertTrue(eval("evt.type = openat", e, codes: codes))
            XCTAssertTrue(eval("evt.type in (close, openat)", e, codes: codes))
            XCTAssertTrue(eval("evt.type != close", e, codes: codes))
            XCTAssertFalse(eval("evt.type = close", e, codes: codes))
            XCTAssertFalse(eval("evt.type != openat", e, codes: codes))
            // A type the engine never produces: "=" never matches, "!=" always does (sysdig's evt.type!=switch).
            XCTAssertFalse(eval("evt.type = switch", e, codes: codes))
            XCTAssertTrue(eval("evt.type != switch", e, codes: codes))
            XCTAssertTrue(eval("evt.type startswith open", e, codes: codes))
        }
        // With codes, equality reads the integer code and never the name.
        let logged = event
        _ = eval("evt.type = openat", logged)
        XCTAssertEqual(logged.log.asked, [FieldRef(.evtType)])
        XCTAssertTrue(logged.ints[FieldRef(.evtType)] == 257)
        var exec = MockEvent()
        exec[.evtType] = 1001   // the second code of a name with two
        XCTAssertTrue(eval("evt.type = execve", exec))
        XCTAssertFalse(eval("evt.type != execve", exec))
    }

    func testEitherEndpointFields() {
        let e = event
        XCTAssertTrue(eval("fd.ip = 127.0.0.1", e))
        XCTAssertTrue(eval("fd.ip = 10.1.2.3", e))
        XCTAssertTrue(eval("fd.ip in (9.9.9.9, 10.1.2.3)", e))
        XCTAssertFalse(eval("fd.ip = 1.1.1.1", e))
        // "!=" on an either-endpoint field: true only when neither endpoint equals.
        XCTAssertFalse(eval("fd.ip != 127.0.0.1", e))
        XCTAssertTrue(eval("fd.ip != 1.1.1.1", e))
        XCTAssertTrue(eval("fd.ip != 2001:4860:4860::8888", e))
        XCTAssertTrue(eval("fd.port = 80", e))
        XCTAssertTrue(eval("fd.port = 40000", e))
        XCTAssertFalse(eval("fd.port != 80", e))
        XCTAssertTrue(eval("fd.port > 1024", e))
        XCTAssertTrue(eval("fd.net = 10.0.0.0/8", e))
        XCTAssertTrue(eval("fd.net = 127.0.0.0/8", e))
        XCTAssertFalse(eval("fd.net != 10.0.0.0/8", e))
        XCTAssertTrue(eval("fd.net != 192.168.0.0/16", e))
        XCTAssertTrue(eval("fd.snet = 10.1.0.0/16", e))
        XCTAssertFalse(eval("fd.cnet = 10.1.0.0/16", e))
        XCTAssertTrue(eval("fd.cnet in (192.168.0.0/16, 127.0.0.1/32)", e))
        XCTAssertTrue(eval("fd.ip exists", e))
        // fd.dip/fd.dport read the server side.
        XCTAssertTrue(eval("fd.dip = 10.1.2.3", e))
        XCTAssertTrue(eval("fd.dport = 80", e))
        XCTAssertTrue(eval("fd.sip != 127.0.0.1", e))

        let asked = event
        _ = eval("fd.ip = 9.9.9.9 or fd.dport = 1", asked)
        XCTAssertEqual(asked.log.asked, [FieldRef(.fdLip), FieldRef(.fdRip), FieldRef(.fdSport)])

        var oneSide = MockEvent()
        oneSide[ip: .fdSip] = "::1"
        oneSide[ip: .fdLip] = "::1"
        XCTAssertTrue(eval("fd.ip = ::1", oneSide))
        XCTAssertTrue(eval("fd.ip = 0:0:0:0:0:0:0:1", oneSide))
        XCTAssertFalse(eval("fd.ip != ::1", oneSide))
        XCTAssertTrue(eval("fd.ip != ::2", oneSide))
        XCTAssertTrue(eval("fd.net = ::/0", oneSide))
        XCTAssertFalse(eval("fd.net = 0.0.0.0/0", oneSide))
        XCTAssertFalse(eval("fd.ip != 1.1.1.1", MockEvent()))
    }

    func testAncestorsWithAndWithoutIndex() {
        var e = MockEvent()
        e.strings[FieldRef(.procAname, index: 0)] = "cat"
        e.strings[FieldRef(.procAname, index: 1)] = "bash"
        e.strings[FieldRef(.procAname, index: 2)] = "sshd"
        e.strings[FieldRef(.procAname, index: 3)] = "systemd"
        e.ints[FieldRef(.procApid, index: 1)] = 100
        e.ints[FieldRef(.procApid, index: 2)] = 10
        XCTAssertTrue(eval("proc.aname = sshd", e))
        XCTAssertTrue(eval("proc.aname in (init, systemd)", e))
        XCTAssertFalse(eval("proc.aname = cat", e), "without an index, ancestors start at the parent")
        XCTAssertTrue(eval("proc.aname[0] = cat", e))
        XCTAssertTrue(eval("proc.aname[1] = bash", e))
        XCTAssertTrue(eval("proc.aname[2] != bash", e))
        XCTAssertFalse(eval("proc.aname[9] != bash", e))
        XCTAssertFalse(eval("proc.aname != bash", e), "'!=' without index: no ancestor may equal")
        XCTAssertTrue(eval("proc.aname != nginx", e))
        XCTAssertTrue(eval("proc.aname exists", e))
        XCTAssertTrue(eval("proc.apid = 10", e))
        XCTAssertTrue(eval("proc.apid[1] = 100", e))
        XCTAssertFalse(eval("proc.aname = bash", MockEvent()))
        XCTAssertFalse(eval("proc.aname != bash", MockEvent()))
    }

    func testEventArguments() {
        var e = MockEvent()
        e.strings[FieldRef(.evtArg, argName: "flags")] = "O_RDWR|O_CREAT|O_CLOEXEC"
        e.strings[FieldRef(.evtArg, index: 0)] = "/bin/ls"
        e.ints[FieldRef(.evtRawarg, argName: "flags")] = 0o2000102
        e.strings[FieldRef(.evtRawarg, argName: "name")] = "/etc/passwd"
        XCTAssertTrue(eval("evt.arg.flags contains O_CREAT", e))
        XCTAssertFalse(eval("evt.arg.flags contains O_TMPFILE", e))
        XCTAssertTrue(eval("evt.arg.flags icontains o_creat", e))
        XCTAssertTrue(eval("evt.arg[0] contains /bin", e))
        XCTAssertFalse(eval("evt.arg[1] contains /bin", e))
        XCTAssertTrue(eval("evt.rawarg.flags > 255", e))
        XCTAssertTrue(eval("evt.rawarg.flags exists", e))
        XCTAssertFalse(eval("evt.rawarg.pgid exists", e))
        XCTAssertTrue(eval("evt.rawarg.name = /etc/passwd", e), "a text constant compares evt.rawarg as text")
    }

    func testBytesField() {
        var e = MockEvent()
        e.buffers[FieldRef(.evtBuffer)] = Array("GET / HTTP/1.1\r\n".utf8) + [0, 0x30, 0x30, 0]
        for f in ["evt.buffer contains HTTP", "evt.buffer startswith GET", "evt.buffer bcontains 00303000",
                  "evt.buffer bstartswith '47 45 54'", "evt.buffer icontains http/1", "evt.buffer exists",
                  "evt.buffer != test", "evt.buffer glob 'GET *'"] {
            XCTAssertTrue(eval(f, e), f)
        }
        for f in ["evt.buffer = test", "evt.buffer in (test)", "evt.buffer bcontains 313131", "evt.buffer contains POST"] {
            XCTAssertFalse(eval(f, e), f)
        }
    }

    func testLogicEvaluatesLikeTheTree() {
        let e = event
        XCTAssertTrue(eval("proc.name = x or proc.name = nginx and proc.pid = 42", e))
        XCTAssertFalse(eval("(proc.name = x or proc.name = nginx) and proc.pid = 1", e))
        XCTAssertTrue(eval("not not proc.name = nginx", e))
        XCTAssertFalse(eval("not not not proc.name = nginx", e))
        XCTAssertTrue(eval("proc.name = a or proc.name = b or proc.name = c or proc.name = nginx", e))
        XCTAssertFalse(eval("proc.name = nginx and proc.pid = 42 and evt.cpu = 1 and evt.failed = false", e))
        XCTAssertTrue(eval("proc.name = nginx and proc.pid = 42 and evt.cpu = 1 and evt.failed = true", e))
        XCTAssertTrue(eval("evt.type=openat and fd.name contains Hostname", e))
    }

    func testAndStopsAtTheFirstFalseOperand() {
        let e = event
        _ = eval("proc.pid = 1 and proc.name = nginx", e)
        XCTAssertEqual(e.log.asked, [FieldRef(.procPid)])
    }

    func testUnsupportedFieldsCanBeTreatedAsAbsent() throws {
        let e = event
        let f = try compile("proc.env != host or proc.name = nginx", allowUnsupported: true)
        XCTAssertTrue(f.matches(e))
        XCTAssertEqual(e.log.asked, [FieldRef(.procName)], "an unsupported field is never asked for")
        let g = try compile("proc.env != host", allowUnsupported: true)
        XCTAssertFalse(g.matches(e))
        XCTAssertTrue(try compile("not proc.env exists", allowUnsupported: true).matches(e))
    }

    func testCompiledFilterConvenienceInitializer() throws {
        let f = try CompiledFilter<MockEvent>("proc.name = nginx and evt.type = openat")
        XCTAssertTrue(f.matches(event))
        XCTAssertThrowsError(try CompiledFilter<MockEvent>("proc.name = "))
    }

    func testGlobPatterns() {
        func g(_ p: String, _ t: String, ignoreCase: Bool = false) -> Bool {
            Array(t.utf8).withUnsafeBytes { GlobPattern(p, ignoreCase: ignoreCase).matches($0) }
        }
        XCTAssertTrue(g("*.log", "/var/log/syslog.log"))
        XCTAssertTrue(g("/var/*/x", "/var/a/b/x"), "'*' crosses slashes, as fnmatch without FNM_PATHNAME")
        XCTAssertTrue(g("a*b*c", "aXXbYYc"))
        XCTAssertFalse(g("a*b*c", "aXXbYY"))
        XCTAssertTrue(g("", ""))
        XCTAssertFalse(g("", "a"))
        XCTAssertTrue(g("*", ""))
        XCTAssertTrue(g("a?c", "abc"))
        XCTAssertFalse(g("a?c", "ac"))
        XCTAssertTrue(g("[abc]x", "bx"))
        XCTAssertTrue(g("[]]x", "]x"))
        XCTAssertTrue(g("[!a-c]x", "dx"))
        XCTAssertFalse(g("[^a-c]x", "bx"))
        XCTAssertTrue(g("a\\*", "a*"))
        XCTAssertFalse(g("a\\*", "ab"))
        XCTAssertTrue(g("[abc", "[abc"), "an unclosed '[' is literal")
        XCTAssertTrue(g("MY*", "myexe", ignoreCase: true))
        XCTAssertTrue(g("*EXE", "myexe", ignoreCase: true))
    }

    func testPathPrefixes() {
        func p(_ patterns: [String], _ path: String) -> Bool {
            Array(path.utf8).withUnsafeBytes { PathPrefixSet(patterns).matches($0) }
        }
        XCTAssertTrue(p(["/opt/dir"], "/opt/dir"))
        XCTAssertTrue(p(["/opt/dir"], "/opt/dir/subdir/file"))
        XCTAssertFalse(p(["/opt/dir"], "/opt/directory"))
        XCTAssertFalse(p(["/opt/dir/subdir"], "/opt/dir"))
        XCTAssertTrue(p(["/opt/dir3", "/opt/dir2"], "/opt/dir2/x"))
        XCTAssertTrue(p(["/opt/*/subdir"], "/opt/dir/subdir/file"))
        XCTAssertTrue(p(["/opt/dii?/subdir"], "/opt/diir/subdir"))
        XCTAssertTrue(p(["/opt/di[r]/subdir"], "/opt/dir/subdir"))
        XCTAssertFalse(p(["/opt/di[t]/subdir"], "/opt/dir/subdir"))
        XCTAssertTrue(p(["/opt/*/*"], "/opt/dir/subdir"))
        XCTAssertFalse(p(["/opt/*/*"], "/opt/dir"))
        XCTAssertTrue(p(["/opt/dir/"], "/opt//dir/x"))
    }

    func testAddressesAndNetworks() throws {
        XCTAssertEqual(IPAddress("127.0.0.1"), IPAddress(ipv4: 0x7f00_0001))
        XCTAssertEqual(IPAddress("::1"), IPAddress(ipv6High: 0, low: 1))
        XCTAssertEqual(IPAddress("0:0:0:0:0:0:0:1"), IPAddress("::1"))
        XCTAssertEqual(IPAddress("2001:4860:4860::8888")?.description, "2001:4860:4860::8888")
        XCTAssertEqual(IPAddress(bytes: [10, 0, 0, 1])?.description, "10.0.0.1")
        XCTAssertNil(IPAddress("1.2.3"))
        XCTAssertNil(IPAddress("256.0.0.1"))
        XCTAssertNil(IPAddress("nginx"))
        XCTAssertNotEqual(IPAddress("::ffff:1.2.3.4"), IPAddress("1.2.3.4"), "families differ")
        let net = try XCTUnwrap(IPNetwork("10.1.2.3/8"))
        XCTAssertEqual(net.description, "10.0.0.0/8")
        XCTAssertTrue(net.contains(IPAddress("10.255.0.1")!))
        XCTAssertFalse(net.contains(IPAddress("11.0.0.1")!))
        let v6 = try XCTUnwrap(IPNetwork("2001:db8::/96"))
        XCTAssertTrue(v6.contains(IPAddress("2001:db8::ff:1")!))
        XCTAssertFalse(v6.contains(IPAddress("2001:db8::1:0:0:1")!))
        let v6b = try XCTUnwrap(IPNetwork("fe80::/10"))
        XCTAssertTrue(v6b.contains(IPAddress("febf::1")!))
        XCTAssertFalse(v6b.contains(IPAddress("fec0::1")!))
        XCTAssertTrue(IPNetwork("0.0.0.0/0")!.contains(IPAddress("8.8.8.8")!))
        XCTAssertEqual(IPNetwork("1.2.3.4")?.prefixLength, 32)
        XCTAssertNil(IPNetwork("1.2.3.4/x"))
        XCTAssertNil(IPNetwork("::1/129"))
    }

    func testNumberParsing() {
        XCTAssertEqual(FilterCompiler.parseInteger("-9223372036854775808"), Int64.min)
        XCTAssertNil(FilterCompiler.parseInteger("9223372036854775808"))
        XCTAssertEqual(FilterCompiler.parseInteger("0x10"), 16)
        XCTAssertNil(FilterCompiler.parseInteger("-"))
        XCTAssertNil(FilterCompiler.parseInteger("1.5"))
        XCTAssertEqual(FilterCompiler.parseNumber("2s", type: .reltime), 2_000_000_000)
        XCTAssertNil(FilterCompiler.parseNumber("99999999999s", type: .reltime))
    }
}
