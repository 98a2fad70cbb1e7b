/// The footer: parquet.thrift's FileMetaData in the compact protocol (field ids are the spec's).
extension ParquetFileWriter {
    func writeFileMetadata(to w: inout ThriftCompactWriter) {
        let specs = columns.map(\.spec)
        w.field(1, i32: 2)
        // Schema: a root group, then each top-level column, or struct with its fields, depth first.
        var nodes: [(group: String?, count: Int)] = []
        for s in specs {
            if let g = s.group, let last = nodes.last, last.group == g { nodes[nodes.count - 1].count += 1 }
            else { nodes.append((s.group, 1)) }
        }
        let elements = specs.count + nodes.filter { $0.group != nil }.count + 2 * specs.filter(\.isList).count
        w.field(2, listOf: .structure, count: elements + 1)
        w.beginStruct()
        w.field(4, string: "schema")
        w.field(5, i32: Int32(truncatingIfNeeded: nodes.count))
        w.endStruct()
        var next = 0
        for node in nodes {
            if let g = node.group {
                w.beginStruct()
                w.field(3, i32: 0)  // REQUIRED
                w.field(4, string: g)
                w.field(5, i32: Int32(truncatingIfNeeded: node.count))
                w.endStruct()
            }
            for s in specs[next..<next + node.count] { Self.writeSchemaElements(s, to: &w) }
            next += node.count
        }
        w.field(3, i64: rowCount)
        w.field(4, listOf: .structure, count: groups.count)
        for (ordinal, g) in groups.enumerated() {
            w.beginStruct()
            w.field(1, listOf: .structure, count: g.chunks.count)
            for c in g.chunks {
                w.beginStruct()
                w.field(2, i64: c.fileOffset)
                w.field(3, structure: { m in c.write(to: &m) })
                w.endStruct()
            }
            w.field(2, i64: g.chunks.reduce(0) { $0 + $1.uncompressedSize })
            w.field(3, i64: g.rows)
            w.field(5, i64: g.offset)
            w.field(6, i64: g.chunks.reduce(0) { $0 + $1.compressedSize })
            // The ordinal is an i16: past 32,767 row groups it is left out (it is optional) rather than wrapped.
            if let o = Int16(exactly: ordinal) {
                w.fieldHeader(7, .i16)
                w.writeZigzag32(Int32(o))
            }
            w.endStruct()
        }
        if !metadata.isEmpty {
            w.field(5, listOf: .structure, count: metadata.count)
            for kv in metadata {
                w.beginStruct()
                w.field(1, string: kv.key)
                w.field(2, string: kv.value)
                w.endStruct()
            }
        }
        w.field(6, string: createdBy)
        // TYPE_ORDER for every column: readers trust min_value/max_value only under a declared column order.
        w.field(7, listOf: .structure, count: specs.count)
        for _ in specs {
            w.beginStruct()
            w.field(1, structure: { _ in })
            w.endStruct()
        }
        w.endStruct()
    }

    /// A column's schema elements: the leaf, or for a list the three levels Arrow, DuckDB and Spark write.
    static func writeSchemaElements(_ s: ParquetColumnSpec, to w: inout ThriftCompactWriter) {
        if s.isList {
            w.beginStruct()
            w.field(3, i32: 1)  // OPTIONAL: the list may be null
            w.field(4, string: s.name)
            w.field(5, i32: 1)
            w.field(6, i32: 3)  // ConvertedType LIST
            w.field(10, structure: { l in l.field(3, structure: { _ in }) })  // LogicalType LIST
            w.endStruct()
            w.beginStruct()
            w.field(3, i32: 2)  // REPEATED
            w.field(4, string: "list")
            w.field(5, i32: 1)
            w.endStruct()
        }
        w.beginStruct()
        w.field(1, i32: s.physical.rawValue)
        w.field(3, i32: s.isList ? 0 : s.optional ? 1 : 0)
        w.field(4, string: s.isList ? "element" : s.name)
        if let c = s.logical.convertedType { w.field(6, i32: c) }
        if s.logical != .none {
            w.field(10, structure: { l in Self.writeLogicalType(s.logical, to: &l) })
        }
        w.endStruct()
    }

    static func writeLogicalType(_ t: ParquetLogicalType, to l: inout ThriftCompactWriter) {
        switch t {
        case .none: break
        case .string: l.field(1, structure: { _ in })
        case .timestampNanos(let utc):
            l.field(8, structure: { ts in
                ts.field(1, bool: utc)
                ts.field(2, structure: { unit in unit.field(3, structure: { _ in }) })
            })
        case .integer(let width, let signed):
            l.field(10, structure: { i in
                i.fieldHeader(1, .byte)
                i.writeByte(UInt8(bitPattern: width))
                i.field(2, bool: signed)
            })
        }
    }
}
