import CaptureFormat

/// Turns raw argument values into the text users read: symbolic flags, octal modes, errno and signal names,
/// socket addresses and buffers. Pure functions of their inputs, so output is the same on every run and machine.
public enum ArgFormatter {
    /// AT_FDCWD: "relative to the current directory" for *at calls.
    public static let atFdCwd: Int32 = Linux.AT_FDCWD

    /// open(2) flags: `O_RDWR|O_CREAT|O_CLOEXEC`. The access mode always comes first (O_RDONLY is 0).
    public static func openFlags(_ value: UInt64, arch: SyscallArch = .x86_64) -> String {
        let v = value & 0xffff_ffff
        let mode = SymbolTables.openAccessModes[Int(v & 3)]
        let rest = v & ~3
        if rest == 0 { return mode }
        let table = arch == .aarch64 ? SymbolTables.openFlagsAArch64 : SymbolTables.openFlagsX86_64
        return mode + "|" + table.render(rest)
    }

    /// Flags of calls that create an fd without an access mode (pipe2, dup3, eventfd2, timerfd_create, ...):
    /// their CLOEXEC/NONBLOCK bits share open(2)'s values, so the open table names them; 0 stays `0`, and
    /// call-specific bits (EFD_SEMAPHORE) print in hex.
    public static func fdFlags(_ value: UInt64, arch: SyscallArch = .x86_64) -> String {
        let table = arch == .aarch64 ? SymbolTables.openFlagsAArch64 : SymbolTables.openFlagsX86_64
        return table.render(value & 0xffff_ffff)
    }

    /// *at flags: `AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH`; 0x200 reads as AT_EACCESS for the faccessat family.
    public static func atFlags(_ value: UInt64, eventName: String? = nil) -> String {
        let v = value & 0xffff_ffff
        if let eventName, eventName.hasPrefix("faccessat") { return SymbolTables.atFlagsAccess.render(v) }
        return SymbolTables.atFlags.render(v)
    }

    /// clone flags: `CLONE_VM|CLONE_FS|...|SIGCHLD`; the low byte is the child's exit signal.
    public static func cloneFlags(_ value: UInt64) -> String {
        let signal = value & 0xff
        let flags = value & ~0xff
        var out = flags == 0 ? "" : SymbolTables.cloneFlags.render(flags)
        if signal != 0 {
            if !out.isEmpty { out += "|" }
            out += signalName(Int(signal))
        }
        return out.isEmpty ? "0" : out
    }

    /// mmap/mprotect protection: `PROT_READ|PROT_WRITE`, or `PROT_NONE`.
    public static func mmapProt(_ value: UInt64) -> String { SymbolTables.mmapProt.render(value & 0xffff_ffff) }

    /// mmap flags: the sharing type first, then the rest: `MAP_PRIVATE|MAP_ANONYMOUS`.
    public static func mmapFlags(_ value: UInt64) -> String {
        let v = value & 0xffff_ffff
        let type = SymbolTables.mmapTypes.name(Int64(v & 0xf)) ?? "0x" + String(v & 0xf, radix: 16)
        let rest = v & ~0xf
        if rest == 0 { return type }
        let restText = SymbolTables.mmapFlags.render(rest)
        return v & 0xf == 0 ? restText : type + "|" + restText
    }

    /// Address family: `AF_INET`, or `AF_<n>`.
    public static func socketFamily(_ value: UInt64) -> String { SocketFamilyName.name(Int(Int32(truncatingIfNeeded: value))) }

    /// Socket type with its flags: `SOCK_STREAM|SOCK_CLOEXEC`; accept4's flags alone print as `SOCK_CLOEXEC`.
    public static func socketType(_ value: UInt64) -> String {
        let v = value & 0xffff_ffff
        let base = v & 0xf
        let flags = v & ~0xf
        var out = base == 0 ? "" : (SymbolTables.socketTypes.name(Int64(base)) ?? "SOCK_\(base)")
        if flags != 0 {
            if !out.isEmpty { out += "|" }
            out += SymbolTables.socketTypeFlags.render(flags)
        }
        return out.isEmpty ? "0" : out
    }

    /// A file mode in octal with a leading zero (`0644`, `0100644`); `0` for zero.
    public static func mode(_ value: UInt64) -> String {
        let v = value & 0xffff_ffff
        return v == 0 ? "0" : "0" + String(v, radix: 8)
    }

    /// The errno name of a positive errno value (`ENOENT`), or nil for a number kcap does not name.
    public static func errnoName(_ errno: Int) -> String? { SymbolTables.errnos.name(Int64(errno)) }

    /// The number of an errno name (`ENOENT` -> 2), for filters such as `evt.res=ENOENT`.
    public static func errnoValue(_ name: String) -> Int? {
        SymbolTables.errnos.names.first { $0.1 == name }.map { Int($0.0) }
    }

    /// A signal name: `SIGTERM`; real-time signals as strace names them in kernel numbering: 32 is `SIGRTMIN`,
    /// 33 to 64 `SIGRT_1` to `SIGRT_32` (glibc's own SIGRTMIN is 34, `SIGRT_2`: a `SIGRTMIN+n` would mislead);
    /// else the number.
    public static func signalName(_ signal: Int) -> String {
        if let name = SymbolTables.signals.name(Int64(signal)) { return name }
        if signal >= 32 && signal <= 64 { return signal == 32 ? "SIGRTMIN" : "SIGRT_\(signal - 32)" }
        return String(signal)
    }

    /// A dirfd: `AT_FDCWD` for -100, else the fd number.
    public static func dirfd(_ value: UInt64) -> String {
        let fd = Int32(truncatingIfNeeded: value)
        return fd == atFdCwd ? "AT_FDCWD" : String(fd)
    }

    /// A syscall result as sysdig prints it: the value, and for a failure (-4095...-1) the errno name:
    /// `-2(ENOENT)`. Pointers print in hex.
    public static func result(_ ret: Int64, type: ParamType) -> String {
        if ret < 0 && ret >= -4095 {
            if let name = errnoName(Int(-ret)) { return "\(ret)(\(name))" }
            return String(ret)
        }
        switch type {
        case .pointer: return "0x" + String(UInt64(bitPattern: ret), radix: 16)
        case .mode: return mode(UInt64(bitPattern: ret))
        default: return String(ret)
        }
    }

    /// Data bytes the way sysdig prints them: printable ASCII as is, every other byte as `.`; at most `limit`
    /// bytes, then `...` when there were more (or the recorder marked the data truncated).
    public static func buffer(_ bytes: UnsafeRawBufferPointer, limit: Int = 80, truncated: Bool = false) -> String {
        let n = min(bytes.count, max(0, limit))
        var scalars = [UInt8]()
        scalars.reserveCapacity(n + 3)
        for i in 0..<n {
            let b = bytes[i]
            scalars.append(b >= 0x20 && b < 0x7f ? b : UInt8(ascii: "."))
        }
        if bytes.count > n || truncated { scalars.append(contentsOf: [46, 46, 46]) }
        return String(decoding: scalars, as: UTF8.self)
    }

    /// futex(2) op: the command, `_PRIVATE` when FUTEX_PRIVATE_FLAG is set, then `|FUTEX_CLOCK_REALTIME`.
    public static func futexOp(_ value: UInt64) -> String {
        let v = value & 0xffff_ffff
        let cmd = v & ~UInt64(0x180)
        var out = SymbolTables.futexCommands.name(Int64(cmd)) ?? hex(cmd)
        if v & 0x80 != 0 { out += "_PRIVATE" }
        if v & 0x100 != 0 { out += "|FUTEX_CLOCK_REALTIME" }
        return out
    }

    /// A socket option, by its level: SOL_SOCKET, SOL_TCP, SOL_IP and SOL_IPV6 options by name, others as numbers.
    public static func sockoptName(_ value: UInt64, level: UInt64) -> String {
        let v = Int64(Int32(truncatingIfNeeded: value))
        let table: ValueTable?
        switch Int32(truncatingIfNeeded: level) {
        case 1: table = SymbolTables.socketOptions
        case 6: table = SymbolTables.tcpOptions
        case 0: table = SymbolTables.ipOptions
        case 41: table = SymbolTables.ipv6Options
        default: table = nil
        }
        return table?.name(v) ?? String(v)
    }

    /// socket(2)'s protocol, by the domain: IP protocol names for AF_INET and AF_INET6, else the number.
    public static func socketProto(_ value: UInt64, domain: UInt64) -> String {
        let v = Int64(Int32(truncatingIfNeeded: value))
        let d = UInt16(truncatingIfNeeded: domain)
        if d == Linux.AF_INET || d == Linux.AF_INET6, let name = SymbolTables.ipProtocols.name(v) { return name }
        return String(v)
    }

    /// fcntl(2)'s argument, by the command.
    public static func fcntlArg(_ value: UInt64, cmd: UInt64, arch: SyscallArch = .x86_64) -> String {
        switch Int32(truncatingIfNeeded: cmd) {
        case 4: return openFlags(value, arch: arch) // F_SETFL
        case Linux.F_SETFD: return SymbolTables.fdFlagsTable.render(value & 0xffff_ffff)
        case 1033: return SymbolTables.sealFlags.render(value & 0xffff_ffff) // F_ADD_SEALS
        case 10: return signalName(Int(Int32(truncatingIfNeeded: value))) // F_SETSIG
        case 5, 6, 7, 36, 37, 38, 15, 16: return value == 0 ? "NULL" : hex(value) // struct flock, f_owner_ex
        default: return String(Int64(Int32(truncatingIfNeeded: value)))
        }
    }

    /// prctl(2)'s second argument, by the option (PR_SET_NAME/PR_GET_NAME print their string item instead).
    public static func prctlArg(_ value: UInt64, option: UInt64) -> String {
        switch Int32(truncatingIfNeeded: option) {
        case 1: return signalName(Int(Int32(truncatingIfNeeded: value))) // PR_SET_PDEATHSIG
        case 15, 16: return value == 0 ? "NULL" : hex(value) // the name's address, when no item
        default: return String(value)
        }
    }

    /// statx(2) flags: the sync type (`AT_STATX_SYNC_AS_STAT` for 0), then the other *at flags.
    public static func statxFlags(_ value: UInt64) -> String {
        let v = value & 0xffff_ffff
        let sync = v & 0x6000
        let rest = v & ~UInt64(0x6000)
        let syncName = SymbolTables.statxSyncTypes.name(Int64(sync)) ?? hex(sync)
        return rest == 0 ? syncName : syncName + "|" + SymbolTables.atFlags.render(rest)
    }

    /// A wait status as strace prints it (without its brackets): `{WIFEXITED(s) && WEXITSTATUS(s) == 0}`.
    public static func waitStatus(_ status: Int32) -> String {
        var s = UInt32(bitPattern: status)
        var out: String
        if s & 0xff == 0x7f {
            let sig = Int((s >> 8) & 0xff)
            out = "{WIFSTOPPED(s) && WSTOPSIG(s) == \(signalName(sig & 0x7f))\(sig & 0x80 != 0 ? " | 0x80" : "")}"
            s &= ~UInt32(0xff7f)
        } else if s & 0x7f != 0 {
            let sig = Int(s & 0x7f)
            out = "{WIFSIGNALED(s) && WTERMSIG(s) == \(signalName(sig))\(s & 0x80 != 0 ? " && WCOREDUMP(s)" : "")}"
            s &= ~UInt32(0xff)
        } else {
            out = "{WIFEXITED(s) && WEXITSTATUS(s) == \((s >> 8) & 0xff)}"
            s &= ~UInt32(0xff00)
        }
        if s != 0 { out += " | " + hex(UInt64(s)) }
        return out
    }

    /// A signal's si_code, by the signal (a positive code means something per signal; the SI_ codes are
    /// shared): `SI_USER`, `SI_TKILL`, `CLD_EXITED`, `SEGV_MAPERR`; else the number.
    public static func signalCode(_ code: Int32, signal: Int32) -> String {
        var prefix = "SI"
        if code > 0 && code != 0x80 {
            switch signal {
            case 4: prefix = "ILL"
            case 8: prefix = "FPE"
            case 11: prefix = "SEGV"
            case 7: prefix = "BUS"
            case 5: prefix = "TRAP"
            case 17: prefix = "CLD"
            case 29: prefix = "POLL"
            case 31: prefix = "SYS"
            default: break
            }
        }
        return SymbolTables.siginfoCodes[prefix]?.name(Int64(code)) ?? String(code)
    }

    /// A signal disposition: `SIG_DFL`, `SIG_IGN`, or the handler's address.
    public static func signalHandler(_ value: UInt64) -> String {
        switch value {
        case 0: return "SIG_DFL"
        case 1: return "SIG_IGN"
        default: return hex(value)
        }
    }

    /// A signal's name in a set, as strace writes it: without `SIG`, 32 as `RTMIN`, 33-64 as `RT_n`.
    static func setSignalName(_ sig: Int) -> String {
        let name = signalName(sig)
        if name.hasPrefix("SIGRT") { return String(name.dropFirst(3)) }
        return name.hasPrefix("SIG") ? String(name.dropFirst(3)) : name
    }

    /// A 64-signal set (bit n-1 is signal n), as strace prints it: the members, or `~` and the non-members
    /// when more than half are in.
    public static func sigset(_ bits: UInt64) -> String {
        let members = (1...64).filter { bits & (UInt64(1) << UInt64($0 - 1)) != 0 }
        if members.count > 32 {
            let out = (1...64).filter { bits & (UInt64(1) << UInt64($0 - 1)) == 0 }
            return "~[" + out.map(setSignalName).joined(separator: " ") + "]"
        }
        return "[" + members.map(setSignalName).joined(separator: " ") + "]"
    }

    /// The kernel's `struct sigaction` (handler, flags, restorer, mask: 32 bytes), as strace prints it.
    public static func sigaction(_ b: UnsafeRawBufferPointer) -> String? {
        guard b.count >= 32 else { return nil }
        let handler = LE.u64(b, 0), flags = LE.u64(b, 8), restorer = LE.u64(b, 16), mask = LE.u64(b, 24)
        var out = "{sa_handler=" + signalHandler(handler) + ", sa_mask=" + sigset(mask) + ", sa_flags="
        out += SymbolTables.sigactionFlags.render(flags & 0xffff_ffff)
        if flags & 0x0400_0000 != 0 { out += ", sa_restorer=" + hex(restorer) }
        return out + "}"
    }

    /// A limit as strace prints it: `RLIM64_INFINITY`, `N*1024` for a multiple of 1024 above 1024, else N.
    static func limit(_ v: UInt64) -> String {
        if v == UInt64.max { return "RLIM64_INFINITY" }
        if v > 1024 && v % 1024 == 0 { return "\(v / 1024)*1024" }
        return String(v)
    }

    /// `struct rlimit` (two u64), as strace prints it.
    public static func rlimit(_ b: UnsafeRawBufferPointer) -> String? {
        guard b.count >= 16 else { return nil }
        return "{rlim_cur=" + limit(LE.u64(b, 0)) + ", rlim_max=" + limit(LE.u64(b, 8)) + "}"
    }

    /// A pollfd array (fd i32, events i16, revents i16), as strace prints it at entry.
    public static func pollfds(_ b: UnsafeRawBufferPointer) -> String {
        var parts: [String] = []
        var i = 0
        while i + 8 <= b.count {
            let fd = Int32(bitPattern: LE.u32(b, i)), events = UInt64(LE.u16(b, i + 4))
            parts.append(fd < 0 ? "{fd=\(fd)}" : "{fd=\(fd), events=\(SymbolTables.pollEvents.render(events))}")
            i += 8
        }
        return "[" + parts.joined(separator: ", ") + "]"
    }

    /// epoll events, packed (12 bytes each, x86_64) or aligned (16): one `{events=..., data={u32=..., u64=...}}`,
    /// or `[...]` of them when `array`.
    public static func epollEvents(_ b: UnsafeRawBufferPointer, array: Bool) -> String? {
        let size = b.count % 12 == 0 && b.count % 16 != 0 ? 12 : (b.count % 16 == 0 ? 16 : 12)
        guard b.count >= size else { return array ? "[]" : nil }
        var parts: [String] = []
        var i = 0
        while i + size <= b.count {
            let events = UInt64(LE.u32(b, i)), data = LE.u64(b, i + size - 8)
            parts.append("{events=\(SymbolTables.epollEvents.render(events)), data={u32=\(UInt32(truncatingIfNeeded: data)), u64=\(data)}}")
            i += size
        }
        return array ? "[" + parts.joined(separator: ", ") + "]" : parts.first
    }

    /// A socket option's value: `[N]` for a 4-byte int (as strace prints an int option), else hex bytes.
    public static func sockoptValue(_ b: UnsafeRawBufferPointer) -> String {
        if b.count == 4 { return "[\(Int32(bitPattern: LE.u32(b, 0)))]" }
        let digits = Array("0123456789abcdef")
        return "\"" + b.map { "\\x" + String(digits[Int($0 >> 4)]) + String(digits[Int($0 & 15)]) }.joined() + "\""
    }

    /// `struct clone_args`, as strace prints it (the fields it prints; pointers in hex).
    public static func cloneArgs(_ b: UnsafeRawBufferPointer) -> String? {
        guard b.count >= 64 else { return nil }
        let flags = LE.u64(b, 0), pidfd = LE.u64(b, 8), childTid = LE.u64(b, 16), parentTid = LE.u64(b, 24)
        let exitSignal = LE.u64(b, 32), stack = LE.u64(b, 40), stackSize = LE.u64(b, 48), tls = LE.u64(b, 56)
        var out = "{flags=" + SymbolTables.cloneFlags.render(flags)
        if flags & 0x1000 != 0 { out += ", pidfd=" + hex(pidfd) }
        if flags & (0x0100_0000 | 0x0020_0000) != 0 { out += ", child_tid=" + hex(childTid) }
        if flags & 0x0010_0000 != 0 { out += ", parent_tid=" + hex(parentTid) }
        out += ", exit_signal=" + (exitSignal == 0 ? "0" : signalName(Int(exitSignal)))
        out += ", stack=" + hex(stack) + ", stack_size=" + hex(stackSize)
        if flags & 0x0008_0000 != 0 { out += ", tls=" + hex(tls) }
        return out + "}"
    }

    /// `struct sysinfo` (64-bit layout: 112 bytes), as strace prints it.
    public static func sysinfo(_ b: UnsafeRawBufferPointer) -> String? {
        guard b.count >= 108 else { return nil }
        func u(_ o: Int) -> String { String(LE.u64(b, o)) }
        return "{uptime=\(Int64(bitPattern: LE.u64(b, 0))), loads=[\(u(8)), \(u(16)), \(u(24))], totalram=\(u(32)), " +
            "freeram=\(u(40)), sharedram=\(u(48)), bufferram=\(u(56)), totalswap=\(u(64)), freeswap=\(u(72)), " +
            "procs=\(LE.u16(b, 80)), totalhigh=\(u(88)), freehigh=\(u(96)), mem_unit=\(LE.u32(b, 104))}"
    }

    /// A parameter read through a pointer (a MEMORY item's bytes) as text, or nil when the bytes are too short.
    public static func memory(_ type: ParamType, _ b: UnsafeRawBufferPointer) -> String? {
        switch type {
        case .waitStatus: return b.count >= 4 ? waitStatus(Int32(bitPattern: LE.u32(b, 0))) : nil
        case .sigaction: return sigaction(b)
        case .sigset: return b.count >= 8 ? sigset(LE.u64(b, 0)) : nil
        case .rlimit: return rlimit(b)
        case .pollfds: return pollfds(b)
        case .epollEvents: return epollEvents(b, array: false)
        case .sockoptValue: return sockoptValue(b)
        case .sysinfo: return sysinfo(b)
        default: return nil
        }
    }

    /// Which argument gives a parameter of `type` at `index` its meaning (the level of a socket option, the
    /// command of fcntl's argument...), or nil for a type read alone.
    public static func contextIndex(of type: ParamType, at index: Int) -> Int? {
        switch type {
        case .sockoptName, .fcntlArg, .prctlArg, .sigCode: return index - 1
        case .socketProto: return index - 2
        default: return nil
        }
    }

    /// A value printed in hex: `0x1f`.
    public static func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }

    /// One parameter's text from its raw value and, when the recorder decoded it, its item.
    ///
    /// fd parameters print the bare number here; the engine adds the fd's name (`3(<f>/etc/hosts)`). Pointer-typed
    /// parameters (path, sockaddr, buffer) print the pointer in hex when no item is present.
    public static func format(_ type: ParamType, raw: UInt64, item: RecordItem? = nil,
                              arch: SyscallArch = .x86_64, eventName: String? = nil,
                              truncated: Bool = false, bufferLimit: Int = 80, context: UInt64 = 0) -> String {
        switch type {
        case .fd, .int:
            // fds and ints are C ints or longs; a 32-bit negative (-1) must not print as 4294967295.
            if type == .fd || raw >> 32 == 0 || raw >> 32 == 0xffff_ffff {
                return String(Int32(truncatingIfNeeded: raw))
            }
            return String(Int64(bitPattern: raw))
        case .dirfd: return dirfd(raw)
        case .path, .string:
            if let item { return item.string }
            return raw == 0 ? "NULL" : hex(raw)
        case .sockaddr:
            if let item {
                if let address = item.socketAddress { return address.description }
                return "<bad sockaddr>"
            }
            return raw == 0 ? "NULL" : hex(raw)
        case .buffer:
            if let item { return buffer(item.data, limit: bufferLimit, truncated: truncated) }
            return raw == 0 ? "NULL" : hex(raw)
        case .sockTuple:
            if let item { return item.tuple?.description ?? "<bad tuple>" }
            return ""
        case .fdPair:
            if let pair = item?.fdPair { return "\(pair.0),\(pair.1)" }
            return raw == 0 ? "NULL" : hex(raw)
        case .openFlags: return openFlags(raw, arch: arch)
        case .fdFlags: return fdFlags(raw, arch: arch)
        case .mode: return mode(raw)
        case .errno: return result(Int64(bitPattern: raw), type: .int)
        case .pid, .uid, .gid:
            // pid -1 (any child, every process) and uid -1 (unchanged) are meaningful: print them signed.
            return String(Int32(truncatingIfNeeded: raw))
        case .size, .uint: return String(raw)
        case .signal: return signalName(Int(Int32(truncatingIfNeeded: raw)))
        case .cloneFlags: return cloneFlags(raw)
        case .socketFamily: return socketFamily(raw)
        case .socketType: return socketType(raw)
        case .atFlags: return atFlags(raw, eventName: eventName)
        case .mmapProt: return mmapProt(raw)
        case .mmapFlags: return mmapFlags(raw)
        case .fcntlCmd:
            return SymbolTables.fcntlCommands.name(Int64(Int32(truncatingIfNeeded: raw))) ?? String(raw)
        case .whence: return SymbolTables.whence.name(Int64(Int32(truncatingIfNeeded: raw))) ?? String(raw)
        case .shutdownHow: return SymbolTables.shutdownHow.name(Int64(Int32(truncatingIfNeeded: raw))) ?? String(raw)
        case .sigprocmaskHow: return SymbolTables.sigprocmaskHow.name(Int64(Int32(truncatingIfNeeded: raw))) ?? String(raw)
        case .msgFlags: return SymbolTables.msgFlags.render(raw & 0xffff_ffff)
        case .accessMode: return SymbolTables.accessModes.render(raw & 0xffff_ffff)
        case .waitOptions: return SymbolTables.waitOptions.render(raw & 0xffff_ffff)
        case .flags, .pointer: return raw == 0 && type == .pointer ? "NULL" : hex(raw)
        case .ioctlRequest:
            return SymbolTables.ioctlRequests.name(Int64(raw & 0xffff_ffff)) ?? hex(raw & 0xffff_ffff)
        case .futexOp: return futexOp(raw)
        case .futexVal3: return raw & 0xffff_ffff == 0xffff_ffff ? "FUTEX_BITSET_MATCH_ANY" : String(raw)
        case .sockoptLevel:
            let v = Int64(Int32(truncatingIfNeeded: raw))
            return SymbolTables.socketLevels.name(v) ?? String(v)
        case .sockoptName: return sockoptName(raw, level: context)
        case .socketProto: return socketProto(raw, domain: context)
        case .fcntlArg: return fcntlArg(raw, cmd: context, arch: arch)
        case .clockId: return named(SymbolTables.clockIds, raw)
        case .epollCtlOp: return named(SymbolTables.epollCtlOps, raw)
        case .madviseAdvice: return named(SymbolTables.madviseAdvice, raw)
        case .fadviseAdvice: return named(SymbolTables.fadviseAdvice, raw)
        case .rlimitResource: return named(SymbolTables.rlimitResources, raw)
        case .archPrctlOption:
            return SymbolTables.archPrctlOptions.name(Int64(Int32(truncatingIfNeeded: raw))) ?? hex(raw)
        case .flockOperation: return SymbolTables.flockOperations.render(raw & 0xffff_ffff)
        case .prctlOption: return named(SymbolTables.prctlOptions, raw)
        case .prctlArg:
            if let item, context == 15 || context == 16 { return item.string }
            return prctlArg(raw, option: context)
        case .getrandomFlags: return SymbolTables.getrandomFlags.render(raw & 0xffff_ffff)
        case .memfdFlags: return SymbolTables.memfdFlags.render(raw & 0xffff_ffff)
        case .statxMask: return SymbolTables.statxMask.render(raw & 0xffff_ffff)
        case .statxFlags: return statxFlags(raw)
        case .statxAttributes: return SymbolTables.statxAttributes.render(raw)
        case .epollCreateFlags: return SymbolTables.epollCreateFlags.render(raw & 0xffff_ffff)
        case .eventfdFlags: return SymbolTables.eventfdFlags.render(raw & 0xffff_ffff)
        case .signalfdFlags: return SymbolTables.signalfdFlags.render(raw & 0xffff_ffff)
        case .timerfdFlags: return SymbolTables.timerfdFlags.render(raw & 0xffff_ffff)
        case .inotifyFlags: return SymbolTables.inotifyFlags.render(raw & 0xffff_ffff)
        case .waitStatus, .sigaction, .sigset, .rlimit, .pollfds, .epollEvents, .sockoptValue, .sysinfo:
            if let item, let text = memory(type, item.data) { return text }
            return raw == 0 ? "NULL" : hex(raw)
        case .cloneArgs:
            if let item, let text = cloneArgs(item.data) { return text }
            return raw == 0 ? "NULL" : hex(raw)
        case .argv:
            if let item { return item.argv.joined(separator: " ") }
            return raw == 0 ? "NULL" : hex(raw)
        case .sigCode: return signalCode(Int32(truncatingIfNeeded: raw), signal: Int32(truncatingIfNeeded: context))
        case .sigHandler: return signalHandler(raw)
        case .void: return ""
        }
    }

    /// The name of a value in `table` (a 32-bit C int), else the number.
    static func named(_ table: ValueTable, _ raw: UInt64) -> String {
        let v = Int64(Int32(truncatingIfNeeded: raw))
        return table.name(v) ?? String(v)
    }
}

extension ArgFormatter {
    /// The item kind that carries the decoded value of a parameter type, if any.
    public static func itemKind(for type: ParamType) -> ItemKind? {
        switch type {
        case .path, .string: return .path
        case .sockaddr: return .sockaddr
        case .buffer: return .data
        case .fdPair: return .fdPair
        case .sockTuple: return .tuple
        case .prctlArg: return .path
        case .waitStatus, .sigaction, .sigset, .rlimit, .pollfds, .epollEvents, .sockoptValue, .sysinfo: return .memory
        case .cloneArgs: return .cloneArgs
        case .argv: return .argv
        default: return nil
        }
    }
}
