import EventSchema

/// Which syscalls the BPF program records: `--events` parsed into a bitmap of syscall numbers for the
/// recording machine's architecture. Process events (fork, exec, exit) are always recorded: the analyzer's
/// thread table needs them whatever the user filters.
public struct EventSelection: Sendable, Equatable {
    /// Set syscall numbers; bit n of word n/64 means "record syscall n".
    public private(set) var words: [UInt64]
    /// The text the user gave, for the capture header.
    public let spec: String

    /// The class names `--events` accepts besides syscall names (`all` selects every number).
    public static let classNames = ["file", "net", "process", "all"]

    /// The syscalls of a class, from Analyzer's event table (docs/recording.md, "Event classes"): every
    /// syscall of the class's category, plus the bookkeeping the analyzer needs to name fds and resolve paths
    /// (close*, dup*, fcntl, chdir, fchdir, execve*, chroot); `file` also takes every non-socket call that makes
    /// an fd (pipe, eventfd, memfd...), `net` the generic reads and writes, `process` the signals sent to a
    /// process (kill, tkill, tgkill, rt_sigqueueinfo). Nil for an unknown class.
    public static func members(of className: String) -> [String]? {
        let category: EventCategory
        switch className {
        case "file": category = .file
        case "net": category = .net
        case "process": category = .process
        default: return nil
        }
        return EventTable.all.filter { row in
            guard case .syscall = row.source else { return false }
            if row.category == category { return true }
            let f = row.flags
            // bookkeeping for every class: closing fds, copying them (dup*, fcntl), and the process-state calls
            // that take a path or an fd (chdir, fchdir, execve, execveat, chroot)
            if f.contains(.closesFd) { return true }
            if row.category != .net, f.isSuperset(of: [.createsFd, .usesFd]) { return true }
            if f.contains(.changesProcessState), row.params.contains(where: { $0.type == .path || $0.type == .fd }) { return true }
            switch category {
            // fds that are not sockets (pipes, eventfd, memfd, epoll...), so reads and writes on them are named
            case .file: return row.category != .net && f.contains(.createsFd)
            // the generic reads and writes (read, write, readv, sendfile...) carry most socket traffic
            case .net: return !f.isDisjoint(with: [.isIORead, .isIOWrite])
            // signals sent to a process (kill, tkill, tgkill, rt_sigqueueinfo), not signal handling
            case .process: return row.category == .signal && row.params.contains { $0.type == .pid }
            default: return false
            }
        }.map(\.name)
    }

    /// Parses `--events`: a comma-separated list of classes (`file`, `net`, `process`, `all`) and syscall
    /// names, for the syscall table of `machine` (uname -m).
    public init(_ spec: String, machine: String) throws {
        self.spec = spec
        let table = try EventSelection.table(for: machine)
        let maxNr = (table.values.max() ?? 0) + 1
        words = Array(repeating: 0, count: max((maxNr + 63) / 64, 8))
        let items = spec.split(separator: ",").map { String($0).trimmingCharacters(whitespace: true) }.filter { !$0.isEmpty }
        if items.isEmpty {
            throw RecorderError(step: "parse --events", object: "'\(spec)'", hint: "give classes (file, net, process, all) or syscall names, comma-separated")
        }
        for item in items {
            let name = item.lowercased()
            if name == "all" {
                // Every number, also those newer than this table: the analyzer names what it knows.
                for i in words.indices { words[i] = ~0 }
            } else if let members = EventSelection.members(of: name) {
                for m in members { if let nr = table[m] { set(nr) } }
            } else if let nr = table[name] {
                set(nr)
            } else {
                let near = table.keys.filter { $0.hasPrefix(String(name.prefix(3))) }.sorted().prefix(5)
                throw RecorderError(step: "parse --events", object: "'\(item)'",
                                    hint: "not a class (file, net, process, all) nor a \(machine) syscall" +
                                        (near.isEmpty ? "" : "; similar: \(near.joined(separator: ", "))"))
            }
        }
    }

    /// The name → number table for an architecture, from Analyzer's event table (the one syscall table the
    /// recorder and the analyzer share).
    static func table(for machine: String) throws -> [String: Int] {
        guard let arch = SyscallArch(machine: machine) else {
            throw RecorderError(step: "choose syscall table", object: machine, hint: "kcap records on x86_64 and aarch64 only")
        }
        var out: [String: Int] = [:]
        for row in EventTable.all { if case .syscall = row.source, let nr = row.number(on: arch) { out[row.name] = nr } }
        return out
    }

    private mutating func set(_ nr: Int) {
        guard nr >= 0 else { return }
        if nr / 64 >= words.count { words += Array(repeating: 0, count: nr / 64 + 1 - words.count) }
        words[nr / 64] |= 1 << UInt64(nr % 64)
    }

    /// Whether syscall `nr` is selected.
    public func contains(_ nr: Int) -> Bool {
        nr >= 0 && nr / 64 < words.count && words[nr / 64] & (1 << UInt64(nr % 64)) != 0
    }

    /// How many syscalls are selected.
    public var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }
}
