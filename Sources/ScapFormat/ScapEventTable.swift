/// The ppm event table as data: for every event id a sysdig/falco capture can hold, its `evt.type` name,
/// direction, categories, flags and parameters (names and types). The facts come from falcosecurity/libs'
/// public event table through tools/gen-scap-event-table.py (`ScapEventTableData.swift`), parsed once.
public enum ScapEventTable {
    /// Rows by event id; nil where the table has no event.
    public static let rows: [ScapEventInfo?] = parse(data)

    /// Syscall names by the code older captures' generic events carry (libs' 2022 `ppm_syscall_code`).
    public static let legacySyscallNames: [String?] = {
        var out: [String?] = []
        forEachLine(legacySyscallData) { b, f in
            guard f.count == 2, let id = Int(text(b, f[0])) else { return }
            while out.count <= id { out.append(nil) }
            out[id] = text(b, f[1])
        }
        return out
    }()

    /// Calls `body` with the fields (`|`-separated ranges) of every line of `table`: a scan of the UTF-8
    /// bytes, as the tables are ASCII (Character-based splitting cost more than reading a small capture).
    static func forEachLine(_ table: String, _ body: (UnsafeBufferPointer<UInt8>, [Range<Int>]) -> Void) {
        var table = table
        table.withUTF8 { b in
            var fields: [Range<Int>] = []
            fields.reserveCapacity(8)
            var lineStart = 0, fieldStart = 0
            for i in 0...b.count {
                let c: UInt8 = i == b.count ? 10 : b[i]
                if c == UInt8(ascii: "|") {
                    fields.append(fieldStart..<i)
                    fieldStart = i + 1
                } else if c == 10 {
                    if i > lineStart {
                        fields.append(fieldStart..<i)
                        body(b, fields)
                    }
                    fields.removeAll(keepingCapacity: true)
                    lineStart = i + 1
                    fieldStart = i + 1
                }
            }
        }
    }

    @inline(__always)
    static func text(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self)
    }

    /// The pieces of `r` in `b` between `separator`s (empty pieces dropped).
    static func pieces(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ separator: UInt8) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = r.lowerBound
        for i in r.lowerBound...r.upperBound where i == r.upperBound || b[i] == separator {
            if i > start { out.append(start..<i) }
            start = i + 1
        }
        return out
    }

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

    /// Per event id, what decoding its parameters needs, in memory that lives as long as the process (the
    /// decoder keeps the pointer: a static's once-guarded accessor per event showed in profiles): the number
    /// of parameters of the row (0 for none), with bit 15 set when their lengths take 4 bytes
    /// (EF_LARGE_PAYLOAD).
    static let decodeFacts: UnsafeMutablePointer<UInt16> = {
        let p = UnsafeMutablePointer<UInt16>.allocate(capacity: rows.count)
        for (i, row) in rows.enumerated() {
            p[i] = UInt16(min(row?.params.count ?? 0, 0x7fff)) | (row?.largePayload == true ? 0x8000 : 0)
        }
        return p
    }()

    static func parse(_ table: String) -> [ScapEventInfo?] {
        // Parameter types by name, looked up once each: `ScapParamType(rawValue:)` compares the string with
        // every case in turn.
        var types: [String: ScapParamType] = [:]
        for t in ScapParamType.allCases { types[t.rawValue] = t }
        var out: [ScapEventInfo?] = []
        out.reserveCapacity(400)
        forEachLine(table) { b, f in
            guard f.count == 6, let id = UInt16(text(b, f[0])) else { return }
            let params = pieces(b, f[5], UInt8(ascii: ",")).map { p -> ScapParam in
                let colon = b[p].lastIndex(of: UInt8(ascii: ":")) ?? p.upperBound
                let type = colon < p.upperBound ? types[text(b, (colon + 1)..<p.upperBound)] ?? .other : .other
                return ScapParam(name: text(b, p.lowerBound..<colon), type: type)
            }
            let e = f[1]
            let isEnter = e.count >= 2 && b[e.upperBound - 2] == UInt8(ascii: "_") && b[e.upperBound - 1] == UInt8(ascii: "E")
            let info = ScapEventInfo(id: id, name: text(b, f[2]), isEnter: isEnter,
                                     categories: pieces(b, f[3], UInt8(ascii: " ")).map { text(b, $0) },
                                     flags: pieces(b, f[4], UInt8(ascii: " ")).map { text(b, $0) }, params: params)
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
    public let categories: [String]
    /// Flag names without the EF_ prefix (USES_FD, CREATES_FD, LARGE_PAYLOAD, OLD_VERSION...).
    public let flags: [String]
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
public enum ScapParamType: String, Sendable, CaseIterable {
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
