import Parquet

/// The `events` table of `kcap export --format parquet`: one row per event that passes the filter, one column
/// per exported filter field, named as the field (docs/export.md lists them; a test holds the document,
/// this table and what pyarrow reads to each other).
///
/// Versioned: columns are only appended, and a change of a column's type or meaning bumps `version`, which
/// every file carries in its footer metadata (`kcap.schema`).
///
/// `evt.args` is a struct with a field per `ArgumentSchema` key (events/3; the text in events/1 and /2), so
/// its leaves follow the columns before it: `leaf(_:)` maps a column to its first leaf.
public enum EventsTable {
    /// The schema version, written as `kcap.schema = events/<version>`.
    public static let version = 3

    /// The columns, in file order.
    public enum Column: Int, CaseIterable {
        case num, time, cpu, type, category, res, rawres, failed, latency, buflen, args
        case pid, ppid, name, exe, exepath, cmdline, cwd, pname, tid, uid, gid, container
        case fdNum, fdType, fdName, fdIno, l4proto, lip, lport, rip, rport
        // events/2
        case dir

        /// The filter field the column exports.
        public var field: FieldID {
            switch self {
            case .num: return .evtNum
            case .time: return .evtTime
            case .cpu: return .evtCPU
            case .type: return .evtType
            case .category: return .evtCategory
            case .res: return .evtRes
            case .rawres: return .evtRawres
            case .failed: return .evtFailed
            case .latency: return .evtLatency
            case .buflen: return .evtBuflen
            case .args: return .evtArgs
            case .pid: return .procPid
            case .ppid: return .procPpid
            case .name: return .procName
            case .exe: return .procExe
            case .exepath: return .procExepath
            case .cmdline: return .procCmdline
            case .cwd: return .procCwd
            case .pname: return .procPname
            case .tid: return .threadTid
            case .uid: return .userUid
            case .gid: return .groupGid
            case .container: return .containerID
            case .fdNum: return .fdNum
            case .fdType: return .fdType
            case .fdName: return .fdName
            case .fdIno: return .fdIno
            case .l4proto: return .fdL4proto
            case .lip: return .fdLip
            case .lport: return .fdLport
            case .rip: return .fdRip
            case .rport: return .fdRport
            case .dir: return .evtDir
            }
        }

        /// How the column is stored: its leaf, or for `evt.args` the struct's fields (`EventsTable.argumentFields`).
        public var leaves: [ParquetColumnSpec] { self == .args ? EventsTable.argumentFields : [spec] }

        /// How a column other than `evt.args` is stored. Widths are the capture's: pids, tids and ids are 32-bit unsigned, the cpu
        /// and ports 16-bit, fds 32-bit signed. 64-bit values are signed (Spark reads unsigned 64-bit as a
        /// decimal), and every one of them fits. `evt.time` is the event's wall-clock instant.
        var spec: ParquetColumnSpec {
            let n = FieldRegistry.info(field).name
            switch self {
            case .num: return .integer(n, bits: 64, signed: true)
            case .time: return .timestampNanos(n)
            case .cpu: return .integer(n, bits: 16, signed: false)
            case .type, .category, .dir: return .string(n, optional: false)
            case .failed: return .boolean(n)
            case .rawres, .latency, .buflen, .fdIno: return .integer(n, bits: 64, signed: true, optional: true)
            case .args: return .string(n)  // not a leaf: `leaves` gives the struct's fields
            case .tid: return .integer(n, bits: 32, signed: false)
            // Null for a thread a sysdig capture never tied to a process (events/2; required in events/1).
            case .pid: return .integer(n, bits: 32, signed: false, optional: true)
            case .ppid, .uid, .gid: return .integer(n, bits: 32, signed: false, optional: true)
            case .fdNum: return .integer(n, bits: 32, signed: true, optional: true)
            case .lport, .rport: return .integer(n, bits: 16, signed: false, optional: true)
            case .res, .name, .exe, .exepath, .cmdline, .cwd, .pname, .container, .fdType, .fdName, .l4proto, .lip, .rip:
                return .string(n)
            }
        }
    }

    /// The fields of the `evt.args` struct, one per `ArgumentSchema` key in its order: an integer key is an
    /// INT64, a string key a dictionary-encoded STRING, a boolean a BOOLEAN, a list a LIST of STRING.
    public static var argumentFields: [ParquetColumnSpec] {
        let group = FieldRegistry.info(.evtArgs).name
        return ArgumentSchema.shared.keys.map { key in
            switch key.kind {
            case .integer: return .sparseField(key.name, group: group, .int64, .integer(bitWidth: 64, signed: true))
            case .string: return .sparseField(key.name, group: group, .byteArray, .string)
            case .boolean: return .sparseField(key.name, group: group, .boolean)
            case .stringList: return .sparseField(key.name, group: group, .byteArray, .string, list: true)
            }
        }
    }

    /// Every leaf column's spec, in file order (`evt.args` as its fields).
    public static var columns: [ParquetColumnSpec] {
        Column.allCases.flatMap(\.leaves)
    }

    /// The index of `column`'s (first) leaf in `columns`.
    public static func leaf(_ column: Column) -> Int {
        column.rawValue <= Column.args.rawValue ? column.rawValue : column.rawValue + ArgumentSchema.shared.keys.count - 1
    }
}
