import Foundation
import XCTest
@testable import ScapFormat

/// The block walker on real captures (Tests/Fixtures/scap, from shared/conformance/scap) and damaged copies of them.
final class ScapBlockWalkerTests: XCTestCase {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/scap").path + "/"

    func load(_ name: String) throws -> [UInt8] {
        let path = Self.corpus + name
        guard let data = FileManager.default.contents(atPath: path) else { XCTFail("fixture missing: \(path)"); return [] }
        return [UInt8](data)
    }

    func walk(_ bytes: [UInt8]) throws -> (blocks: [ScapBlock], truncatedAt: Int?) {
        var walker = try ScapBlockWalker(bytes: bytes)
        var blocks: [ScapBlock] = []
        while let b = try walker.next() { blocks.append(b) }
        return (blocks, walker.truncatedAt)
    }

    func testRealCapturesWalkToTheEndWithStateAndEvents() throws {
        for name in ["libs_sample.scap", "inspect_502Error.scap", "falco_test_empty.scap"] {
            let bytes = try load(name)
            let (blocks, truncated) = try walk(bytes)
            XCTAssertNil(truncated, name)
            XCTAssertEqual(blocks.first?.type, ScapBlock.sectionHeader, name)
            XCTAssertEqual(blocks.last.map { $0.body.upperBound + 4 }, bytes.count, name)
            XCTAssertTrue(blocks.contains { ScapBlock.processLists.contains($0.type) }, name)
            XCTAssertTrue(blocks.contains { $0.isEvent }, name)
        }
    }

    func testTruncatedFileKeepsEveryCompleteBlockAndWarnsOnce() throws {
        let bytes = try load("libs_sample.scap")
        let whole = try walk(bytes).blocks
        let cut = whole[whole.count / 2].offset + 10
        let (blocks, truncated) = try walk(Array(bytes[..<cut]))
        XCTAssertEqual(truncated, whole[whole.count / 2].offset)
        XCTAssertEqual(blocks, Array(whole[..<(whole.count / 2)]))
    }

    func testHostileBlockLengthIsAClearError() throws {
        var bytes = try load("libs_sample.scap")
        let second = try walk(bytes).blocks[1].offset
        bytes[second + 7] = 0x7f // length field now ~2 GiB
        var walker = try ScapBlockWalker(bytes: bytes)
        XCTAssertNotNil(try walker.next())
        XCTAssertThrowsError(try walker.next()) { error in
            XCTAssertEqual((error as? ScapError)?.kind, .badBlockLength)
            XCTAssertEqual((error as? ScapError)?.offset, second)
        }
    }

    func testGzipAndForeignBytesAreNamed() throws {
        let gz = try load("falco_cat_write.scap")
        XCTAssertThrowsError(try ScapBlockWalker(bytes: gz)) { XCTAssertEqual(($0 as? ScapError)?.kind, .compressed) }
        XCTAssertThrowsError(try ScapBlockWalker(bytes: Array("hello world, not a capture".utf8))) {
            XCTAssertEqual(($0 as? ScapError)?.kind, .notScap)
        }
    }
}

/// Every event header of a real capture decodes: its length fits its block and counts its own header,
/// and its type and parameter count are within the ppm event table's range.
final class ScapEventHeaderTests: XCTestCase {
    func testEveryEventHeaderOfARealCaptureDecodes() throws {
        let path = ScapBlockWalkerTests.corpus + "inspect_502Error.scap"
        let bytes = [UInt8](try XCTUnwrap(FileManager.default.contents(atPath: path)))
        var walker = try ScapBlockWalker(bytes: bytes)
        var events = 0
        while let block = try walker.next() {
            guard block.isEvent else { continue }
            let header = try ScapEventHeader(block: block, in: bytes)
            XCTAssertGreaterThanOrEqual(header.length, 22) // the ppm header (22 bytes in 0x204 blocks) counts itself
            XCTAssertLessThan(header.type, 512) // ppm event types are below PPM_EVENT_MAX
            XCTAssertLessThanOrEqual(header.parameterCount ?? 0, 32)
            events += 1
        }
        XCTAssertGreaterThan(events, 0)
    }
}
