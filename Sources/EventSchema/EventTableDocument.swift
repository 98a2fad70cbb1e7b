import Foundation

/// Renders the event table for people (`kcap events`, docs/events.md) and programs (`kcap events --json`).
/// All three forms come from `EventTable.all`, so the docs cannot drift from what the decoder uses.
public enum EventTableDocument {
    /// One event, as `kcap events --json` prints it.
    public struct Entry: Codable, Equatable {
        /// Event name.
        public var name: String
        /// `syscall` or the record type (`KCAP_REC_PROC_EXIT`).
        public var kind: String
        /// Category.
        public var category: String
        /// Flag names.
        public var flags: [String]
        /// x86_64 number.
        public var x86_64: Int?
        /// aarch64 number.
        public var aarch64: Int?
        /// Parameters in argument order.
        public var params: [Param]
        /// Result type.
        public var result: String
        /// True when the parameter types were chosen by hand.
        public var curated: Bool
        /// What the engine does with the event (`SyscallEffect` case name; `none` for most).
        public var effect: String
        /// Which fd the event is about: `none`, `arg0` or `result`.
        public var fd: String
        /// Where the created fd's close-on-exec flag comes from: `-`, `always`, `flags&O_CLOEXEC`, `cmd==F_DUPFD_CLOEXEC`.
        public var cloexec: String
        /// Values printed after the arguments (the socket's `tuple`).
        public var extraParams: [Param]

        /// One parameter of an event.
        public struct Param: Codable, Equatable {
            /// Event name.
            public var name: String
            /// Parameter type.
            public var type: String
        }
    }

    /// The rows matching `names` (all when empty) and `category` (all when nil), in table order.
    public static func select(names: [String] = [], category: EventCategory? = nil) -> [EventInfo] {
        EventTable.all.filter { row in
            (names.isEmpty || names.contains(row.name)) && (category == nil || row.category == category)
        }
    }

    /// The JSON form of a row.
    public static func entry(_ row: EventInfo) -> Entry {
        let kind: String
        switch row.source {
        case .syscall: kind = "syscall"
        case let .record(t): kind = t.description
        }
        return Entry(name: row.name, kind: kind, category: row.category.rawValue, flags: row.flags.names,
                     x86_64: row.number(on: .x86_64), aarch64: row.number(on: .aarch64),
                     params: row.params.map { Entry.Param(name: $0.name, type: $0.type.rawValue) },
                     result: row.result.rawValue, curated: row.curated, effect: row.effect.name,
                     fd: row.fdSource.name, cloexec: row.cloexec.describe(params: row.params),
                     extraParams: row.extraParams.map { Entry.Param(name: $0.name, type: $0.type.rawValue) })
    }

    /// A JSON array of the rows, keys sorted, one stable byte sequence for the same table.
    public static func json(_ rows: [EventInfo]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(rows.map(entry)), as: UTF8.self) + "\n"
    }

    /// `name(type param, ...)`, the compact signature used in text and markdown; extra parameters follow a `+`.
    public static func signature(_ row: EventInfo) -> String {
        let args = row.params.map { "\($0.type.rawValue) \($0.name)" }.joined(separator: ", ")
        if row.extraParams.isEmpty { return args }
        return args + " + " + row.extraParams.map { "\($0.type.rawValue) \($0.name)" }.joined(separator: ", ")
    }

    /// The engine's columns in one cell: `effect=openat fd=result cloexec=flags&O_CLOEXEC`, only the set ones.
    public static func engineFacts(_ row: EventInfo) -> String {
        var parts: [String] = []
        if row.effect != .none { parts.append("effect=\(row.effect.name)") }
        if row.fdSource != .none { parts.append("fd=\(row.fdSource.name)") }
        if row.cloexec != .never { parts.append("cloexec=\(row.cloexec.describe(params: row.params))") }
        return parts.joined(separator: " ")
    }

    private static func number(_ n: Int?) -> String { n.map(String.init) ?? "-" }

    /// A plain table for a terminal: one event per line.
    public static func text(_ rows: [EventInfo]) -> String {
        let header = ["EVENT", "CATEGORY", "X86_64", "AARCH64", "FLAGS", "ENGINE", "PARAMETERS -> RESULT"]
        var lines: [[String]] = [header]
        for row in rows {
            lines.append([row.name, row.category.rawValue, number(row.number(on: .x86_64)),
                          number(row.number(on: .aarch64)), row.flags.names.joined(separator: ",").nilIfEmpty ?? "-",
                          engineFacts(row).nilIfEmpty ?? "-",
                          "(\(signature(row))) -> \(row.result.rawValue)"])
        }
        var widths = [Int](repeating: 0, count: header.count)
        for l in lines { for (i, c) in l.enumerated() { widths[i] = max(widths[i], c.count) } }
        return lines.map { l in
            l.enumerated().map { i, c in i == l.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// What each parameter type means, for the docs.
    public static func describe(_ type: ParamType) -> String {
        switch type {
        case .fd: return "file descriptor; printed with its name, e.g. `3(<f>/etc/hosts)`"
        case .dirfd: return "directory fd of a *at call; `AT_FDCWD` for -100"
        case .path: return "path string copied by the recorder (the pointer in hex when it was not)"
        case .string: return "other C string (xattr name, memfd name, comm)"
        case .sockaddr: return "socket address: `127.0.0.1:80`, `[::1]:80`, a unix path, `@abstract`"
        case .openFlags: return "open flags: `O_RDWR|O_CREAT|O_CLOEXEC`"
        case .fdFlags: return "fd flags without an access mode: `O_CLOEXEC|O_NONBLOCK`, or 0"
        case .mode: return "file mode in octal: `0644`"
        case .errno: return "result, negative errno on failure: `-2(ENOENT)`"
        case .pid: return "process or thread id"
        case .uid: return "user id"
        case .gid: return "group id"
        case .size: return "byte count"
        case .buffer: return "first snaplen bytes of the data: printable ASCII, `.` for other bytes"
        case .signal: return "signal: `SIGTERM`"
        case .cloneFlags: return "clone flags and exit signal: `CLONE_VM|CLONE_THREAD|SIGCHLD`"
        case .socketFamily: return "address family: `AF_INET`"
        case .socketType: return "socket type and flags: `SOCK_STREAM|SOCK_CLOEXEC`"
        case .atFlags: return "*at flags: `AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH`, `AT_REMOVEDIR`"
        case .mmapProt: return "memory protection: `PROT_READ|PROT_WRITE`"
        case .mmapFlags: return "mmap flags: `MAP_PRIVATE|MAP_ANONYMOUS`"
        case .fcntlCmd: return "fcntl command: `F_SETFL`, `F_DUPFD_CLOEXEC`"
        case .whence: return "lseek origin: `SEEK_SET`"
        case .shutdownHow: return "shutdown direction: `SHUT_RDWR`"
        case .sigprocmaskHow: return "signal mask change: `SIG_BLOCK`, `SIG_UNBLOCK`, `SIG_SETMASK`"
        case .msgFlags: return "send/recv flags: `MSG_DONTWAIT|MSG_NOSIGNAL`"
        case .accessMode: return "access mode: `R_OK|W_OK`, `F_OK`"
        case .waitOptions: return "wait options: `WNOHANG`"
        case .fdPair: return "two fds written by pipe/socketpair: `3,4`"
        case .sockTuple: return "the socket's endpoints at exit, an extra parameter after the arguments: `127.0.0.1:40000->127.0.0.1:80`"
        case .flags: return "flags without a symbol table, in hex"
        case .pointer: return "user-space address, in hex (`NULL` for 0)"
        case .int: return "signed integer"
        case .uint: return "unsigned integer"
        case .ioctlRequest: return "ioctl request: `TCGETS`, `FIONREAD` (others in hex)"
        case .futexOp: return "futex operation: `FUTEX_WAKE_PRIVATE`, `FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME`"
        case .futexVal3: return "futex's last argument: `FUTEX_BITSET_MATCH_ANY` for -1, else the number"
        case .sockoptLevel: return "socket option level: `SOL_SOCKET`, `SOL_TCP`"
        case .sockoptName: return "socket option, by its level: `SO_REUSEADDR`, `TCP_NODELAY`, `IP_TOS`"
        case .socketProto: return "socket protocol, by the domain: `IPPROTO_TCP` for AF_INET/AF_INET6, else the number"
        case .fcntlArg: return "fcntl's argument, by the command: open flags (F_SETFL), `FD_CLOEXEC` (F_SETFD), seals, signals, else the number"
        case .clockId: return "clock id: `CLOCK_MONOTONIC`"
        case .epollCtlOp: return "epoll_ctl operation: `EPOLL_CTL_ADD`"
        case .madviseAdvice: return "madvise advice: `MADV_DONTNEED`"
        case .fadviseAdvice: return "fadvise advice: `POSIX_FADV_SEQUENTIAL`"
        case .rlimitResource: return "resource limit: `RLIMIT_NOFILE`"
        case .archPrctlOption: return "arch_prctl option: `ARCH_SET_FS`"
        case .flockOperation: return "flock operation: `LOCK_EX|LOCK_NB`"
        case .prctlOption: return "prctl option: `PR_SET_NAME`"
        case .prctlArg: return "prctl's second argument: the name of PR_SET_NAME/PR_GET_NAME, a signal (PR_SET_PDEATHSIG), else the number"
        case .getrandomFlags: return "getrandom flags: `GRND_NONBLOCK`"
        case .memfdFlags: return "memfd_create flags: `MFD_CLOEXEC|MFD_ALLOW_SEALING`"
        case .statxMask: return "statx mask: `STATX_MODE|STATX_SIZE`, `STATX_BASIC_STATS`"
        case .statxAttributes: return "statx attributes: `STATX_ATTR_APPEND|STATX_ATTR_IMMUTABLE`, or 0"
        case .statxFlags: return "statx flags: the sync type, then *at flags: `AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW`"
        case .epollCreateFlags: return "epoll_create1 flags: `EPOLL_CLOEXEC`"
        case .eventfdFlags: return "eventfd2 flags: `EFD_CLOEXEC|EFD_NONBLOCK`"
        case .signalfdFlags: return "signalfd4 flags: `SFD_CLOEXEC`"
        case .timerfdFlags: return "timerfd_create flags: `TFD_CLOEXEC|TFD_NONBLOCK`"
        case .inotifyFlags: return "inotify_init1 flags: `IN_CLOEXEC|IN_NONBLOCK`"
        case .waitStatus: return "wait status the call wrote: `{WIFEXITED(s) && WEXITSTATUS(s) == 0}`, `{WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM}`"
        case .argv: return "argument vector: `[ls, -la, /etc]` (JSON: an array of strings)"
        case .sigaction: return "signal action: `{sa_handler=SIG_DFL, sa_mask=[PIPE], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x7f...}`"
        case .sigset: return "signal set: `[PIPE CHLD]`, `~[RTMIN RT_1]` (every signal but those)"
        case .rlimit: return "resource limit: `{rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}`"
        case .pollfds: return "poll's fds: `[{fd=3, events=POLLIN}]`"
        case .epollEvents: return "epoll events: `{events=EPOLLIN, data={u32=6, u64=6}}` (epoll_wait: an array of those the kernel wrote)"
        case .sockoptValue: return "socket option value: `[1]` for an int, else its bytes in hex"
        case .cloneArgs: return "clone3's arguments: `{flags=CLONE_VM|..., child_tid=0x..., exit_signal=SIGCHLD, stack=0x..., stack_size=0x..., tls=0x...}`"
        case .sysinfo: return "system information: `{uptime=15068, loads=[549056, 586624, 672320], totalram=25276182528, ..., mem_unit=1}`"
        case .sigCode: return "signal code, by the signal: `SI_USER`, `SI_TKILL`, `SI_KERNEL`, `CLD_EXITED`, `SEGV_MAPERR`"
        case .sigHandler: return "signal disposition: `SIG_DFL`, `SIG_IGN`, or the handler's address"
        case .void: return "no result: the call does not return (exit, exit_group), so no `res` is shown"
        }
    }

    /// docs/events.md: generated, never edited by hand (a test compares it with this output).
    public static func markdown() -> String {
        var out = """
        # kcap events

        <!-- Generated by `kcap events --markdown > docs/events.md`; do not edit. A test fails when it is stale. -->

        Every event type kcap records, from the event table in `Sources/EventSchema` (the same table the
        decoder, the filters, the printers and `kcap events` read). Syscall numbers come from the kernel headers
        through `tools/gen-syscall-table.py`; the parameter types of the syscalls users filter on most are curated
        by hand (marked ✓), the others carry the kernel prototype's names with generic types.

        Syscalls are recorded once, at exit: each event has the arguments in the order below, the result (`res`;
        none for `exit` and `exit_group`, which never return), and the latency. Payloads the recorder decodes
        fill the parameters of those types: paths and other strings (the ones a call passes, and the ones it
        writes: getcwd, readlink, PR_GET_NAME), socket addresses, data (the first snaplen bytes the call moved,
        across all its iovecs), exec's argv (and with `kcap record --env` its environment), fd pairs, wait4's
        status, the socket's tuple, clone3 flags. Extra parameters, after a `+` below, are printed after the
        arguments: the socket's `tuple`, and the `data` and `addr` of a message sent or received with
        sendmsg, recvmsg, sendmmsg or recvmmsg (read through its msghdr).

        Process lifecycle events come from the scheduler tracepoints, so the thread table stays right even for
        processes whose syscalls were not recorded: `procfork` (a new thread or process), `procexec` (a
        successful exec: the `execve` syscall event is recorded as well), `procexit` (a thread ends).
        `signaldeliver` (the `signal_deliver` tracepoint) is a signal delivered to a thread: its number, its
        code, the sender (for a signal a process sent), a child's status (SIGCHLD), the fault address, and the
        disposition that runs. A syscall number kcap does not know prints as `syscall_NNN`.

        Schema version \(EventTable.schemaVersion): \(EventTable.all.count) events (\(EventTable.all.filter { $0.curated }.count) curated).

        ## Flags

        | flag | meaning |
        | --- | --- |
        | createsFd | a successful call returns or writes a new fd |
        | usesFd | the call acts on an fd argument (its `fd.*` fields apply) |
        | closesFd | the call closes an fd; the event still shows the fd's name |
        | changesProcessState | the call changes the thread table (creation, exec, exit, credentials, cwd) |
        | isIORead | the call reads data (`evt.is_io_read`) |
        | isIOWrite | the call writes data (`evt.is_io_write`) |
        | modifiesState | the engine changes its thread or fd table on this event (the row has an effect) |

        The flags follow falcosecurity's event table: `createsFd` is EF_CREATES_FD, `usesFd` EF_USES_FD,
        `closesFd` EF_DESTROYS_FD, `modifiesState` EF_MODIFIES_STATE.

        ## Engine columns

        What the replay engine does with an event, read from the same rows (the engine keeps no list of its own):

        - `effect`: the state change: an fd created (`open`, `socket`, `accept`, `dup`, `pipe`, ...), updated
          (`connect`, `bind`, `listen`, `fstat`), removed after the event (`close`, `closeRange`), or a process
          change (`clone`, `fork`, `execve`, `chdir`, `fchdir`).
        - `fd`: which fd the event is about, what its `fd.*` fields describe: `arg0` or `result`.
        - `cloexec`: where the created fd's close-on-exec flag comes from: a bit of an argument
          (`flags&O_CLOEXEC`), an argument's value (`cmd==F_DUPFD_CLOEXEC`), or `always`; exec drops such fds.
        - extra parameters (after `+`): values the recorder decodes beyond the arguments that the default output
          prints, such as the socket's `tuple`.

        ## Parameter types

        | type | printed as |
        | --- | --- |

        """
        for t in ParamType.allCases { out += "| \(t.rawValue) | \(describe(t)) |\n" }
        for category in EventCategory.allCases {
            let rows = EventTable.all.filter { $0.category == category }
            out += "\n## \(category.rawValue) (\(rows.count))\n\n"
            out += "| event | x86_64 | aarch64 | flags | engine | parameters | result | curated |\n"
            out += "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
            for row in rows {
                var params = row.params.map { "`\($0.name)`: \($0.type.rawValue)" }.joined(separator: ", ")
                if !row.extraParams.isEmpty {
                    params += " + " + row.extraParams.map { "`\($0.name)`: \($0.type.rawValue)" }.joined(separator: ", ")
                }
                out += "| \(row.name) | \(number(row.number(on: .x86_64))) | \(number(row.number(on: .aarch64))) | "
                out += "\(row.flags.names.joined(separator: ", ")) | \(engineFacts(row)) | \(params) | \(row.result.rawValue) | "
                out += "\(row.curated ? "✓" : "") |\n"
            }
        }
        out += """

        ## Architecture notes

        - aarch64 has no legacy calls such as `open`, `stat`, `fork` or `pipe`; its C library uses the *at forms.
        - aarch64's `clone` takes `tls` before `child_tid`: \(SyscallCatalog.cloneAArch64Params.map(\.name).joined(separator: ", ")).
        - open flags differ: aarch64 swaps the values of `O_DIRECTORY`/`O_NOFOLLOW` and `O_DIRECT`/`O_LARGEFILE`;
          kcap prints each capture with the table of the machine that recorded it (the capture header says which).

        """
        return out
    }
}

private extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
