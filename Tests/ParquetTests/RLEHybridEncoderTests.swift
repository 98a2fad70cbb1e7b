import XCTest
@testable import Parquet

/// The hybrid encoding's byte layout as the Parquet specification (Encodings.md) states it, on inputs
/// that exercise each path: pure runs, pure literals, literals completed from a run, padding.
final class RLEHybridEncoderTests: XCTestCase {
    func testRunOfEightOrMoreIsRLE() {
        // 10 × 1 at width 1: header 10 << 1 = 20, then the value in one byte.
        XCTAssertEqual(RLEHybridEncoder.encode([UInt8](repeating: 1, count: 10), bitWidth: 1), [20, 1])
        // 300 × 5 at width 12: header varint(600) = 0xD8 0x04, the value in two bytes.
        XCTAssertEqual(RLEHybridEncoder.encode([UInt32](repeating: 5, count: 300), bitWidth: 12), [0xD8, 0x04, 5, 0])
    }

    func testLiteralsArePackedLeastSignificantBitFirst() {
        // Encodings.md's example: 0...7 at width 3 packs to 0x88 0xC6 0xFA; one group: header 1 << 1 | 1.
        XCTAssertEqual(RLEHybridEncoder.encode([UInt8](0...7), bitWidth: 3), [3, 0x88, 0xC6, 0xFA])
        // Three values are padded to a group of eight.
        XCTAssertEqual(RLEHybridEncoder.encode([1, 0, 1] as [UInt8], bitWidth: 1), [3, 0b101])
    }

    func testRunAfterPartialGroupFillsTheGroupFirst() {
        // 1, 0, then twelve 1s: the group takes 1,0 and six 1s (0xFD), six 1s remain: fewer than eight, so
        // they are literals too, padded: a second group 0x3F. Header: two groups.
        XCTAssertEqual(RLEHybridEncoder.encode([1, 0] + [UInt8](repeating: 1, count: 12), bitWidth: 1), [5, 0xFD, 0x3F])
        // 1, 0, then twenty 1s: group 1,0 + six 1s, then a run of fourteen.
        XCTAssertEqual(RLEHybridEncoder.encode([1, 0] + [UInt8](repeating: 1, count: 20), bitWidth: 1), [3, 0xFD, 28, 1])
    }

    func testBitWidth() {
        XCTAssertEqual(RLEHybridEncoder.bitWidth(forMax: 0), 0)
        XCTAssertEqual(RLEHybridEncoder.bitWidth(forMax: 1), 1)
        XCTAssertEqual(RLEHybridEncoder.bitWidth(forMax: 255), 8)
        XCTAssertEqual(RLEHybridEncoder.bitWidth(forMax: 256), 9)
    }
}
