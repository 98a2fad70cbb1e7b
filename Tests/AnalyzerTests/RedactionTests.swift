import XCTest
import Glibc
import KcapTestSupport
import CaptureFormat
import KcapRedaction
@testable import Analyzer

/// `kcap slice --redact`: the keyed hash against published vectors, and on every fixture: nothing of the
/// original names, arguments, addresses or data is left in the redacted capture's bytes or in what reading it
/// prints, every event is still there with its type, result, latency, pid and fd, and every name maps to one
/// token and back (so grouped counts are the original's), the same under one key in every capture.
final class RedactionTests: ScratchTestCase {
    static let key = RedactionKey(bytes: Array("kcap redaction test key, 32 byte".utf8))

    static func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }
    static func unhex(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        var i = s.startIndex
        while i < s.endIndex {
            let j = s.index(i, offsetBy: 2)
            out.append(UInt8(s[i..<j], radix: 16)!)
            i = j
        }
        return out
    }

    /// RFC 4231's HMAC-SHA256 test cases 1, 2, 3 and 6 (a key longer than the block).
    func testHMACSHA256MatchesRFC4231() {
        let cases: [([UInt8], [UInt8], String)] = [
            ([UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
             "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
            (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
             "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
            ([UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
             "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
            ([UInt8](repeating: 0xaa, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
             "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        ]
        for (key, message, expected) in cases {
            let mac = message.withUnsafeBytes { RedactionKey(bytes: key).mac($0) }
            XCTAssertEqual(Self.hex(mac), expected)
        }
    }

    /// A token is "r" + the first 8 bytes of HMAC(key, "s" + input) in hex; paths go component by component.
    func testTokensAndPaths() {
        let r = Self.key.redactor()
        let mac = Array("setc".utf8).withUnsafeBytes { Self.key.mac($0) }
        XCTAssertEqual(r.token("etc"), "r" + Self.hex(Array(mac.prefix(8))))
        let etc = r.token("etc"), x = r.token("x"), y = r.token("y")
        XCTAssertEqual(r.path("/etc/./x/../y"), "/\(etc)/./\(x)/../\(y)")
        XCTAssertEqual(r.path("x//y/"), "\(x)//\(y)/")
        XCTAssertEqual(r.path(""), "")
        XCTAssertEqual(r.unixPath("@sock"), "@" + r.token("sock"))
        XCTAssertEqual(r.token("etc"), Self.key.redactor().token("etc"), "same key, same token")
        XCTAssertNotEqual(r.token("etc"), RedactionKey(bytes: Array("another key of at least 16 bytes".utf8)).redactor().token("etc"))
        let zero = [UInt8](repeating: 0, count: 16)
        zero.withUnsafeBytes { XCTAssertEqual(r.ipv6($0), zero, "the unspecified address stays") }
        let loopback: [UInt8] = [127, 0, 0, 1]
        let v4 = loopback.withUnsafeBytes { r.ipv4($0) }
        XCTAssertNotEqual(v4, loopback)
        let mapped: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff] + loopback
        XCTAssertEqual(mapped.withUnsafeBytes { r.ipv6($0) }, Array(mapped.prefix(12)) + v4, "::ffff:a.b.c.d maps its IPv4 part")
    }

    /// What a capture says that redaction must not leave: paths, arguments, unix socket names, host names, the
    /// recorder's command line, IPv4 addresses (as text and as bytes) and data buffers. Strings shorter than 5
    /// bytes are left out (they occur anywhere by chance), and so are process names, which redaction keeps.
    static func secrets(of path: String) throws -> (strings: Set<String>, bytes: Set<[UInt8]>) {
        let reader = try CaptureReader(path: path)
        var strings = Set<String>(), bytes = Set<[UInt8]>(), comms = Set<String>()
        strings.insert(reader.header.hostname)
        if let c = reader.header.recorder["commandLine"] { strings.insert(c) }
        func address(_ a: [UInt8], _ family: UInt16) {
            guard family == 2, a.prefix(4).contains(where: { $0 != 0 }) else { return }
            strings.insert(a.prefix(4).map(String.init).joined(separator: "."))
            bytes.insert(Array(a.prefix(4)))
        }
        for i in reader.index.indices {
            switch try reader.block(at: i) {
            case .snapshot(let s)?:
                for t in s.threads {
                    comms.insert(t.comm)
                    strings.formUnion([t.exe, t.cwd] + t.args)
                }
                for f in s.fds {
                    if let t = f.socket {
                        strings.insert(t.unixPath)
                        address(t.localAddress, t.family)
                        address(t.remoteAddress, t.family)
                    } else if f.name.hasPrefix("/") {
                        strings.insert(f.name)
                    }
                }
            case .events(let view)?:
                var walker = RecordWalker(view.bytes)
                while let r = walker.next() {
                    var items: RecordItems?
                    if let s = try? SyscallRecord(r) { items = s.items }
                    if let e = try? ExecRecord(r) { items = e.items; comms.insert(e.comm) }
                    if let f = try? ForkRecord(r) { comms.insert(f.childComm) }
                    for item in items.map(Array.init) ?? [] {
                        switch item.kind {
                        case .path?: strings.insert(item.string)
                        case .argv?: strings.formUnion(item.argv)
                        case .data? where item.data.count >= 8: bytes.insert(Array(item.data.prefix(16)))
                        case .tuple?:
                            let d = item.data
                            guard d.count >= KcapABI.Tuple.size else { break }
                            let family = LE.u16(d, KcapABI.Tuple.family)
                            address(Array(d[KcapABI.Tuple.laddr..<KcapABI.Tuple.laddr + 16]), family)
                            address(Array(d[KcapABI.Tuple.raddr..<KcapABI.Tuple.raddr + 16]), family)
                        case .sockaddr?:
                            let d = item.data
                            if d.count >= 8, LE.u16(d, 0) == 2 { address(Array(d[4..<8]), 2) }
                            if d.count > 3, LE.u16(d, 0) == 1 {
                                strings.insert(String(decoding: d[2...].prefix { $0 != 0 }, as: UTF8.self))
                            }
                        default: break
                        }
                    }
                }
            default: break
            }
        }
        // Words of the file's own format ("recorder" is a header key) are not the machine's.
        strings = strings.filter { $0.utf8.count >= 5 && !comms.contains($0) && !"recorder".contains($0)
            && !reader.header.kernelRelease.contains($0) }  // kept (the synthetic fixture's names its host)
        return (strings, bytes)
    }

    /// Every byte a capture holds once read: the file, and each block's payload decompressed.
    static func decompressedBytes(_ path: String) throws -> [UInt8] {
        let reader = try CaptureReader(path: path)
        var all = Array(FileManager.default.contents(atPath: path)!)
        for i in reader.index.indices {
            switch try reader.block(at: i) {
            case .events(let view)?: all += Array(view.bytes)
            case .snapshot(let s)?: all += s.threads.flatMap { Array(($0.exe + $0.cwd + $0.cgroup + $0.args.joined()).utf8) }
                all += s.fds.flatMap { Array(($0.name + ($0.socket?.unixPath ?? "")).utf8) + ($0.socket.map { $0.localAddress + $0.remoteAddress } ?? []) }
                all += s.users.values.flatMap { Array($0.utf8) }
            default: break
            }
        }
        return all
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        let first = needle[0]
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first, haystack[i..<i + needle.count].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }

    /// Lines of `-p FORMAT` over every event of `path` (the records kept for state included).
    static func formatted(_ path: String, _ format: String) throws -> [String] {
        let replay = try CaptureSetReplay(readers: [try CaptureReader(path: path)])
        var options = ReadPipeline.Options()
        options.showContext = true
        let out = OutputBuffer()
        _ = try ReadPipeline.run(replay, output: .format(format), to: out, options: options)
        return String(decoding: out.bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    func testRedactedSliceOfEveryFixture() throws {
        var secretsChecked = 0, tokensChecked = 0
        var tokenOf: [String: String] = [:]  // across fixtures: one key, one token per name
        for path in try CaptureSetTests.fixtures() {
            let plain = file("plain.kcap"), redacted = file("redacted.kcap"), again = file("again.kcap")
            _ = try CaptureSlicer.slice(readers: [try CaptureReader(path: path)], to: plain, since: nil, until: nil, filter: nil)
            let summary = try CaptureSlicer.slice(readers: [try CaptureReader(path: path)], to: redacted, since: nil, until: nil,
                                                  filter: nil, redactor: Self.key.redactor())
            let header = try CaptureReader(path: redacted).header
            XCTAssertTrue(header.isRedacted, path)
            XCTAssertEqual(header.redaction["keyFingerprint"], Self.key.fingerprint)
            XCTAssertFalse(try CaptureReader(path: plain).header.isRedacted)

            // Nothing of the original's names, addresses and data in the bytes, nor in what reading prints.
            let (strings, bytes) = try Self.secrets(of: path)
            let raw = try Self.decompressedBytes(redacted)
            let lean = OutputBuffer()
            var options = ReadPipeline.Options()
            options.showContext = true
            _ = try ReadPipeline.run(try CaptureSetReplay(readers: [try CaptureReader(path: redacted)]), output: .leanJSON, to: lean, options: options)
            let json = Array(lean.bytes) + Array(try Self.formatted(redacted, "*%proc.exepath %proc.cmdline %proc.cwd %fd.name %user.name %evt.host").joined().utf8)
            XCTAssertFalse(json.isEmpty)
            for s in strings {
                XCTAssertFalse(Self.contains(raw, Array(s.utf8)), "\(path): '\(s)' is in the redacted capture's bytes")
                XCTAssertFalse(Self.contains(json, Array(s.utf8)), "\(path): '\(s)' is printed from the redacted capture")
                secretsChecked += 1
            }
            for b in bytes where b.count > 4 {  // data buffers (4-byte addresses occur in any binary by chance)
                XCTAssertFalse(Self.contains(raw, b), "\(path): \(b) is in the redacted capture's bytes")
                secretsChecked += 1
            }
            // Addresses: none of the original's in the redacted capture's tuples, socket addresses and snapshots.
            let (_, redactedBytes) = try Self.secrets(of: redacted)
            let addresses = bytes.filter { $0.count == 4 }
            XCTAssertTrue(addresses.isDisjoint(with: redactedBytes), path)
            secretsChecked += addresses.count

            // Every event is there with what is kept; names map one to one (so grouped counts are the same).
            let kept = "*%evt.num %evt.type %evt.rawres %evt.latency %proc.pid %thread.tid %fd.num %fd.type %proc.name %evt.cpu %evt.rawtime"
            XCTAssertEqual(try Self.formatted(redacted, kept), try Self.formatted(plain, kept), path)
            XCTAssertEqual(UInt64(try Self.formatted(redacted, kept).count - 1), summary.recordsMatched + summary.recordsForState)
            for field in ["fd.name", "proc.exepath", "proc.cwd", "proc.cmdline", "fd.sip", "fd.cip", "user.name"] {
                let before = try Self.formatted(plain, "*%\(field)"), after = try Self.formatted(redacted, "*%\(field)")
                XCTAssertEqual(before.count, after.count)
                var forward: [String: String] = [:], backward: [String: String] = [:]
                for (b, a) in zip(before, after) {
                    XCTAssertEqual(forward[b, default: a], a, "\(path) \(field): '\(b)' has two tokens")
                    XCTAssertEqual(backward[a, default: b], b, "\(path) \(field): '\(a)' stands for two values")
                    forward[b] = a
                    backward[a] = b
                    if b.hasPrefix("/") || b.first?.isNumber == true || field == "user.name", b != "<NA>", !b.isEmpty,
                       !b.hasPrefix("0.0.0.0") {  // the unspecified address stays
                        XCTAssertNotEqual(a, b, "\(path) \(field): '\(b)' was kept")
                    }
                    if field == "fd.name" || field == "proc.exepath" || field == "proc.cwd", b.hasPrefix("/") {
                        XCTAssertEqual(a, Self.key.redactor().path(b), "\(path) \(field)")
                        XCTAssertEqual(tokenOf[b, default: a], a, "\(field) '\(b)': another token in another capture")
                        tokenOf[b] = a
                        tokensChecked += 1
                    }
                }
            }

            // The same key and input give the same bytes; the redacted slice reads back as a slice of itself.
            _ = try CaptureSlicer.slice(readers: [try CaptureReader(path: path)], to: again, since: nil, until: nil,
                                        filter: nil, redactor: Self.key.redactor())
            XCTAssertEqual(FileManager.default.contents(atPath: again), FileManager.default.contents(atPath: redacted), path)
        }
        XCTAssertGreaterThan(secretsChecked, 100)
        XCTAssertGreaterThan(tokensChecked, 100)
    }

    /// A filtered, windowed redacted slice keeps the same events as the plain one.
    func testFilteredRedactedSliceKeepsTheEvents() throws {
        let path = try XCTUnwrap(try CaptureSetTests.fixtures().first { $0.contains("workload") })
        let stamps = try CaptureSetTests.stamps(path)
        let since = "+\(stamps[stamps.count / 4] - stamps[0])ns"
        let plain = file("p.kcap"), redacted = file("r.kcap")
        for (out, redactor) in [(plain, nil), (redacted, Self.key.redactor())] as [(String, Redactor?)] {
            _ = try CaptureSlicer.slice(readers: [try CaptureReader(path: path)], to: out, since: since, until: nil,
                                        filter: "evt.type in (openat, connect, accept, execve, read)", redactor: redactor)
        }
        let kept = "*%evt.type %evt.rawres %proc.pid %fd.num %evt.latency"
        XCTAssertEqual(try Self.formatted(redacted, kept), try Self.formatted(plain, kept))
        XCTAssertGreaterThan(try Self.formatted(plain, kept).count, 10)
    }
}
