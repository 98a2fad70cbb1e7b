import Foundation
import XCTest
@testable import ScapFormat

/// The inflater, the state decoders and the parameter decoder on the real captures of Tests/Fixtures/scap
/// (files_manifest.tsv says how large each inflates and where it comes from), and on damaged copies.
final class ScapDecoderTests: XCTestCase {
    static let corpus = ScapBlockWalkerTests.corpus

    func file(_ name: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: Self.corpus + name) else {
            throw XCTSkip("fixture missing: \(name)")
        }
        return [UInt8](data)
    }

    /// name → inflated size, from the corpus manifest (written by whoever collected the captures, with gzip).
    func manifestRawBytes() throws -> [String: Int] {
        let text = try String(contentsOfFile: Self.corpus + "files_manifest.tsv", encoding: .utf8)
        var out: [String: Int] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            if f.count > 6, let n = Int(f[6]) { out[String(f[0])] = n }
        }
        return out
    }

    func fixtures() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: Self.corpus).filter { $0.hasSuffix(".scap") }.sorted()
    }

    func blocks(_ bytes: [UInt8]) throws -> [ScapBlock] {
        var w = try ScapBlockWalker(bytes: bytes)
        var out: [ScapBlock] = []
        while let b = try w.next() { out.append(b) }
        XCTAssertNil(w.truncatedAt)
        return out
    }

    func testGzipCapturesInflateToTheManifestSize() throws {
        let raw = try manifestRawBytes()
        var gzipped = 0
        for name in try fixtures() {
            let capture = try ScapCapture(data: try file(name))
            XCTAssertNil(capture.inflateProblem, name)
            XCTAssertEqual(capture.bytes.count, raw[name], name)
            if capture.compression == "gzip" { gzipped += 1 }
            XCTAssertEqual(try blocks(capture.bytes).last.map { $0.body.upperBound + 4 }, capture.bytes.count, name)
        }
        XCTAssertGreaterThanOrEqual(gzipped, 3)
    }

    func testCutGzipKeepsWhatInflatedAndSaysSo() throws {
        let gz = try file("libs_curl_google.scap")
        let whole = try ScapCapture(data: gz).bytes
        let cut = try ScapCapture(data: Array(gz[..<(gz.count * 2 / 3)]))
        XCTAssertNotNil(cut.inflateProblem)
        XCTAssertTrue(cut.inflateProblem!.contains("truncated"), cut.inflateProblem!)
        XCTAssertGreaterThan(cut.bytes.count, 0)
        XCTAssertEqual(Array(whole[..<cut.bytes.count]), cut.bytes, "the inflated prefix is the file's own")
    }

    func testDamagedGzipKeepsThePrefixBeforeTheDamage() throws {
        var gz = try file("falco_open-multiple-files.scap")
        let whole = try ScapCapture(data: gz).bytes
        gz[gz.count / 2] ^= 0x55
        let damaged = try ScapCapture(data: gz)
        XCTAssertNotNil(damaged.inflateProblem)
        XCTAssertLessThanOrEqual(damaged.bytes.count, whole.count)
        // Inflation may run some bytes past the flip before zlib notices; what came before it is intact.
        let safe = min(damaged.bytes.count, whole.count / 4)
        XCTAssertEqual(Array(damaged.bytes[..<safe]), Array(whole[..<safe]))
    }

    /// zstd and LZ4 frames inflate as gzip does (Stratoshark reads them too): the same capture bytes; a cut
    /// stream keeps what inflated before the cut and says so.
    func testZstdAndLZ4FramesInflate() throws {
        let plain = try ScapCapture(data: try file("falco_cat_write.scap")).bytes
        for (name, kind) in [("falco_cat_write.scap.zst", "zstd"), ("falco_cat_write.scap.lz4", "lz4")] {
            let framed = try file(name)
            let whole = try ScapCapture(data: framed)
            XCTAssertEqual(whole.compression, kind)
            XCTAssertNil(whole.inflateProblem, name)
            XCTAssertEqual(whole.bytes, plain, name)
            let cut = try ScapCapture(data: Array(framed[..<(framed.count / 2)]))
            XCTAssertTrue(cut.inflateProblem?.contains("truncated") == true, "\(name): \(cut.inflateProblem ?? "no problem")")
            XCTAssertEqual(Array(plain[..<cut.bytes.count]), cut.bytes, name)
            // Two frames one after the other are one capture twice, as two gzip members are.
            XCTAssertEqual(try ScapCapture(data: framed + framed).bytes, plain + plain, name)
        }
        let bogus = try ScapCapture(data: [0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0])
        XCTAssertNotNil(bogus.inflateProblem)
        XCTAssertFalse(ScapCapture.looksLikeScap(Array("KCAP".utf8)))
        XCTAssertTrue(ScapCapture.looksLikeScap([0x0a, 0x0d, 0x0d, 0x0a]))
        XCTAssertTrue(ScapCapture.looksLikeScap([0x04, 0x22, 0x4d, 0x18]))
    }

    /// Every state block of every capture decodes, consuming exactly its body (the decoders throw when an
    /// entry runs past it), and what it gives hangs together: fd lists name listed threads, comms are set.
    func testStateBlocksDecodeOnEveryCapture() throws {
        var threadsSeen = 0, fdsSeen = 0, versions = Set<UInt32>(), userLists = 0
        for name in try fixtures() {
            let bytes = try ScapCapture(data: try file(name)).bytes
            var tids = Set<UInt64>()
            var fdOwners: [UInt64] = []
            for b in try blocks(bytes) {
                if ScapBlock.processLists.contains(b.type) {
                    versions.insert(b.type)
                    let threads = try ScapStateDecoder.threads(b, in: bytes)
                    XCTAssertFalse(threads.isEmpty, name)
                    for t in threads {
                        XCTAssertFalse(t.comm.isEmpty, "\(name) tid \(t.tid)")
                        XCTAssertTrue(t.pid > 0 || t.tid == 0, name)
                        tids.insert(t.tid)
                    }
                    threadsSeen += threads.count
                } else if ScapBlock.fdLists.contains(b.type) {
                    let (tid, fds) = try ScapStateDecoder.fds(b, in: bytes)
                    fdOwners.append(tid)
                    fdsSeen += fds.count
                    for f in fds where f.kind == .file || f.kind == .fileV2 || f.kind == .directory {
                        // Paths, or namespace files such as net:[4026531957].
                        XCTAssertTrue(f.name.hasPrefix("/") || f.name.hasSuffix("]"), "\(name): fd \(f.fd) of \(tid) is named '\(f.name)'")
                    }
                } else if ScapBlock.userLists.contains(b.type) {
                    let (users, groups) = try ScapStateDecoder.users(b, in: bytes)
                    XCTAssertEqual(users[0], "root", name)
                    XCTAssertEqual(groups[0], "root", name)
                    userLists += 1
                } else if b.type == ScapBlock.machineInfo {
                    let m = try ScapStateDecoder.machineInfo(b, in: bytes)
                    XCTAssertGreaterThan(m.cpuCount, 0, name)
                }
            }
            for tid in fdOwners { XCTAssertTrue(tids.contains(tid), "\(name): fd list of unlisted thread \(tid)") }
        }
        XCTAssertGreaterThan(threadsSeen, 100)
        XCTAssertGreaterThan(fdsSeen, 100)
        XCTAssertGreaterThanOrEqual(versions.count, 3, "several process list versions are covered")
        XCTAssertGreaterThanOrEqual(userLists, 5)
    }

    /// Every event of every capture: its parameters lie inside it and add up to its length, and old blocks
    /// (no count) never get more parameters than the table row has.
    func testEventParametersDecodeOnEveryCapture() throws {
        var events = 0
        var params = ScapEventParams()
        for name in try fixtures() {
            let bytes = try ScapCapture(data: try file(name)).bytes
            for b in try blocks(bytes) where b.isEvent {
                let h = try ScapEventHeader(block: b, in: bytes)
                try params.decode(b, header: h, in: bytes)
                let start = ScapEventParams.eventStart(b)
                XCTAssertEqual(params.ranges.last?.upperBound ?? (start + Int(h.length)), start + Int(h.length), name)
                if h.parameterCount == nil, let row = ScapEventTable.info(h.type) {
                    XCTAssertLessThanOrEqual(params.ranges.count, row.params.count, "\(name) type \(h.type)")
                }
                events += 1
            }
        }
        XCTAssertGreaterThan(events, 25_000)
    }

    /// Damaged state blocks: every single-byte change in the first process, fd, user and interface list of a capture
    /// either decodes or throws a `ScapError`, never traps or reads past the block.
    func testDamagedStateBlocksThrowOrDecodeNeverTrap() throws {
        let original = try ScapCapture(data: try file("libs_sample.scap")).bytes
        let all = try blocks(original)
        for type in [ScapBlock.processLists, ScapBlock.fdLists, ScapBlock.userLists, ScapBlock.interfaceLists] {
            guard let b = all.first(where: { type.contains($0.type) }) else { continue }
            let span = b.body.prefix(256)
            var errors = 0
            for at in span {
                for flip: UInt8 in [0xff, 0x80] {
                    var bytes = original
                    bytes[at] ^= flip
                    do {
                        if ScapBlock.processLists.contains(b.type) { _ = try ScapStateDecoder.threads(b, in: bytes) }
                        else if ScapBlock.fdLists.contains(b.type) { _ = try ScapStateDecoder.fds(b, in: bytes) }
                        else if ScapBlock.interfaceLists.contains(b.type) { _ = try ScapStateDecoder.interfaces(b, in: bytes) }
                        else { _ = try ScapStateDecoder.users(b, in: bytes) }
                    } catch {
                        errors += 1
                    }
                }
            }
            XCTAssertGreaterThan(errors, 0, "some flips must hit a length")
        }
    }

    /// Every capture lists its interfaces in one block (0x205 in the older captures, 0x219 in the newer), the
    /// IPv4 addresses first, loopback first among them, as libscap writes them; the addresses sysdig fills
    /// tuples in from (`sysdig -r inspect_502Error.scap` names the sendmsg of event 229 from 192.168.128.156).
    func testInterfaceListsDecodeOnEveryCapture() throws {
        var versions = Set<UInt32>(), lists = 0
        for name in try fixtures() {
            let bytes = try ScapCapture(data: try file(name)).bytes
            for b in try blocks(bytes) where ScapBlock.interfaceLists.contains(b.type) {
                versions.insert(b.type)
                lists += 1
                let list = try ScapStateDecoder.interfaces(b, in: bytes)
                XCTAssertEqual(list.first?.name, "lo", name)
                XCTAssertEqual(list.first?.address, [127, 0, 0, 1], name)
                XCTAssertEqual(list.first?.netmask, [255, 0, 0, 0], name)
                XCTAssertEqual(list.map(\.isIPv6), list.map(\.isIPv6).sorted { !$0 && $1 }, "\(name): IPv4 first")
                for i in list {
                    XCTAssertFalse(i.name.isEmpty, name)
                    XCTAssertEqual(i.netmask.count, i.address.count, name)
                }
            }
        }
        XCTAssertEqual(lists, 17, "one list per capture")
        XCTAssertEqual(versions, [0x205, 0x219])
        let inspect = try ScapCapture(data: try file("inspect_502Error.scap")).bytes
        let list = try blocks(inspect).first { $0.type == 0x205 }.map { try ScapStateDecoder.interfaces($0, in: inspect) } ?? []
        XCTAssertEqual(list.count, 45)
        XCTAssertEqual(list[1].name, "wlp4s0")
        XCTAssertEqual(list[1].address, [192, 168, 128, 156])
        XCTAssertEqual(list[1].netmask, [255, 255, 255, 0])
        XCTAssertEqual(list.filter(\.isIPv6).first?.address, [UInt8](repeating: 0, count: 15) + [1])
        let sample = try ScapCapture(data: try file("libs_sample.scap")).bytes
        let v2 = try blocks(sample).first { $0.type == 0x219 }.map { try ScapStateDecoder.interfaces($0, in: sample) } ?? []
        XCTAssertEqual(v2.map(\.name), ["lo", "eth0", "br-def9e0a14d6d", "docker0", "br-baec111aca0b", "eth0"])
        XCTAssertEqual(v2[1].address, [192, 168, 121, 128])
    }

    /// An interface list block of `type` around `body` (padded to 4 bytes), at offset 0 of the bytes returned.
    func interfaceBlock(_ type: UInt32, _ body: [UInt8]) -> (ScapBlock, [UInt8]) {
        let padded = body + [UInt8](repeating: 0, count: (4 - body.count % 4) % 4)
        let length = UInt32(12 + padded.count)
        let bytes = le(type) + le(length) + padded + le(length)
        return (ScapBlock(type: type, offset: 0, body: 8..<(8 + padded.count)), bytes)
    }

    func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }

    /// One entry: type, name length, address, netmask, broadcast, link speed (types 1 and 2), name.
    func interfaceEntry(_ type: UInt16, _ address: [UInt8], _ name: String, speed: UInt64 = 0) -> [UInt8] {
        let mask = [UInt8](repeating: 0xff, count: address.count)
        return le(type) + le(UInt16(name.utf8.count)) + address + mask + address + (type <= 2 ? le(speed) : []) + Array(name.utf8)
    }

    /// The entry types without link speed (3, 4), and a 0x219 entry longer than its fields (a newer writer's
    /// appended fields, skipped by its length).
    func testInterfaceEntriesOfEveryTypeAndLength() throws {
        let v6: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [4]
        let (old, oldBytes) = interfaceBlock(0x205, interfaceEntry(3, [10, 0, 0, 1], "eth0") + interfaceEntry(4, v6, "eth1")
                                                    + interfaceEntry(1, [10, 0, 0, 2], "eth2", speed: 1000))
        let decoded = try ScapStateDecoder.interfaces(old, in: oldBytes)
        XCTAssertEqual(decoded.map(\.name), ["eth0", "eth1", "eth2"])
        XCTAssertEqual(decoded.map(\.linkSpeed), [0, 0, 1000])
        XCTAssertEqual(decoded[1].address, v6)
        XCTAssertEqual(decoded[1].netmask, [UInt8](repeating: 0xff, count: 16))
        let entry = interfaceEntry(2, v6, "lo", speed: 7) + [9, 9, 9, 9, 9]
        let (new, newBytes) = interfaceBlock(0x219, le(UInt32(entry.count)) + entry + le(UInt32(26)) + interfaceEntry(1, [127, 0, 0, 1], "lo"))
        let list = try ScapStateDecoder.interfaces(new, in: newBytes)
        XCTAssertEqual(list.map(\.name), ["lo", "lo"])
        XCTAssertEqual(list.map(\.linkSpeed), [7, 0])
        XCTAssertEqual(list[1].address, [127, 0, 0, 1])
    }

    /// Hostile lengths and types in an interface list are a `ScapError`, never a read past the block: an entry
    /// length past the block or shorter than its fields, a name longer than libscap's bound or than the block,
    /// an unknown type, a block of another type.
    func testDamagedInterfaceListsThrow() throws {
        let good = interfaceEntry(1, [10, 0, 0, 1], "eth0")
        var longName = good
        longName[2] = 0xff; longName[3] = 0xff
        var pastBlock = good
        pastBlock[2] = 200
        var unknownType = good
        unknownType[0] = 9
        let cases: [(UInt32, [UInt8])] = [
            (0x219, le(UInt32.max) + good),
            (0x219, le(UInt32(8)) + good),
            (0x219, le(UInt32(good.count + 4)) + good),
            (0x205, longName),
            (0x205, pastBlock),
            (0x205, unknownType),
            (0x205, Array(good.prefix(10))),
        ]
        for (type, body) in cases {
            let (block, bytes) = interfaceBlock(type, body)
            XCTAssertThrowsError(try ScapStateDecoder.interfaces(block, in: bytes), "\(body)") { error in
                XCTAssertEqual((error as? ScapError)?.kind, .corrupt)
            }
        }
        let (fdBlock, fdBytes) = interfaceBlock(0x203, good)
        XCTAssertThrowsError(try ScapStateDecoder.interfaces(ScapBlock(type: 0x203, offset: 0, body: fdBlock.body), in: fdBytes))
    }

    func testTheEventTableIsData() {
        XCTAssertEqual(ScapEventTable.info(3)?.name, "open")
        XCTAssertEqual(ScapEventTable.info(2)?.isEnter, true)
        XCTAssertEqual(ScapEventTable.info(3)?.params.first, ScapParam(name: "fd", type: .fd))
        XCTAssertEqual(ScapEventTable.info(152)?.name, "switch")
        XCTAssertEqual(ScapEventTable.info(234)?.isInternal, true)
        XCTAssertEqual(ScapEventTable.legacySyscallNames[209], "pselect6")
        // Syscall rows pair up: an even id is an entry, the next id its exit, with the same name.
        for id in stride(from: 2, to: 100, by: 2) {
            guard let e = ScapEventTable.info(UInt16(id)), let x = ScapEventTable.info(UInt16(id + 1)),
                  e.isSyscall, x.isSyscall else { continue }
            XCTAssertTrue(e.isEnter && !x.isEnter, "\(id)")
            XCTAssertEqual(e.name, x.name, "\(id)")
        }
        XCTAssertEqual(ScapFlagMap.linuxOpenFlags(1 | (1 << 12)), 0o2000000, "O_RDONLY|O_CLOEXEC")
        XCTAssertEqual(ScapFlagMap.linuxOpenFlags(2 | 4 | 256), 0o1101, "O_WRONLY|O_CREAT|O_TRUNC")
        XCTAssertEqual(ScapFlagMap.linuxCloneFlags(1 << 13), 0x10000, "CLONE_THREAD")
    }
}
