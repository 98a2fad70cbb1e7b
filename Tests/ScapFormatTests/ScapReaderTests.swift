import Foundation
import XCTest
@testable import ScapFormat

/// The streaming reader against the in-memory walker: the same blocks, with the same bytes, whatever the
/// storage (plain, gzip, zstd, LZ4), however the stream hands its bytes over, and a block larger than the
/// reader's first buffer; the same truncation and damage answers.
final class ScapReaderTests: XCTestCase {
    static let corpus = ScapBlockWalkerTests.corpus

    func file(_ name: String) throws -> [UInt8] {
        [UInt8](try XCTUnwrap(FileManager.default.contents(atPath: Self.corpus + name), name))
    }

    /// A stream that hands over at most `step` bytes per read, to exercise every refill path.
    final class Trickle: ScapByteStream {
        let inner: ScapByteStream, step: Int
        var problem: String? { inner.problem }
        init(_ inner: ScapByteStream, step: Int) { self.inner = inner; self.step = step }
        func read(into buffer: UnsafeMutableRawBufferPointer) throws(ScapError) -> Int {
            try inner.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(step, buffer.count)]))
        }
    }

    /// (type, offset, body bytes) of every block, and where the capture was found truncated.
    func streamed(_ stream: ScapByteStream) throws -> (blocks: [(UInt32, Int, [UInt8])], truncatedAt: Int?) {
        try blocks(of: try ScapReader(stream))
    }

    func blocks(of r: ScapReader) throws -> (blocks: [(UInt32, Int, [UInt8])], truncatedAt: Int?) {
        var out: [(UInt32, Int, [UInt8])] = []
        while let b = try r.next() { out.append((b.type, b.offset, Array(r.bytes[b.body]))) }
        return (out, r.truncatedAt)
    }

    func walked(_ bytes: [UInt8]) throws -> (blocks: [(UInt32, Int, [UInt8])], truncatedAt: Int?) {
        var w = try ScapBlockWalker(bytes: bytes)
        var out: [(UInt32, Int, [UInt8])] = []
        while let b = try w.next() { out.append((b.type, b.offset, Array(bytes[b.body]))) }
        return (out, w.truncatedAt)
    }

    func assertSame(_ a: (blocks: [(UInt32, Int, [UInt8])], truncatedAt: Int?),
                    _ b: (blocks: [(UInt32, Int, [UInt8])], truncatedAt: Int?), _ what: String) {
        XCTAssertEqual(a.blocks.count, b.blocks.count, what)
        for (x, y) in zip(a.blocks, b.blocks) {
            XCTAssertTrue(x.0 == y.0 && x.1 == y.1 && x.2 == y.2, "\(what): block at \(y.1)")
        }
        XCTAssertEqual(a.truncatedAt, b.truncatedAt, what)
    }

    func testEveryStorageStreamsTheSameBlocks() throws {
        for name in ["falco_cat_write.scap", "falco_cat_write.scap.zst", "falco_cat_write.scap.lz4", "inspect_502Error.scap",
                     "libs_sample.scap", "libs_curl_google_comments.scap"] {
            let data = try file(name)
            let expected = try walked(try ScapCapture(data: data).bytes)
            assertSame(try streamed(ScapMemoryStream(data)), expected, name)
            assertSame(try streamed(Trickle(ScapMemoryStream(data), step: 7)), expected, name + " in 7-byte reads")
            assertSame(try streamed(ScapFileStream(path: Self.corpus + name)), expected, name + " from the file")
            // By path: a plain capture is mapped a window at a time, a compressed one streamed.
            assertSame(try blocks(of: try ScapReader(path: Self.corpus + name)), expected, name + " mapped")
        }
    }

    /// A block larger than the first buffer (an unknown block of 3 MiB between two copies of a capture) grows
    /// the buffer; the blocks around it are intact.
    func testALargeBlockGrowsTheBuffer() throws {
        let one = try ScapCapture(data: try file("falco_cat_write.scap")).bytes
        let length = 3 << 20
        var big: [UInt8] = []
        for v in [UInt32(0x7777), UInt32(length)] { withUnsafeBytes(of: v.littleEndian) { big += $0 } }
        big += (0..<(length - 12)).map { UInt8(truncatingIfNeeded: $0) }
        withUnsafeBytes(of: UInt32(length).littleEndian) { big += $0 }
        let bytes = one + big + one
        let got = try streamed(Trickle(ScapMemoryStream(bytes), step: 100_000))
        assertSame(got, try walked(bytes), "large block")
        XCTAssertTrue(got.blocks.contains { $0.0 == 0x7777 && $0.2.count == length - 12 })
    }

    /// A mapped file whose blocks straddle the windows (four copies of a capture, 20 MiB windows' worth with
    /// a large block between them): every block, the same as read into the buffer.
    func testMappedWindowsMoveAlongTheFile() throws {
        let one = try file("inspect_502Error.scap")
        var bytes: [UInt8] = []
        for _ in 0..<14 { bytes += one }  // 19 MB: more than one window
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kcap-mapped-\(getpid()).scap").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        assertSame(try blocks(of: try ScapReader(path: path)), try walked(bytes), "mapped windows")
        let cut = Array(bytes[..<(bytes.count - 1000)])
        try Data(cut).write(to: URL(fileURLWithPath: path))
        assertSame(try blocks(of: try ScapReader(path: path)), try walked(cut), "mapped, cut")
    }

    func testTruncationAndDamageAnswerAsTheWalker() throws {
        let bytes = try file("libs_sample.scap")
        let blocks = try walked(bytes).blocks
        let cut = Array(bytes[..<(blocks[blocks.count / 2].1 + 10)])
        assertSame(try streamed(ScapMemoryStream(cut)), try walked(cut), "cut")
        var hostile = bytes
        hostile[blocks[1].1 + 7] = 0x7f  // length ~2 GiB
        let r = try ScapReader(ScapMemoryStream(hostile))
        XCTAssertNotNil(try r.next())
        XCTAssertThrowsError(try r.next()) { XCTAssertEqual(($0 as? ScapError)?.kind, .badBlockLength) }
        XCTAssertThrowsError(try ScapReader(ScapMemoryStream(Array("hello world, not a capture".utf8)))) {
            XCTAssertEqual(($0 as? ScapError)?.kind, .notScap)
        }
    }

    /// A gzip'd capture cut short: every complete block before the cut, and the stream's problem.
    func testCutCompressedStreamSaysWhy() throws {
        for name in ["libs_curl_google.scap", "falco_cat_write.scap.zst", "falco_cat_write.scap.lz4"] {
            let data = try file(name)
            let r = try ScapReader(ScapMemoryStream(Array(data[..<(data.count * 2 / 3)])))
            var n = 0
            while try r.next() != nil { n += 1 }
            XCTAssertGreaterThan(n, 3, name)
            XCTAssertTrue(r.streamProblem?.contains("truncated") == true, "\(name): \(r.streamProblem ?? "none")")
        }
    }
}
