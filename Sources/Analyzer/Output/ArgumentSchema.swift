import EventSchema

/// The keys of `evt.args` as typed values, in lean JSON lines, the Parquet events table's `evt.args` struct
/// and Perfetto's slice arguments: every parameter name of the event table (both architectures), and the keys
/// the printers add (the result, an unknown syscall's raw arguments, the socket's tuple, the file an open
/// found, the process events' own). Each key has one type in every event, so DuckDB, Spark and pyarrow type
/// a column per key: an integer when every syscall's parameter of that name is a number, a string when any
/// is text (the numbers of such a key are then their text, as `kcap read` prints them).
public final class ArgumentSchema: @unchecked Sendable {
    /// What a key's values are.
    public enum Kind: String, Sendable {
        /// A signed 64-bit integer: fds, ids, sizes, results, pointers and bare flag words (an unsigned value
        /// past 2^63 - 1 is its two's complement, as C's casts give it).
        case integer
        /// Text: paths, socket addresses, buffers, symbolic flags and modes.
        case string
        /// true or false.
        case boolean
        /// A list of strings (an exec's arguments).
        case stringList
    }

    /// The schema (built once per process; nothing changes it after).
    public static let shared = ArgumentSchema()

    /// Every key, by name (byte order), and its kind.
    public let keys: [(name: String, kind: Kind)]
    /// Key index by name.
    let index: [String: Int]
    /// Kind per key index, as raw values for the hot path.
    let kinds: UnsafeMutablePointer<Kind>
    // Names as bytes, back to back: key i is nameBytes[nameStarts[i]..<nameStarts[i + 1]].
    private let nameBytes: UnsafeMutablePointer<UInt8>
    private let nameStarts: UnsafeMutablePointer<Int32>

    // The keys the printers add.
    let res: Int, fd: Int, rawArgs: [Int], tuple: Int
    let fileIno: Int, fileMode: Int, fileUid: Int, fileGid: Int
    let childTid: Int, childPid: Int, childComm: Int
    let filename: Int, args: Int, comm: Int, ppid: Int, uid: Int, gid: Int, oldTid: Int
    let status: Int, sig: Int, groupDead: Int
    let fileSize: Int, statxMask: Int, statxAttributes: Int

    /// The kind of a parameter's values: numbers for the types whose text is a number (decimal or hex), text
    /// for the rendered ones.
    public static func kind(of type: ParamType) -> Kind {
        switch type {
        case .fd, .dirfd, .int, .pid, .uid, .gid, .errno, .size, .uint, .pointer, .flags: return .integer
        case .argv: return .stringList
        default: return .string
        }
    }

    /// The keys the printers add beside the event table's parameters, with their kinds.
    static let addedKeys: [(String, Kind)] = [
        ("res", .integer), ("fd", .integer),
        ("arg0", .integer), ("arg1", .integer), ("arg2", .integer), ("arg3", .integer), ("arg4", .integer), ("arg5", .integer),
        ("tuple", .string), ("file_ino", .integer), ("file_mode", .string), ("file_uid", .integer), ("file_gid", .integer),
        ("child_tid", .integer), ("child_pid", .integer), ("child_comm", .string),
        ("filename", .string), ("args", .stringList), ("comm", .string), ("ppid", .integer), ("uid", .integer),
        ("gid", .integer), ("old_tid", .integer),
        ("status", .integer), ("sig", .string), ("group_dead", .boolean),
        ("file_size", .integer), ("stx_mask", .string), ("stx_attributes", .string),
        ("handler", .string), ("code", .string), ("spid", .integer), ("addr", .string),
    ]

    private init() {
        // The kinds each name is used with, as a bit per kind (a Set per name cost more than the rest of this).
        func bit(_ k: Kind) -> UInt8 {
            switch k { case .integer: return 1; case .string: return 2; case .boolean: return 4; case .stringList: return 8 }
        }
        var uses: [String: UInt8] = [:]
        for (name, kind) in Self.addedKeys { uses[name, default: 0] |= bit(kind) }
        for row in EventTable.all where row.isSyscall {
            for arch in [SyscallArch.x86_64, .aarch64] where row.number(on: arch) != nil {
                for p in EventTable.params(row, arch: arch) { uses[p.name, default: 0] |= bit(Self.kind(of: p.type)) }
                for p in row.extraParams { uses[p.name, default: 0] |= bit(Self.kind(of: p.type)) }
            }
        }
        // One kind per key: a list stays a list (a scalar is then a list of its text), text wins over numbers.
        // Names are ASCII identifiers, so String's order is their byte order.
        let keys: [(name: String, kind: Kind)] = uses.map { name, bits in
            let kind: Kind = bits & 8 != 0 ? .stringList : bits == 1 ? .integer : bits == 4 ? .boolean : .string
            return (name, kind)
        }.sorted { $0.name < $1.name }
        self.keys = keys
        var index: [String: Int] = [:]
        for (i, k) in keys.enumerated() { index[k.name] = i }
        self.index = index
        kinds = .allocate(capacity: keys.count)
        kinds.initialize(from: keys.map(\.kind), count: keys.count)
        let names = keys.flatMap { Array($0.name.utf8) }
        nameBytes = .allocate(capacity: max(1, names.count))
        nameBytes.initialize(from: names, count: names.count)
        var starts: [Int32] = [0]
        for k in keys { starts.append(starts.last! + Int32(k.name.utf8.count)) }
        nameStarts = .allocate(capacity: starts.count)
        nameStarts.initialize(from: starts, count: starts.count)
        func key(_ n: String) -> Int { index[n]! }
        res = key("res"); fd = key("fd"); tuple = key("tuple")
        rawArgs = (0..<6).map { key("arg\($0)") }
        fileIno = key("file_ino"); fileMode = key("file_mode"); fileUid = key("file_uid"); fileGid = key("file_gid")
        childTid = key("child_tid"); childPid = key("child_pid"); childComm = key("child_comm")
        filename = key("filename"); args = key("args"); comm = key("comm"); ppid = key("ppid")
        uid = key("uid"); gid = key("gid"); oldTid = key("old_tid")
        status = key("status"); sig = key("sig"); groupDead = key("group_dead")
        fileSize = key("file_size"); statxMask = key("stx_mask"); statxAttributes = key("stx_attributes")
    }

    deinit {
        kinds.deallocate()
        nameBytes.deallocate()
        nameStarts.deallocate()
    }

    /// The key index of a parameter name (every name of the event table has one).
    func key(_ name: String) -> Int32 { Int32(index[name] ?? -1) }

    /// Key `i`'s name as UTF-8 (valid while the schema lives: always).
    @inline(__always)
    public func name(_ i: Int) -> UnsafeRawBufferPointer {
        let start = Int(nameStarts[i])
        return UnsafeRawBufferPointer(start: nameBytes + start, count: Int(nameStarts[i + 1]) - start)
    }
}

/// What receives an event's arguments as typed values (`EventPrinter.visitArguments`): a JSON object's
/// writer, the Parquet struct's columns. Keys are `ArgumentSchema` indices, each given the kind the schema
/// says; a key comes at most once per event.
public protocol ArgumentVisitor {
    /// An integer key's value.
    mutating func integer(_ key: Int, _ value: Int64)
    /// A string key's value (never empty: a parameter with nothing to show is left out).
    mutating func string(_ key: Int, _ value: UnsafeRawBufferPointer)
    /// A boolean key's value.
    mutating func boolean(_ key: Int, _ value: Bool)
    /// A string key's value that is a function of a parameter's `type` and `raw` value alone (symbolic flags,
    /// modes, signals, hex pointers, numbers under a text key): `render` makes it (empty: left out). A visitor
    /// may remember what it made of a pair and not call `render` for it again.
    mutating func symbol(_ key: Int, type: ParamType, raw: UInt64, render: () -> UnsafeRawBufferPointer)
    /// A list key's value: its strings separated by NULs (argv as the kernel lays it out, less the trailing
    /// NULs; no NUL at all is one string).
    mutating func strings(_ key: Int, _ nulSeparated: UnsafeRawBufferPointer)
}

extension ArgumentVisitor {
    /// Renders the value and hands it to `string`.
    @inline(__always)
    public mutating func symbol(_ key: Int, type: ParamType, raw: UInt64, render: () -> UnsafeRawBufferPointer) {
        let value = render()
        if value.count > 0 { string(key, value) }
    }
}

extension ParamType {
    /// True when a parameter's text depends on its raw value alone (not on an fd table, an item, the result
    /// or another argument): what a visitor may cache by (type, raw value).
    var isSymbolic: Bool {
        switch self {
        case .fd, .dirfd, .path, .string, .buffer, .fdPair, .sockaddr, .sockTuple: return false
        // Read through an item the recorder decoded (a struct or value the call read or wrote).
        case .argv, .waitStatus, .sigaction, .sigset, .rlimit, .pollfds, .sockoptValue, .sysinfo, .epollEvents,
             .cloneArgs: return false
        // Rendered with the argument before (ArgFormatter.contextIndex): the same raw value has several texts.
        case .sockoptName, .fcntlArg, .prctlArg, .sigCode, .socketProto: return false
        default: return true
        }
    }
}

extension UnsafeRawBufferPointer {
    /// Calls `body` with each string of a NUL-separated list (an `ArgumentVisitor.strings` value): one string
    /// when there is no NUL, an empty one between two NULs.
    @inline(__always)
    func forEachNULSeparated(_ body: (UnsafeRawBufferPointer) -> Void) {
        var start = 0
        for i in 0...count where i == count || self[i] == 0 {
            body(UnsafeRawBufferPointer(rebasing: self[start..<i]))
            start = i + 1
        }
    }
}
