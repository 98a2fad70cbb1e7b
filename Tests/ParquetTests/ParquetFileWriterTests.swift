import Foundation
import KcapTestSupport
import XCTest
@testable import Parquet

/// Files from kcap's writer, read back by pyarrow and DuckDB (tools/export/parquet_dump.py): every value,
/// null, type, statistic and row group as the real readers see them.
final class ParquetFileWriterTests: XCTestCase {
    private func dump(_ path: String) throws -> [String: Any] {
        let r = try PythonOracle.run("parquet_dump.py", [path])
        XCTAssertEqual(r.status, 0, r.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: r.stdout) as? [String: Any])
    }

    private func tempPath(_ name: String) -> String {
        let dir = NSTemporaryDirectory() + "kcap-parquet-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir + "/" + name
    }

    /// Every column kind, nulls in optional columns, three row groups (the last one short), a dictionary
    /// column and a plain one, with and without ZSTD.
    func testEveryColumnKindRoundTripsThroughPyarrowAndDuckDB() throws {
        let rows = 2_500
        func name(_ i: Int) -> String? { i % 7 == 3 ? nil : "path/\(i % 13)/é" }
        func big(_ i: Int) -> Int64 { Int64(i) * 1_000_000_007 - 5_000_000_000 }
        for level: Int32? in [nil, 3] {
            let path = tempPath("kinds-\(level ?? 0).parquet")
            let w = try ParquetFileWriter(path: path, columns: [
                .integer("n", bits: 64, signed: true),
                .timestampNanos("t"),
                .integer("u16", bits: 16, signed: false),
                .integer("i32", bits: 32, signed: true, optional: true),
                .integer("u32", bits: 32, signed: false),
                .boolean("b"),
                .string("s"),
                .string("plain", optional: false, dictionary: false),
            ], rowsPerGroup: 1_000, zstdLevel: level, metadata: [("kcap.test", "1")], createdBy: "kcap test")
            for i in 0..<rows {
                w.columns[0].append(big(i))
                w.columns[1].append(Int64(1_765_000_000_000_000_000) + Int64(i))
                w.columns[2].append(Int64(i % 65_536))
                w.columns[3].append(i % 5 == 0 ? nil : Int64(-i))
                w.columns[4].append(Int64(UInt32.max) - Int64(i))
                w.columns[5].append(i % 3 == 0)
                w.columns[6].append(name(i))
                w.columns[7].append("row \(i)")
                try w.endRow()
            }
            try w.close()

            let d = try dump(path)
            let pa = try XCTUnwrap(d["pyarrow"] as? [String: Any])
            let cols = try XCTUnwrap(pa["columns"] as? [String: [Any]])
            XCTAssertEqual(pa["num_rows"] as? Int, rows)
            XCTAssertEqual((pa["metadata"] as? [String: String])?["kcap.test"], "1")
            let types = (pa["schema"] as? [[String: Any]] ?? []).map { "\($0["name"]!):\($0["type"]!):\($0["nullable"]!)" }
            XCTAssertEqual(types, ["n:int64:0", "t:timestamp[ns, tz=UTC]:0", "u16:uint16:0", "i32:int32:1",
                                   "u32:uint32:0", "b:bool:0", "s:string:1", "plain:string:0"])
            XCTAssertEqual(cols["n"]?.compactMap { ($0 as? NSNumber)?.int64Value }, (0..<rows).map(big))
            XCTAssertEqual(cols["t"]?.compactMap { ($0 as? NSNumber)?.int64Value },
                           (0..<rows).map { Int64(1_765_000_000_000_000_000) + Int64($0) })
            XCTAssertEqual(cols["u16"]?.compactMap { ($0 as? NSNumber)?.intValue }, (0..<rows).map { $0 % 65_536 })
            XCTAssertEqual(cols["i32"]?.map { ($0 as? NSNumber)?.int64Value }, (0..<rows).map { $0 % 5 == 0 ? nil : Int64(-$0) })
            XCTAssertEqual(cols["u32"]?.compactMap { ($0 as? NSNumber)?.int64Value }, (0..<rows).map { Int64(UInt32.max) - Int64($0) })
            XCTAssertEqual(cols["b"]?.compactMap { $0 as? Bool }, (0..<rows).map { $0 % 3 == 0 })
            XCTAssertEqual(cols["s"]?.map { $0 as? String }, (0..<rows).map(name))
            XCTAssertEqual(cols["plain"]?.compactMap { $0 as? String }, (0..<rows).map { "row \($0)" })

            let groups = try XCTUnwrap(pa["row_groups"] as? [[String: Any]])
            XCTAssertEqual(groups.map { $0["rows"] as? Int }, [1_000, 1_000, 500])
            for (g, group) in groups.enumerated() {
                let stats = try XCTUnwrap(group["columns"] as? [String: [String: Any]])
                let range = (g * 1_000)..<min(rows, (g + 1) * 1_000)
                XCTAssertEqual(stats["n"]?["min"] as? Int64, big(range.lowerBound))
                XCTAssertEqual(stats["n"]?["max"] as? Int64, big(range.upperBound - 1))
                XCTAssertEqual(stats["u32"]?["min"] as? Int64, Int64(UInt32.max) - Int64(range.upperBound - 1))
                XCTAssertEqual(stats["i32"]?["null_count"] as? Int, range.filter { $0 % 5 == 0 }.count)
                let names = range.compactMap(name).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
                XCTAssertEqual(stats["s"]?["min"] as? String, names.first)
                XCTAssertEqual(stats["s"]?["max"] as? String, names.last)
                XCTAssertEqual(stats["s"]?["encodings"] as? [String], ["PLAIN", "RLE", "RLE_DICTIONARY"])
                XCTAssertEqual(stats["plain"]?["encodings"] as? [String], ["PLAIN", "RLE"])
                XCTAssertEqual(stats["s"]?["compression"] as? String, level == nil ? "UNCOMPRESSED" : "ZSTD")
            }

            let ddb = try XCTUnwrap(d["duckdb"] as? [String: Any])
            XCTAssertEqual(ddb["count"] as? Int, rows)
            XCTAssertEqual(ddb["types"] as? [String: String], [
                "n": "BIGINT", "t": "TIMESTAMPTZ_NS", "u16": "USMALLINT", "i32": "INTEGER",
                "u32": "UINTEGER", "b": "BOOLEAN", "s": "VARCHAR", "plain": "VARCHAR",
            ])
            let dcols = try XCTUnwrap(ddb["columns"] as? [String: [Any]])
            XCTAssertEqual(dcols["s"]?.map { $0 as? String }, (0..<rows).map(name))
            XCTAssertEqual(dcols["i32"]?.map { ($0 as? NSNumber)?.int64Value }, (0..<rows).map { $0 % 5 == 0 ? nil : Int64(-$0) })
        }
    }

    /// A struct of sparse fields (integer, string, boolean, list of strings) after a plain column: rows set
    /// only some fields, a field set twice in a row keeps its first value, lists may be empty; pyarrow and
    /// DuckDB read the struct with nulls for the fields a row lacks, over row groups that end mid-pattern.
    func testSparseStructFieldsAndListsRoundTrip() throws {
        let path = tempPath("struct.parquet")
        let rows = 2_345
        let w = try ParquetFileWriter(path: path, columns: [
            .integer("n", bits: 64, signed: true),
            .sparseField("a", group: "args", .int64, .integer(bitWidth: 64, signed: true)),
            .sparseField("s", group: "args", .byteArray, .string),
            .sparseField("b", group: "args", .boolean),
            .sparseField("l", group: "args", .byteArray, .string, list: true),
            .string("after"),
        ], rowsPerGroup: 1_000, createdBy: "kcap test")
        func a(_ i: Int) -> Int64? { i % 3 == 0 ? Int64(i) - 1_000 : nil }
        func s(_ i: Int) -> String? { i % 5 == 1 ? "s\(i % 7)" : nil }
        func b(_ i: Int) -> Bool? { i % 11 == 0 ? i % 2 == 0 : nil }
        // Every 4th row a list: empty, one element, or several (an empty string among them).
        func l(_ i: Int) -> [String]? { i % 4 == 2 ? (0..<(i / 4 % 4)).map { $0 == 1 ? "" : "e\(i)-\($0)" } : nil }
        for i in 0..<rows {
            let row = w.currentRow
            w.columns[0].append(Int64(i))
            if let v = a(i) {
                XCTAssertTrue(w.columns[1].set(v, row: row))
                XCTAssertFalse(w.columns[1].set(v + 1, row: row), "a second value of the same row is refused")
            }
            if let v = s(i) { XCTAssertTrue(v.withBytes { w.columns[2].set(bytes: $0, row: row) }) }
            if let v = b(i) { XCTAssertTrue(w.columns[3].set(v ? 1 : 0, row: row)) }
            if let v = l(i) {
                XCTAssertTrue(w.columns[4].beginList(row: row))
                for e in v { e.withBytes { w.columns[4].appendElement(bytes: $0) } }
            }
            w.columns[5].append("x\(i % 3)")
            try w.endRow()
        }
        try w.close()
        let d = try dump(path)
        let pa = try XCTUnwrap(d["pyarrow"] as? [String: Any])
        let types = (pa["schema"] as? [[String: Any]] ?? []).map { "\($0["name"]!):\($0["type"]!)" }
        XCTAssertEqual(types, ["n:int64", "args:struct<a: int64, s: string, b: bool, l: list<element: string not null>>",
                               "after:string"])
        for (reader, columns) in [("pyarrow", pa["columns"]), ("duckdb", (d["duckdb"] as? [String: Any])?["columns"])] {
            let cols = try XCTUnwrap(columns as? [String: [Any]], reader)
            let args = try XCTUnwrap(cols["args"] as? [[String: Any]], reader)
            XCTAssertEqual(args.count, rows, reader)
            for i in 0..<rows {
                let r = args[i]
                XCTAssertEqual((r["a"] as? NSNumber)?.int64Value, a(i), "\(reader) row \(i)")
                XCTAssertEqual(r["s"] as? String, s(i), "\(reader) row \(i)")
                XCTAssertEqual(r["b"] as? Bool, b(i), "\(reader) row \(i)")
                XCTAssertEqual(r["l"] as? [String], l(i), "\(reader) row \(i)")
            }
            XCTAssertEqual(cols["after"]?.last as? String, "x\((rows - 1) % 3)", reader)
        }
        let ddbTypes = (d["duckdb"] as? [String: Any])?["types"] as? [String: String]
        XCTAssertEqual(ddbTypes?["args"], "STRUCT(a BIGINT, s VARCHAR, b BOOLEAN, l VARCHAR[])")
        let stats = (pa["row_groups"] as? [[String: Any]])?.first?["columns"] as? [String: [String: Any]]
        XCTAssertEqual(stats?["args.a"]?["null_count"] as? Int, (0..<1_000).filter { a($0) == nil }.count)
        XCTAssertEqual(stats?["args.a"]?["min"] as? Int64, -1_000)
        XCTAssertEqual(stats?["args.s"]?["max"] as? String, "s6")
    }

    /// Integers are DELTA_BINARY_PACKED: deltas that wrap (Int64's extremes, a 32-bit unsigned column's top
    /// values), blocks and miniblocks cut anywhere (row groups of 0 to 300 values), widths from 0 to 64 bits,
    /// all read back by pyarrow and DuckDB.
    func testDeltaEncodedIntegersRoundTripAtEveryWidth() throws {
        let path = tempPath("delta.parquet")
        let w = try ParquetFileWriter(path: path, columns: [
            .integer("i64", bits: 64, signed: true), .integer("u32", bits: 32, signed: false),
            .integer("i32", bits: 32, signed: true, optional: true),
        ], rowsPerGroup: 300, createdBy: "t")
        var rng = SystemRandomNumberGenerator()
        var want: [(Int64, Int64, Int64?)] = []
        let extremes: [Int64] = [.max, .min, 0, -1, 1, .max, .max, .min, .min]
        for i in 0..<1_333 {
            // Stretches of constant, small-step, random-width and extreme values.
            let i64: Int64 = i < extremes.count ? extremes[i] : i % 300 < 40 ? 7 : i % 300 < 150 ? Int64(i) * 3
                : i % 300 < 250 ? Int64.random(in: -(1 << Int64(i % 63))...(1 << Int64(i % 63)), using: &rng) : Int64.random(in: .min ... .max, using: &rng)
            let u32: Int64 = i % 5 == 0 ? Int64(UInt32.max) - Int64(i % 3) : Int64(UInt32.random(in: 0...UInt32.max, using: &rng) >> (i % 32))
            let i32: Int64? = i % 7 == 0 ? nil : (i % 2 == 0 ? Int64(Int32.min) + Int64(i) : Int64(Int32.max) - Int64(i))
            w.columns[0].append(i64); w.columns[1].append(u32); w.columns[2].append(i32)
            want.append((i64, u32, i32))
            try w.endRow()
        }
        try w.close()
        let d = try dump(path)
        for reader in ["pyarrow", "duckdb"] {
            let cols = try XCTUnwrap((d[reader] as? [String: Any])?["columns"] as? [String: [Any]], reader)
            XCTAssertEqual(cols["i64"]?.map { ($0 as? NSNumber)?.int64Value }, want.map { $0.0 }, reader)
            XCTAssertEqual(cols["u32"]?.map { ($0 as? NSNumber)?.int64Value }, want.map { $0.1 }, reader)
            XCTAssertEqual(cols["i32"]?.map { ($0 as? NSNumber)?.int64Value }, want.map { $0.2 }, reader)
        }
        let stats = (d["pyarrow"] as? [String: Any])?["row_groups"] as? [[String: Any]]
        XCTAssertEqual((stats?.first?["columns"] as? [String: [String: Any]])?["i64"]?["encodings"] as? [String],
                       ["RLE", "DELTA_BINARY_PACKED"])
    }

    /// A column whose dictionary passes the limit mid-row-group falls back to PLAIN for that group, and
    /// the values stay the same.
    func testDictionaryFallsBackToPlainPastItsLimit() throws {
        let path = tempPath("fallback.parquet")
        let rows = ParquetColumn.dictionaryLimitEntries + 100
        let w = try ParquetFileWriter(path: path, columns: [.string("s", optional: false)], rowsPerGroup: rows,
                                      createdBy: "kcap test")
        for i in 0..<rows {
            w.columns[0].append("v\(i)")
            if i == rows - 1 { XCTAssertFalse(w.columns[0].usesDictionary) }
            try w.endRow()
        }
        try w.close()
        let pa = try XCTUnwrap(try dump(path)["pyarrow"] as? [String: Any])
        let cols = try XCTUnwrap(pa["columns"] as? [String: [Any]])
        XCTAssertEqual(cols["s"]?.count, rows)
        XCTAssertEqual(cols["s"]?.last as? String, "v\(rows - 1)")
        XCTAssertEqual(cols["s"]?[12_345] as? String, "v12345")
        let stats = (pa["row_groups"] as? [[String: Any]])?.first?["columns"] as? [String: [String: Any]]
        XCTAssertEqual(stats?["s"]?["encodings"] as? [String], ["PLAIN", "RLE"])
        let sorted = (0..<rows).map { "v\($0)" }.sorted()
        XCTAssertEqual(stats?["s"]?["min"] as? String, sorted.first)
        XCTAssertEqual(stats?["s"]?["max"] as? String, sorted.last)
    }

    /// A chunk whose extreme string is past the limit has no min/max (a short footer), and still a null count.
    func testLongStringsLeaveMinMaxOut() throws {
        let path = tempPath("long.parquet")
        let w = try ParquetFileWriter(path: path, columns: [.string("s")], rowsPerGroup: 2, createdBy: "t")
        for v in ["a", "b", "c", String(repeating: "z", count: ParquetColumn.statisticsLimit + 1)] {
            w.columns[0].append(v)
            try w.endRow()
        }
        w.columns[0].append(nil as String?)
        try w.endRow()
        try w.close()
        let pa = try XCTUnwrap(try dump(path)["pyarrow"] as? [String: Any])
        let groups = try XCTUnwrap(pa["row_groups"] as? [[String: Any]]).map { $0["columns"] as? [String: [String: Any]] }
        XCTAssertEqual(groups.count, 3)
        XCTAssertEqual(groups[0]?["s"]?["min"] as? String, "a")
        XCTAssertEqual(groups[0]?["s"]?["max"] as? String, "b")
        XCTAssertNil(groups[1]?["s"]?["max"])
        XCTAssertEqual(groups[2]?["s"]?["null_count"] as? Int, 1)
        XCTAssertEqual((pa["columns"] as? [String: [Any]])?["s"]?.count, 5)
    }

    /// Bytes that are not UTF-8 (a binary buffer in an argument) reach a STRING column with each invalid
    /// sequence replaced by U+FFFD, as Swift and Python decode them; DuckDB reads the file (it refuses a file
    /// with invalid UTF-8 in a string), in dictionary and in PLAIN columns.
    func testInvalidUTF8IsRepairedSoReadersAcceptTheFile() throws {
        let path = tempPath("utf8.parquet")
        let w = try ParquetFileWriter(path: path, columns: [.string("d"), .string("p", dictionary: false)], createdBy: "t")
        let values: [[UInt8]] = [[0x61, 0x95, 0x96, 0x62], Array("é日本".utf8), [0xC3], [0xF0, 0x9F, 0x98], Array("ok".utf8)]
        for v in values {
            for c in w.columns { v.withUnsafeBytes { c.append(bytes: $0) } }
            try w.endRow()
        }
        try w.close()
        let d = try dump(path)
        let want = values.map { String(decoding: $0, as: UTF8.self) }
        XCTAssertEqual(want[0], "a\u{FFFD}\u{FFFD}b")
        let pa = try XCTUnwrap((d["pyarrow"] as? [String: Any])?["columns"] as? [String: [Any]])
        let ddb = try XCTUnwrap((d["duckdb"] as? [String: Any])?["columns"] as? [String: [Any]])
        for c in ["d", "p"] {
            XCTAssertEqual(pa[c]?.compactMap { $0 as? String }, want)
            XCTAssertEqual(ddb[c]?.compactMap { $0 as? String }, want)
        }
    }

    /// repeatLast appends the row before's value (or null) in every kind of column, says false where it cannot
    /// (no row yet in the row group, PLAIN strings), and the readers see the repeated values.
    func testRepeatLastRepeatsTheRowBefore() throws {
        let path = tempPath("repeat.parquet")
        let w = try ParquetFileWriter(path: path, columns: [
            .integer("i", bits: 32, signed: true, optional: true), .string("s"), .string("p", dictionary: false),
        ], rowsPerGroup: 3, createdBy: "t")
        let (i, s, p) = (w.columns[0], w.columns[1], w.columns[2])
        XCTAssertFalse(i.repeatLast())
        XCTAssertFalse(s.repeatLast())
        i.append(Int64(7)); s.append("x"); p.append("q")
        try w.endRow()
        XCTAssertTrue(i.repeatLast()); XCTAssertTrue(s.repeatLast()); XCTAssertFalse(p.repeatLast())
        p.append("q")
        try w.endRow()
        i.append(nil as Int64?); s.append(nil as String?); p.append("r")
        try w.endRow()  // the row group is written: nothing to repeat from
        XCTAssertFalse(i.repeatLast())
        i.append(nil as Int64?); s.append("y"); p.append("r")
        try w.endRow()
        XCTAssertTrue(i.repeatLast()); XCTAssertTrue(s.repeatLast()); p.append("r")
        try w.endRow()
        try w.close()
        let cols = try XCTUnwrap((try dump(path)["pyarrow"] as? [String: Any])?["columns"] as? [String: [Any]])
        XCTAssertEqual(cols["i"]?.map { ($0 as? NSNumber)?.intValue }, [7, 7, nil, nil, nil])
        XCTAssertEqual(cols["s"]?.map { $0 as? String }, ["x", "x", nil, "y", "y"])
        XCTAssertEqual(cols["p"]?.map { $0 as? String }, ["q", "q", "r", "r", "r"])
    }

    /// Values outside a column's width are refused with the column's name, never truncated.
    func testOutOfRangeValueIsATypedError() throws {
        defer { XCTAssertFalse(FileManager.default.fileExists(atPath: tempPath("range.parquet") + ".partial")) }
        let path = tempPath("range.parquet")
        let w = try ParquetFileWriter(path: path, columns: [.integer("u16", bits: 16, signed: false)], createdBy: "t")
        w.columns[0].append(Int64(70_000))
        try w.endRow()
        XCTAssertThrowsError(try w.close()) { e in
            XCTAssertEqual(e as? ParquetError, .valueOutOfRange(column: "u16", value: 70_000))
        }
        // The failed file is not left looking finished, and its partial bytes go with the writer.
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + ".partial"))
        withExtendedLifetime(w) {}
        XCTAssertThrowsError(try ParquetFileWriter(path: "/nonexistent/dir/x.parquet", columns: [], createdBy: "t")) { e in
            guard case .io(_, "open", ENOENT)? = e as? ParquetError else { return XCTFail("\(e)") }
        }
    }
}

private extension String {
    /// Calls `body` with the string's UTF-8.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        var copy = self
        return copy.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }
}
