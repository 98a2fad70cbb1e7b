import XCTest
@testable import Parquet

// The compact protocol's encodings as the Thrift specification states them; the Parquet readers that consume
// the footer (pyarrow, DuckDB) are the oracle for the writer as a whole once the file writer uses it.
final class ThriftCompactWriterTests: XCTestCase {
    func testVarintsAndZigzag() {
        var w = ThriftCompactWriter()
        w.writeVarint(300)            // 0b1_0010_1100 -> 0xAC 0x02
        w.writeZigzag32(-1)           // -1 -> 1
        w.writeZigzag32(1)            // 1 -> 2
        w.writeZigzag64(Int64.min)    // -> UInt64.max: ten bytes
        XCTAssertEqual(Array(w.bytes.prefix(4)), [0xAC, 0x02, 0x01, 0x02])
        XCTAssertEqual(w.bytes.count, 4 + 10)
        XCTAssertEqual(w.bytes.last, 0x01)
    }

    func testFieldHeadersUseDeltasAndLongFormPastFifteen() {
        var w = ThriftCompactWriter()
        w.field(1, i32: 7)       // delta 1, type 5: 0x15, zigzag 7 = 14
        w.field(20, bool: true)  // delta 19 > 15: type byte 0x01 then zigzag id 40
        w.field(21, bool: false) // delta 1, false: 0x12
        XCTAssertEqual(w.bytes, [0x15, 0x0E, 0x01, 0x28, 0x12])
    }

    func testNestedStructRestartsDeltasAndStops() {
        var w = ThriftCompactWriter()
        w.field(3, structure: { s in s.field(2, i64: -2) })
        w.field(4, string: "ab")
        // 0x3C struct; inner delta 2 i64 0x26, zigzag(-2)=3; stop; outer delta 1 from 3 binary 0x18, len 2.
        XCTAssertEqual(w.bytes, [0x3C, 0x26, 0x03, 0x00, 0x18, 0x02, 0x61, 0x62])
    }

    func testListHeadersShortAndLong() {
        var w = ThriftCompactWriter()
        w.listHeader(count: 3, of: .i32)
        w.listHeader(count: 20, of: .structure)
        XCTAssertEqual(w.bytes, [0x35, 0xFC, 0x14])
    }
}
