import Parquet

/// The `connections` table of `kcap export --format parquet`: one row per socket a process held under one
/// name (its tuple or path), from the first event that showed the name to the close of the fd (or the exit
/// of the process, or the end of the capture), with the bytes and calls that moved data through it. The
/// socket columns are named as the filter fields; the rest have `conn.` names. docs/export.md lists them.
public enum ConnectionsTable {
    /// The schema version, written as `kcap.schema = connections/<version>`.
    public static let version = 1

    /// The columns, in file order.
    public enum Column: Int, CaseIterable {
        case pid, name, fdNum, fdType, fdName, l4proto, lip, lport, rip, rport, start, end
        case bytesRead, bytesWritten, reads, writes, events

        /// How the column is stored, under its name.
        public var spec: ParquetColumnSpec {
            switch self {
            case .pid: return .integer(field(.procPid), bits: 32, signed: false)
            case .name: return .string(field(.procName))
            case .fdNum: return .integer(field(.fdNum), bits: 32, signed: true)
            case .fdType: return .string(field(.fdType), optional: false)
            case .fdName: return .string(field(.fdName), optional: false)
            case .l4proto: return .string(field(.fdL4proto))
            case .lip: return .string(field(.fdLip))
            case .lport: return .integer(field(.fdLport), bits: 16, signed: false, optional: true)
            case .rip: return .string(field(.fdRip))
            case .rport: return .integer(field(.fdRport), bits: 16, signed: false, optional: true)
            case .start: return .timestampNanos("conn.start")
            case .end: return .timestampNanos("conn.end", optional: true)
            case .bytesRead: return .integer("conn.bytes_read", bits: 64, signed: true)
            case .bytesWritten: return .integer("conn.bytes_written", bits: 64, signed: true)
            case .reads: return .integer("conn.reads", bits: 64, signed: true)
            case .writes: return .integer("conn.writes", bits: 64, signed: true)
            case .events: return .integer("conn.events", bits: 64, signed: true)
            }
        }

        private func field(_ id: FieldID) -> String { FieldRegistry.info(id).name }
    }

    /// Every column's spec, in file order.
    public static var columns: [ParquetColumnSpec] { Column.allCases.map(\.spec) }
}
