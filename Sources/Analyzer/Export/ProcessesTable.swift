import Parquet

/// The `processes` table of `kcap export --format parquet`: one row per process lifetime seen in the capture
/// (from its fork, or from the first snapshot or record that names it, to its exit or the end of the
/// capture). The process columns are named as the filter fields; the lifetime's own columns have `proc.`
/// names of their own. docs/export.md lists them.
public enum ProcessesTable {
    /// The schema version, written as `kcap.schema = processes/<version>`.
    public static let version = 1

    /// The columns, in file order.
    public enum Column: Int, CaseIterable {
        case pid, ppid, name, exepath, cmdline, uid, gid, container, start, end, exitStatus, exitSignal, events

        /// How the column is stored, under its name.
        public var spec: ParquetColumnSpec {
            switch self {
            case .pid: return .integer(name(.procPid), bits: 32, signed: false)
            case .ppid: return .integer(name(.procPpid), bits: 32, signed: false, optional: true)
            case .name: return .string(name(.procName))
            case .exepath: return .string(name(.procExepath))
            case .cmdline: return .string(name(.procCmdline))
            case .uid: return .integer(name(.userUid), bits: 32, signed: false, optional: true)
            case .gid: return .integer(name(.groupGid), bits: 32, signed: false, optional: true)
            case .container: return .string(name(.containerID))
            case .start: return .timestampNanos("proc.start", optional: true)
            case .end: return .timestampNanos("proc.end", optional: true)
            case .exitStatus: return .integer("proc.exit_status", bits: 32, signed: true, optional: true)
            case .exitSignal: return .integer("proc.exit_signal", bits: 32, signed: true, optional: true)
            case .events: return .integer("proc.events", bits: 64, signed: true)
            }
        }

        private func name(_ id: FieldID) -> String { FieldRegistry.info(id).name }
    }

    /// Every column's spec, in file order.
    public static var columns: [ParquetColumnSpec] { Column.allCases.map(\.spec) }
}
