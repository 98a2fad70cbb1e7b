import Parquet

/// The `events` table of `kcap export --format parquet`: one row per event that passes the filter, one column
/// per exported filter field, named as the field (docs/export.md lists them; a test holds the document,
/// this table and what pyarrow reads to each other).
///
/// Versioned: columns are only appended, and a change of a column's type or meaning bumps `version`, which
/// every file carries in its footer metadata (`kcap.schema`).
public enum EventsTable {
    /// The schema version, written as `kcap.schema = events/<version>`.
    public static let version = 1

    /// The columns, in file order.
    public enum Column: Int, CaseIterable {
        case num, time, cpu, type, category, res, rawres, failed, latency, buflen, args
        case pid, ppid, name, exe, exepath, cmdline, cwd, pname, tid, uid, gid, container
        case fdNum, fdType, fdName, fdIno, l4proto, lip, lport, rip, rport

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
            }
        }

        /// How the column is stored. Widths are the capture's: pids, tids and ids are 32-bit unsigned, the cpu
        /// and ports 16-bit, fds 32-bit signed. 64-bit values are signed (Spark reads unsigned 64-bit as a
        /// decimal), and every one of them fits. `evt.time` is the event's wall-clock instant.
        public var spec: ParquetColumnSpec {
            let n = FieldRegistry.info(field).name
            switch self {
            case .num: return .integer(n, bits: 64, signed: true)
            case .time: return .timestampNanos(n)
            case .cpu: return .integer(n, bits: 16, signed: false)
            case .type, .category: return .string(n, optional: false)
            case .failed: return .boolean(n)
            case .rawres, .latency, .buflen, .fdIno: return .integer(n, bits: 64, signed: true, optional: true)
            case .args: return .string(n, optional: false, dictionary: true)
            case .pid, .tid: return .integer(n, bits: 32, signed: false)
            case .ppid, .uid, .gid: return .integer(n, bits: 32, signed: false, optional: true)
            case .fdNum: return .integer(n, bits: 32, signed: true, optional: true)
            case .lport, .rport: return .integer(n, bits: 16, signed: false, optional: true)
            case .res, .name, .exe, .exepath, .cmdline, .cwd, .pname, .container, .fdType, .fdName, .l4proto, .lip, .rip:
                return .string(n)
            }
        }
    }

    /// Every column's spec, in file order.
    public static var columns: [ParquetColumnSpec] { Column.allCases.map(\.spec) }
}
