import Foundation
@testable import KcapFuzz
import ScapFormat
import XCTest

/// The scap mutator on a real sysdig capture: its mutations keep every block's two lengths in agreement, so
/// what the fuzzer changes gets past the framing to the state and event decoders.
final class ScapMutatorTests: XCTestCase {
    static let capture: [UInt8] = {
        let url = CaptureMutatorTests.root.appendingPathComponent("Tests/Fixtures/scap/falco_cat_write.scap")
        return (try? Array(Data(contentsOf: url))) ?? []
    }()

    /// Walks every block; the error or truncation that stopped the walk, nil when it read to the end.
    func walkProblem(_ bytes: [UInt8]) -> String? {
        do {
            var walker = try ScapBlockWalker(bytes: bytes)
            while try walker.next() != nil {}
            return walker.truncatedAt.map { "truncated at \($0)" }
        } catch {
            return "\(error)"
        }
    }

    func testMutationsKeepTheFramingAndChangeBlockBodies() throws {
        // The fixture is gzip'd; the mutator works on its blocks, inflated.
        let original = try ScapCapture(data: ScapMutatorTests.capture).bytes
        XCTAssertNotEqual(original, ScapMutatorTests.capture)
        XCTAssertNil(walkProblem(original), "the inflated fixture walks")
        let bytes = CaptureMutatorTests.Bytes()
        var changed = 0, resized = 0
        for seed in UInt32(1)...300 {
            let m = ScapMutator.mutate(original, maxSize: 1 << 20, seed: seed, keepFraming: true, bytes: bytes.mutate)
            XCTAssertNil(walkProblem(m), "seed \(seed): a mutation broke the block framing")
            if m != original { changed += 1 }
            if m.count != original.count { resized += 1 }
        }
        XCTAssertGreaterThan(changed, 280, "mutations change the input")
        XCTAssertGreaterThan(resized, 30, "some mutations grow a block, and its lengths follow")
    }

    func testPlainMutationsAreKeptForTheFramingChecks() throws {
        // Without keepFraming, about one mutation in ten is a plain byte mutation of the whole file.
        var plain = 0
        for seed in UInt32(1)...300 {
            let m = ScapMutator.mutate(ScapMutatorTests.capture, maxSize: 1 << 20, seed: seed, bytes: { b, _ in b.append(0xEE) })
            if m.last == 0xEE && m.count == ScapMutatorTests.capture.count + 1 { plain += 1 }
        }
        XCTAssertGreaterThan(plain, 10)
        XCTAssertLessThan(plain, 80)
    }
}
