import CaptureFormat
import Foundation
@testable import KcapFuzz
import XCTest

/// The structure-aware mutator on real captures: its model writes a fixture back readable, and its
/// mutations keep every checksum valid, so what the fuzzer changes reaches the decoders.
final class CaptureMutatorTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent("Tests/Fixtures/\(name)/capture.kcap")))
    }

    /// A byte mutator for tests: flips, sets or inserts a few bytes, deterministically per call.
    final class Bytes {
        var rng = FuzzRandom(seed: 42)
        func mutate(_ b: inout [UInt8], _ max: Int) {
            for _ in 0...rng.below(4) {
                if b.isEmpty || (rng.oneIn(4) && b.count < max) { b.insert(UInt8(truncatingIfNeeded: rng.next()), at: rng.below(b.count + 1)); continue }
                b[rng.below(b.count)] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
            }
        }
    }

    func withReader<T>(_ bytes: [UInt8], _ body: (CaptureReader) throws -> T) throws -> T? {
        let path = NSTemporaryDirectory() + "kcap-mutator-\(getpid()).kcap"
        defer { unlink(path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        guard let reader = try? CaptureReader(path: path) else { return nil }
        return try body(reader)
    }

    func testImageRoundTripKeepsEveryRecord() throws {
        for name in ["files", "fork-exec-threads", "net-loopback"] {
            let original = try CaptureMutatorTests.fixture(name)
            let image = try XCTUnwrap(CaptureImage(original), name)
            XCTAssertTrue(image.finished, name)
            let rebuilt = image.bytes()
            let a = try XCTUnwrap(try withReader(original) { try $0.summarize() })
            let b = try XCTUnwrap(try withReader(rebuilt) { try $0.summarize() })
            XCTAssertEqual(b.problems, [], "\(name): the rebuilt file reads without problems")
            XCTAssertTrue(b.finished, name)
            XCTAssertEqual(a.records, b.records, name)
            XCTAssertEqual(a.snapshots, b.snapshots, name)
            XCTAssertEqual(a.eventChunks, b.eventChunks, name)
        }
    }

    func testMutationsKeepChecksumsAndReachTheDecoders() throws {
        let original = try CaptureMutatorTests.fixture("files")
        let bytes = Bytes()
        var opened = 0, changed = 0
        var kinds: [CaptureProblem.Kind: Int] = [:]
        for seed in UInt32(1)...300 {
            let m = CaptureMutator.mutate(original, maxSize: 1 << 20, seed: seed, keepChecksums: true, bytes: bytes.mutate)
            if m != original { changed += 1 }
            guard let problems = try withReader(m, { r -> [CaptureProblem] in _ = try r.summarize(); return r.problems }) else { continue }
            opened += 1
            for p in problems { kinds[p.kind, default: 0] += 1 }
        }
        XCTAssertGreaterThan(changed, 280, "mutations change the input")
        XCTAssertGreaterThan(opened, 250, "most mutated captures still open")
        XCTAssertEqual(kinds[.badChecksum], nil, "no mutation leaves a payload CRC wrong: \(kinds)")
        XCTAssertEqual(kinds[.badFrame], nil, "no mutation leaves a frame CRC wrong: \(kinds)")
        XCTAssertGreaterThan(kinds[.badRecord] ?? 0, 0, "record framing damage reaches the record decoder: \(kinds)")
        XCTAssertGreaterThan(kinds[.badPayload] ?? 0, 0, "payload damage reaches the snapshot/header decoders: \(kinds)")
    }

    func testSameSeedSameMutation() throws {
        let original = try CaptureMutatorTests.fixture("net-loopback")
        for seed in UInt32(1)...20 {
            let a = CaptureMutator.mutate(original, maxSize: 1 << 20, seed: seed, bytes: { b, _ in b.append(1) })
            let b = CaptureMutator.mutate(original, maxSize: 1 << 20, seed: seed, bytes: { b, _ in b.append(1) })
            XCTAssertEqual(a, b, "seed \(seed)")
        }
    }

    func testOutputRespectsMaxSize() throws {
        let original = try CaptureMutatorTests.fixture("files")
        let bytes = Bytes()
        for seed in UInt32(1)...50 {
            let m = CaptureMutator.mutate(original, maxSize: original.count + 100, seed: seed, bytes: bytes.mutate)
            XCTAssertLessThanOrEqual(m.count, original.count + 100, "seed \(seed)")
        }
    }
}
