/// The ppm event table as data: for every event id a sysdig/falco capture can hold, its `evt.type` name,
/// direction, categories, flags and parameters (names and types). The facts come from falcosecurity/libs'
/// public event table through tools/gen-scap-event-table.py (`ScapEventTableData.swift`), parsed once.
public enum ScapEventTable {
    /// Rows by event id; nil where the table has no event.
    public static let rows: [ScapEventInfo?] = parse(data)

    /// Syscall names by the code older captures' generic events carry (libs' 2022 `ppm_syscall_code`).
    public static let legacySyscallNames: [String?] = {
        var out: [String?] = []
        for line in legacySyscallData.split(separator: "\n") {
            let f = line.split(separator: "|")
            guard f.count == 2, let id = Int(f[0]) else { continue }
            while out.count <= id { out.append(nil) }
            out[id] = String(f[1])
        }
        return out
    }()

    /// The type of the first parameter called `name` in the table, in id order: sysdig types `evt.rawarg.NAME`
    /// by it for every event, so a name whose first parameter is not a number (`addr`: a sockaddr) never
    /// compares equal or less or greater to a number.
    public static let rawargTypes: [String: ScapParamType] = {
        var out: [String: ScapParamType] = [:]
        for row in rows { for p in row?.params ?? [] where out[p.name] == nil { out[p.name] = p.type } }
        return out
    }()

    /// The row of event id `type`, nil for an id the table does not know.
    @inline(__always)
    public static func info(_ type: UInt16) -> ScapEventInfo? {
        Int(type) < rows.count ? rows[Int(type)] : nil
    }

    static func parse(_ text: String) -> [ScapEventInfo?] {
        var out: [ScapEventInfo?] = []
        for line in text.split(separator: "\n") {
            let f = line.split(separator: "|", omittingEmptySubsequences: false)
            guard f.count == 6, let id = UInt16(f[0]) else { continue }
            let params = f[5].split(separator: ",").map { p -> ScapParam in
                let parts = p.split(separator: ":")
                return ScapParam(name: String(parts[0]), type: ScapParamType(rawValue: String(parts.last ?? "")) ?? .other)
            }
            let info = ScapEventInfo(id: id, name: String(f[2]), isEnter: f[1].hasSuffix("_E"),
                                     categories: Set(f[3].split(separator: " ").map(String.init)),
                                     flags: Set(f[4].split(separator: " ").map(String.init)), params: params)
            while out.count <= Int(id) { out.append(nil) }
            out[Int(id)] = info
        }
        return out
    }
}

/// One row of the ppm event table.
public struct ScapEventInfo: Sendable {
    /// The ppm event id.
    public let id: UInt16
    /// `evt.type` (several ids share a name: versions of one event, and both directions).
    public let name: String
    /// True for an enter event (`>`): the table's enum names end in _E; _X is the exit (`<`).
    public let isEnter: Bool
    /// Category names without the EC_ prefix (SYSCALL, IO_READ, IO_WRITE, INTERNAL, METAEVENT...).
    public let categories: Set<String>
    /// Flag names without the EF_ prefix (USES_FD, CREATES_FD, LARGE_PAYLOAD, OLD_VERSION...).
    public let flags: Set<String>
    /// Parameters in file order; older captures hold a prefix of them.
    public let params: [ScapParam]

    /// Parameter lengths take 4 bytes instead of 2.
    public var largePayload: Bool { flags.contains("LARGE_PAYLOAD") }
    /// A syscall event (enter or exit).
    public var isSyscall: Bool { categories.contains("SYSCALL") }
    /// Made by the libraries rather than a driver (procinfo, scapevent): sysdig prints them only with -D.
    public var isInternal: Bool { categories.contains("INTERNAL") }
    /// Reads data from its fd.
    public var isIORead: Bool { categories.contains("IO_READ") }
    /// Writes data to its fd.
    public var isIOWrite: Bool { categories.contains("IO_WRITE") }
    /// The index of the parameter called `name`.
    public func index(of name: String) -> Int? { params.firstIndex { $0.name == name } }
}

/// One parameter of a ppm event.
public struct ScapParam: Sendable, Equatable {
    public let name: String
    public let type: ScapParamType
}

/// The ppm parameter types the reader interprets (PT_ names without the prefix); the rest are `.other`.
public enum ScapParamType: String, Sendable {
    case int8 = "INT8", int16 = "INT16", int32 = "INT32", int64 = "INT64"
    case uint8 = "UINT8", uint16 = "UINT16", uint32 = "UINT32", uint64 = "UINT64"
    case charbuf = "CHARBUF", bytebuf = "BYTEBUF", errno = "ERRNO", sockaddr = "SOCKADDR", socktuple = "SOCKTUPLE"
    case fd = "FD", pid = "PID", fdlist = "FDLIST", fspath = "FSPATH", syscallid = "SYSCALLID", sigtype = "SIGTYPE"
    case reltime = "RELTIME", abstime = "ABSTIME", flags8 = "FLAGS8", flags16 = "FLAGS16", flags32 = "FLAGS32"
    case uid = "UID", gid = "GID", mode = "MODE", enumflags8 = "ENUMFLAGS8", enumflags16 = "ENUMFLAGS16"
    case enumflags32 = "ENUMFLAGS32", fsrelpath = "FSRELPATH", dyn = "DYN", sigset = "SIGSET"
    case other

    /// Whether the value is a little-endian integer (of its length), as opposed to bytes.
    public var isInteger: Bool {
        switch self {
        case .charbuf, .bytebuf, .sockaddr, .socktuple, .fdlist, .fspath, .fsrelpath, .dyn, .other: return false
        default: return true
        }
    }
}
