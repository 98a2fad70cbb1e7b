import CaptureFormat
import EventSchema
import ScapFormat

/// Renders events' pieces (time, arguments, fd names) as bytes, the same way for every sink and for the
/// filter fields that print (`evt.args`, `evt.arg.NAME`), from the schema's event table.
///
/// Argument text follows sysdig's conventions: the result first (`fd=3(<f>/etc/hosts)` for calls that return an
/// fd, `res=N` otherwise, errno names for failures: `res=-2(ENOENT)`), then each parameter as `name=value`
/// with fds named (`fd=3(<f>/etc/hosts)`, `<NA>` when unknown), flags symbolic, modes in octal, buffers as
/// printable text; the file an open* or stat* found follows as `ino=N file_mode=0100644 uid=N gid=N`, and
/// `latency=NS` ends the line when the entry was seen.
public final class EventPrinter {
    /// How `evt.time` is printed.
    public enum TimeMode: Sendable {
        /// Wall-clock time of day, UTC, from the capture's realtime offset (`hh:mm:ss.nnnnnnnnn`).
        case absolute
        /// Seconds since the first event printed (`+s.nnnnnnnnn`).
        case relative
    }

    /// The engine's path pool, where fd names are (the one thing of the engine's the printer reads).
    let paths: PathPool
    /// The last second printed and its `hh:mm:ss.` text: consecutive events mostly share the second.
    @exclusivity(unchecked)
    private var lastSecond: Int64 = .min
    @exclusivity(unchecked)
    private var lastSecondText: (UInt64, UInt8) = (0, 0)
    let arch: SyscallArch
    /// Row per syscall number (nil: unknown to the table).
    let infos: [EventInfo?]
    /// Parameters per syscall number, in the arch's argument order.
    let params: [[ParamInfo]]
    /// Symbolic text already rendered for (type, raw value): flags, modes, signals repeat endlessly.
    @exclusivity(unchecked)
    private var symbolCache: [SymbolKey: String] = [:]
    @exclusivity(unchecked)
    private var scratch: [UInt8] = []
    /// Maximum buffer bytes printed per data argument.
    @exclusivity(unchecked)
    public var bufferLimit = 80

    /// How data buffers print, as sysdig's default, `-A` and `-X` print them.
    public enum BufferFormat: Sendable {
        /// One line: printable ASCII as is, every other byte as `.`.
        case dots
        /// `-A`: a new line, then the printable ASCII and the line ends (tabs too); other bytes left out.
        case ascii
        /// `-X`: a new line, then rows of 16 bytes: offset, hex in 2-byte groups, the bytes as `dots` prints them.
        case hexASCII
    }

    /// The buffer format (`kcap read -A`, `-X`).
    @exclusivity(unchecked)
    public var bufferFormat = BufferFormat.dots

    struct SymbolKey: Hashable { var type: ParamType; var raw: UInt64; var context: UInt64 = 0 }

    typealias SyscallPlan = SyscallPrintPlan.Syscall
    typealias ParamPlan = SyscallPrintPlan.Param
    /// The arch's plan, shared by every printer (built once per process, not once per capture opened).
    private let plan: SyscallPrintPlan
    let plans: UnsafeMutablePointer<SyscallPlan>
    let paramPlans: UnsafeMutablePointer<ParamPlan>
    let nameBytes: UnsafeMutablePointer<UInt8>
    /// The keys of the typed arguments (`visitArguments`), and their kinds: built on first use, by the sinks
    /// that type arguments (lean JSON, Parquet, Perfetto), not for every printer.
    var argumentSchema: ArgumentSchema { ArgumentSchema.shared }
    var argumentKinds: UnsafeMutablePointer<ArgumentSchema.Kind> { ArgumentSchema.shared.kinds }

    /// A printer for `engine`'s events. The sinks own printers and the filters evaluate with them; the engine
    /// knows nothing of either.
    public init(engine: Engine) {
        paths = engine.paths
        arch = SyscallArch(machine: engine.machine) ?? .x86_64
        plan = SyscallPrintPlan.shared(arch)
        infos = plan.infos
        params = plan.params
        plans = plan.plans
        paramPlans = plan.paramPlans
        nameBytes = plan.nameBytes
        scratch.reserveCapacity(256)
    }

    /// The event table row of `event`, or nil for an unknown syscall.
    @inline(__always)
    public func info(_ event: Event) -> EventInfo? { event.engine.names.info(of: event) }

    // MARK: time

    /// Appends `evt.time`.
    @inline(__always)
    public func appendTime(_ event: Event, mode: TimeMode, firstNs: UInt64, to out: OutputBuffer) {
        switch mode {
        case .absolute:
            let (secs, frac) = Self.floorSeconds(event.realtimeNs)
            if secs != lastSecond {
                var sod = secs % 86_400
                if sod < 0 { sod += 86_400 }
                let text = OutputBuffer(chunkSize: 16)
                text.appendPadded(UInt64(sod / 3600), width: 2)
                text.append(UInt8(ascii: ":"))
                text.appendPadded(UInt64(sod / 60 % 60), width: 2)
                text.append(UInt8(ascii: ":"))
                text.appendPadded(UInt64(sod % 60), width: 2)
                text.append(UInt8(ascii: "."))
                var word: UInt64 = 0
                withUnsafeMutableBytes(of: &word) { w in for i in 0..<8 { w[i] = text.bytes[i] } }
                lastSecondText = (word, text.bytes[8])
                lastSecond = secs
            }
            var prefix = lastSecondText
            withUnsafeBytes(of: &prefix.0) { out.append($0) }
            out.append(prefix.1)
            out.appendPadded(frac, width: 9)
        case .relative:
            let d = event.timestampNs &- firstNs
            out.append(UInt8(ascii: "+"))
            out.appendDecimal(d / 1_000_000_000)
            out.append(UInt8(ascii: "."))
            out.appendPadded(d % 1_000_000_000, width: 9)
        }
    }

    /// Appends `evt.datetime`: `yyyy-mm-dd hh:mm:ss.nnnnnnnnn` (UTC).
    public func appendDatetime(_ event: Event, to out: OutputBuffer) {
        appendDatetime(event, separator: UInt8(ascii: " "), to: out)
    }

    /// Appends the event's time in ISO 8601, UTC, with nanoseconds (`2026-11-22T04:33:31.729042872Z`): what
    /// JSON readers (DuckDB, pandas) take as a timestamp.
    public func appendISOTime(_ event: Event, to out: OutputBuffer) {
        appendDatetime(event, separator: UInt8(ascii: "T"), to: out)
        out.append(UInt8(ascii: "Z"))
    }

    private func appendDatetime(_ event: Event, separator: UInt8, to out: OutputBuffer) {
        let secs = Self.floorSeconds(event.realtimeNs).secs
        var days = secs / 86_400
        if secs % 86_400 < 0 { days -= 1 }
        let (y, m, d) = Self.civil(days: days)
        out.appendPadded(UInt64(max(0, y)), width: 4)
        out.append(UInt8(ascii: "-"))
        out.appendPadded(UInt64(m), width: 2)
        out.append(UInt8(ascii: "-"))
        out.appendPadded(UInt64(d), width: 2)
        out.append(separator)
        appendTime(event, mode: .absolute, firstNs: 0, to: out)
    }

    /// Whole seconds (rounded down) and the nanoseconds past them, for every Int64 (no `ns - 999_999_999`,
    /// which overflows near Int64.min: the wall clock comes from the file's realtime offset).
    @inline(__always)
    static func floorSeconds(_ ns: Int64) -> (secs: Int64, frac: UInt64) {
        var secs = ns / 1_000_000_000
        var frac = ns % 1_000_000_000
        if frac < 0 { secs -= 1; frac += 1_000_000_000 }
        return (secs, UInt64(frac))
    }

    /// Proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's days-to-civil algorithm).
    static func civil(days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    // MARK: process and fd

    /// Appends `proc.name`, `<NA>` when unknown.
    @inline(__always)
    public func appendComm(_ event: Event, to out: OutputBuffer) {
        let comm = event.thread.comm
        if comm.isEmpty { out.append("<NA>") } else { out.appendPrintableString(comm) }
    }

    /// Appends `fd.name` of `entry` (path or socket tuple); nothing when it has none.
    @inline(__always)
    public func appendFdName(_ entry: FdEntry, to out: OutputBuffer) {
        if entry.name >= 0, !(entry.isSocket && entry.kind != .unix) {
            paths.withBytes(entry.name) { out.appendPrintable($0) }
        } else if entry.isSocket, entry.tuple.family != 0, !entry.tuple.isEmpty {
            scratch.removeAll(keepingCapacity: true)
            FdNameRenderer.appendTupleName(entry, to: &scratch)
            scratch.withUnsafeBytes { out.append($0) }
        }
    }

    /// Appends an fd value as sysdig prints it: `3(<f>/etc/hosts)`, `3(<NA>)` when unknown, the bare number
    /// when negative.
    @inline(__always)
    public func appendFd(_ fd: Int32, entry: FdEntry?, to out: OutputBuffer) {
        out.appendSigned(Int64(fd))
        guard fd >= 0 else { return }
        out.append(UInt8(ascii: "("))
        if let e = entry {
            out.append(UInt8(ascii: "<"))
            out.append(FdNameRenderer.typeChar(e.kind))
            out.append(UInt8(ascii: ">"))
            appendFdName(e, to: out)
        } else {
            out.append("<NA>")
        }
        out.append(UInt8(ascii: ")"))
    }

    @inline(__always)
    func entry(_ fd: Int32, _ event: Event) -> FdEntry? {
        fd == event.fd ? event.fdEntry : event.process.fds[fd]
    }

    // MARK: arguments

    /// Appends `evt.args`: the result, every parameter, and the latency. `raw`: the default line, which prints
    /// another format's text parameters as they are (a sysdig container event's JSON, newline included, as
    /// sysdig prints it); elsewhere (`-p`, JSON, Parquet) they are printable, one line.
    public func appendArgs(_ event: Event, to out: OutputBuffer, raw: Bool = false) {
        switch event.kind {
        case .syscall: appendSyscallArgs(event, to: out, raw: raw)
        case .procfork:
            let r = ForkRecord(unchecked: event.record)
            out.append("child_tid="); out.appendDecimal(UInt64(r.childTid))
            out.append(" child_pid="); out.appendDecimal(UInt64(r.childPid))
            out.append(" child_comm="); out.appendPrintable(r.childCommBytes)
        case .procexec:
            let r = ExecRecord(unchecked: event.record)
            out.append("filename=")
            if let p = r.items.first(.path) { out.appendPrintable(p.data) } else { out.append("<NA>") }
            out.append(" args=")
            if let a = r.items.first(.argv) { appendArgv(a.data, to: out) }
            out.append(" comm="); out.appendPrintable(r.commBytes)
            out.append(" ppid="); out.appendDecimal(UInt64(r.ppid))
            out.append(" uid="); out.appendDecimal(UInt64(r.uid))
            out.append(" gid="); out.appendDecimal(UInt64(r.gid))
            if r.oldTid != r.tid { out.append(" old_tid="); out.appendDecimal(UInt64(r.oldTid)) }
        case .procexit:
            let r = ExitRecord(unchecked: event.record)
            out.append("status="); out.appendDecimal(UInt64(r.status))
            if r.signal != 0 {
                out.append(" sig=")
                out.append(symbol(.signal, UInt64(r.signal)))
            }
            out.append(" group_dead="); out.appendDecimal(r.groupDead ? 1 : 0)
        case .signal:
            let r = SignalRecord(unchecked: event.record)
            for (name, text) in signalArgs(r) {
                if name != "sig" { out.append(UInt8(ascii: " ")) }
                out.append(name); out.append(UInt8(ascii: "=")); out.appendPrintableString(text)
            }
        }
    }

    /// The parameters a delivered signal shows, in the table's order, each only when it applies: the sender
    /// for a signal a process sent, the child's status for SIGCHLD, the address for a fault.
    func signalArgs(_ r: SignalRecord) -> [(String, String)] {
        var out: [(String, String)] = [("sig", symbol(.signal, UInt64(UInt32(bitPattern: r.signal))))]
        guard r.hasInfo else {
            out.append(("handler", ArgFormatter.signalHandler(r.handler)))
            return out
        }
        out.append(("code", ArgFormatter.signalCode(r.code, signal: r.signal)))
        if r.senderPid != 0 || r.code == 0 || r.code == -6 || r.code == -1 || (r.signal == 17 && r.code > 0) {
            out.append(("spid", String(r.senderPid)))
            out.append(("uid", String(r.senderUid)))
        }
        if r.signal == 17 && r.code > 0 {
            // CLD_EXITED: the exit code; CLD_KILLED/DUMPED/STOPPED/TRAPPED: a signal.
            out.append(("status", r.code == 1 ? String(r.status) : ArgFormatter.signalName(Int(r.status))))
        }
        if r.address != 0 { out.append(("addr", ArgFormatter.hex(r.address))) }
        out.append(("handler", ArgFormatter.signalHandler(r.handler)))
        return out
    }

    /// Argv bytes (NUL-separated) as space-separated text.
    func appendArgv(_ a: UnsafeRawBufferPointer, to out: OutputBuffer) {
        var n = a.count
        while n > 0, a[n - 1] == 0 { n -= 1 }
        for i in 0..<n { out.append(a[i] == 0 ? UInt8(ascii: " ") : (a[i] < 0x20 ? UInt8(ascii: ".") : a[i])) }
    }

    private func appendSyscallArgs(_ event: Event, to out: OutputBuffer, raw: Bool) {
        let r = event.syscall
        let nr = r.nr
        let ret = r.ret
        if nr >= EventTypeNames.foreignBase, let type = r.foreignType, let row = ScapEventTable.info(type) {
            // An event kcap's table has no row for (a sysdig capture's switch, signaldeliver...): its integer
            // parameters, by the other table's names.
            // Text parameters (a container event's JSON) are printed as they are, as sysdig prints them.
            var first = true
            for item in r.items where (item.kind == .foreignInteger || item.kind == .data) && Int(item.rawArg) < row.params.count {
                if !first { out.append(UInt8(ascii: " ")) }
                first = false
                out.appendPrintableString(row.params[Int(item.rawArg)].name)
                out.append(UInt8(ascii: "="))
                if item.kind == .data {
                    let d = item.data
                    let text = UnsafeRawBufferPointer(rebasing: d[..<(d.firstIndex(of: 0) ?? d.count)])
                    if raw { out.append(text) } else { out.appendPrintable(text) }
                } else {
                    out.appendSigned(Self.signedLittleEndian(item.data) ?? 0)
                }
            }
            return
        }
        guard nr < SyscallEffectTable.size, plans[nr].known else {
            out.append("res="); appendErrnoResult(ret, to: out)
            for i in 0..<6 { out.append(" arg"); out.appendDecimal(UInt64(i)); out.append(UInt8(ascii: "=")); out.appendHex(r.arg(i)) }
            appendLatency(event, to: out)
            return
        }
        let plan = plans[nr]
        // A call that never returns (exit, exit_group) has no result to show.
        var separate = plan.resultType != .void
        if plan.resultIsFd {
            if plan.resultKeyIsRes { out.append("res=") } else { out.append("fd=") }
            if ret >= 0 { appendFd(Int32(truncatingIfNeeded: ret), entry: event.fd == Int32(truncatingIfNeeded: ret) ? event.fdEntry : nil, to: out) }
            else { appendErrnoResult(ret, to: out) }
        } else if separate {
            out.append("res=")
            appendResult(ret, type: plan.resultType, to: out)
        }
        var i = 0
        while i < Int(plan.paramCount) {
            let p = paramPlans[Int(plan.firstParam) + i]
            if separate { out.append(UInt8(ascii: " ")) }
            separate = true
            out.append(UnsafeRawBufferPointer(start: nameBytes + Int(p.nameStart), count: Int(p.nameCount)))
            out.append(UInt8(ascii: "="))
            appendParam(p.type, index: i, event, to: out)
            i += 1
        }
        // Values read through a pointer argument (sendmsg's data and address), when the recorder has them.
        var k = 0
        while k < Int(plan.extraCount) {
            let p = paramPlans[Int(plan.firstParam) + Int(plan.paramCount) + k]
            k += 1
            guard hasExtra(p.type, event) else { continue }
            out.append(UInt8(ascii: " "))
            out.append(UnsafeRawBufferPointer(start: nameBytes + Int(p.nameStart), count: Int(p.nameCount)))
            out.append(UInt8(ascii: "="))
            appendExtra(p.type, event, to: out)
        }
        if plan.showsTuple, let t = r.items.first(.tuple), t.data.count >= KcapABI.Tuple.size, let e = event.fdEntry, e.kind != .unix {
            out.append(" tuple=")
            appendFdName(e, to: out)
        }
        // The file an open returned or a stat described (its mode, owner and inode): the recorder attaches
        // it to those calls only, on success. `file_mode`, because open's own `mode` is the creation mode.
        if let file = r.items.first(.inode)?.inode.map(FileIdentity.init) {
            out.append(" ino="); out.appendDecimal(file.inode)
            out.append(" file_mode="); out.append(symbol(.mode, UInt64(file.mode)))
            out.append(" uid="); out.appendDecimal(UInt64(file.uid))
            out.append(" gid="); out.appendDecimal(UInt64(file.gid))
        }
        if let item = r.items.first(.inode)?.inode {
            if let size = item.size { out.append(" file_size="); out.appendDecimal(size) }
            if let mask = item.statxMask {
                out.append(" stx_mask="); out.append(symbol(.statxMask, UInt64(mask)))
                out.append(" stx_attributes="); out.append(symbol(.statxAttributes, item.statxAttributes ?? 0))
            }
        }
        appendLatency(event, to: out)
    }

    @inline(__always)
    func appendLatency(_ event: Event, to out: OutputBuffer) {
        // exit and exit_group are recorded at entry: they have no latency (and no result).
        let nr = event.syscall.nr
        if let l = event.latencyNs, !(nr < SyscallEffectTable.size && plans[nr].known && plans[nr].resultType == .void) {
            out.append(" latency="); out.appendDecimal(l)
        }
    }

    /// A result: errno name on failure, else by type.
    @inline(__always)
    func appendResult(_ ret: Int64, type: ParamType, to out: OutputBuffer) {
        if ret < 0, ret >= -4095 { appendErrnoResult(ret, to: out); return }
        switch type {
        case .pointer: out.appendHex(UInt64(bitPattern: ret))
        case .mode: out.append(symbol(.mode, UInt64(bitPattern: ret)))
        default: out.appendSigned(ret)
        }
    }

    /// True when the record holds the item an extra parameter of `type` prints.
    @inline(__always)
    func hasExtra(_ type: ParamType, _ event: Event) -> Bool {
        guard let kind = ArgFormatter.itemKind(for: type) else { return false }
        return event.syscall.items.first(kind) != nil
    }

    /// An extra parameter's value: the first item of its type's kind, whatever argument it decodes.
    func appendExtra(_ type: ParamType, _ event: Event, to out: OutputBuffer) {
        let r = event.syscall
        switch type {
        case .buffer:
            if let data = r.items.first(.data)?.data { appendBuffer(data, truncated: r.flags.contains(.truncated), to: out) }
        case .sockaddr:
            if let sa = r.items.first(.sockaddr) { out.appendPrintableString(sa.socketAddress?.description ?? "<bad sockaddr>") }
        default:
            break
        }
    }

    /// Data bytes as sysdig prints them by default: printable ASCII as is, every other byte (control
    /// characters, and bytes of 0x80 and above, which are not text on their own) as `.`; at most `bufferLimit`
    /// bytes, then `...` when there were more.
    @inline(__always)
    func appendBuffer(_ data: UnsafeRawBufferPointer, truncated: Bool, to out: OutputBuffer) {
        let n = min(data.count, bufferLimit)
        let shown = UnsafeRawBufferPointer(rebasing: data[0..<n])
        switch bufferFormat {
        case .dots:
            out.appendASCII(shown)
            if data.count > n || truncated { out.append("...") }
        case .ascii:
            out.append(UInt8(ascii: "\n"))
            for b in shown where (b >= 0x20 && b < 0x7f) || b == 0x0a || b == 0x09 { out.append(b) }
        case .hexASCII:
            Self.appendHexRows(shown, to: out)
        }
    }

    /// sysdig's `-X` rendering: per 16 bytes a row `\n\t0x0010: 4745 5420 ... 0d0a  GET / HTTP/1.1..` (hex in
    /// 2-byte groups, a last odd byte alone, short rows padded so the text column lines up), then a new line.
    static func appendHexRows(_ b: UnsafeRawBufferPointer, to out: OutputBuffer) {
        let digits = Array("0123456789abcdef".utf8)
        func hex(_ v: UInt8) { out.append(digits[Int(v >> 4)]); out.append(digits[Int(v & 15)]) }
        var row = 0
        while row < b.count {
            out.append("\n\t0x")
            hex(UInt8(truncatingIfNeeded: row >> 8)); hex(UInt8(truncatingIfNeeded: row))
            out.append(UInt8(ascii: ":"))
            let end = min(row + 16, b.count)
            var i = row
            var groups = 0
            while i < end {
                out.append(UInt8(ascii: " "))
                hex(b[i])
                if i + 1 < end { hex(b[i + 1]) }
                i += 2
                groups += 1
            }
            while groups < 8 { out.append("     "); groups += 1 }
            out.append("  ")
            out.appendASCII(UnsafeRawBufferPointer(rebasing: b[row..<end]))
            row = end
        }
        out.append(UInt8(ascii: "\n"))
    }

    /// `N`, or `-2(ENOENT)` for a failure.
    @inline(__always)
    func appendErrnoResult(_ ret: Int64, to out: OutputBuffer) {
        out.appendSigned(ret)
        if ret < 0, ret >= -4095 {
            out.append(UInt8(ascii: "("))
            out.append(symbol(.errno, UInt64(-ret)))
            out.append(UInt8(ascii: ")"))
        }
    }

    /// One parameter's value.
    @inline(__always)
    func appendParam(_ type: ParamType, index i: Int, _ event: Event, to out: OutputBuffer) {
        let r = event.syscall
        let raw = r.arg(i)
        switch type {
        case .fd:
            let fd = Int32(truncatingIfNeeded: raw)
            appendFd(fd, entry: entry(fd, event), to: out)
        case .dirfd:
            let fd = Int32(truncatingIfNeeded: raw)
            if fd == -100 { out.append("-100(AT_FDCWD)") } else { appendFd(fd, entry: event.process.fds[fd], to: out) }
        case .path, .string:
            if let item = r.items.first(.path, arg: UInt8(i))?.data {
                var n = 0
                while n < item.count, item[n] != 0 { n += 1 }
                out.appendPrintable(UnsafeRawBufferPointer(rebasing: item[0..<n]))
            } else if raw == 0 { out.append("NULL") } else { out.appendHex(raw) }
        case .buffer:
            if let data = r.items.first(.data, arg: UInt8(i))?.data {
                appendBuffer(data, truncated: r.flags.contains(.truncated), to: out)
            } else if r.ret <= 0 {
                // Nothing was transferred (EOF, a failure): no data to show, as sysdig prints `data=`.
            } else if raw == 0 { out.append("NULL") } else { out.appendHex(raw) }
        case .fdPair:
            if let (a, b) = r.items.first(.fdPair)?.fdPair {
                appendFd(a, entry: event.process.fds[a], to: out)
                out.append(UInt8(ascii: ","))
                appendFd(b, entry: event.process.fds[b], to: out)
            } else if raw == 0 { out.append("NULL") } else { out.appendHex(raw) }
        case .sockaddr:
            if let sa = r.items.first(.sockaddr, arg: UInt8(i)) {
                let text = sa.socketAddress?.description ?? "<bad sockaddr>"
                out.appendPrintableString(text)
            } else if raw == 0 { out.append("NULL") } else { out.appendHex(raw) }
        case .int, .pid, .uid, .gid:
            if type == .int, raw >> 32 != 0, raw >> 32 != 0xffff_ffff { out.appendSigned(Int64(bitPattern: raw)) }
            else { out.appendSigned(Int64(Int32(truncatingIfNeeded: raw))) }
        case .size, .uint:
            out.appendDecimal(raw)
        case .pointer:
            if raw == 0 { out.append("NULL") } else { out.appendHex(raw) }
        case .flags:
            out.appendHex(raw)
        case .errno:
            appendErrnoResult(Int64(bitPattern: raw), to: out)
        case .argv:
            if let a = r.items.first(.argv, arg: UInt8(i)) { appendArgv(a.data, to: out) }
            else if raw == 0 { out.append("NULL") } else { out.appendHex(raw) }
        case .waitStatus, .sigaction, .sigset, .rlimit, .pollfds, .sockoptValue, .sysinfo:
            if let m = r.items.first(.memory, arg: UInt8(i)), let text = ArgFormatter.memory(type, m.data) {
                out.append(text)
            } else if raw == 0 { out.append("NULL") } else { out.appendHex(raw) }
        case .epollEvents:
            // epoll_ctl's one event; epoll_wait's array of the events the kernel wrote
            if let m = r.items.first(.memory, arg: UInt8(i)),
               let text = ArgFormatter.epollEvents(m.data, array: i == 1) {
                out.append(text)
            } else if raw == 0 { out.append("NULL") } else { out.appendHex(raw) }
        case .cloneArgs:
            // The child's return (0) shows the pointer: older recorders read the struct there too, from memory
            // the parent may already have reused.
            if r.ret != 0, let a = r.items.first(.cloneArgs), let text = ArgFormatter.cloneArgs(a.data) { out.append(text) }
            else if raw == 0 { out.append("NULL") } else { out.appendHex(raw) }
        case .prctlArg:
            let option = r.arg(i - 1)
            if option == 15 || option == 16, let item = r.items.first(.path, arg: UInt8(i))?.data {
                var n = 0
                while n < item.count, item[n] != 0 { n += 1 }
                out.appendPrintable(UnsafeRawBufferPointer(rebasing: item[0..<n]))
            } else {
                out.append(symbol(type, raw, context: option))
            }
        case .void:
            break
        default:
            if let c = ArgFormatter.contextIndex(of: type, at: i), c >= 0 {
                out.append(symbol(type, raw, context: r.arg(c)))
            } else {
                out.append(symbol(type, raw))
            }
        }
    }

    /// Symbolic text of a raw value (flags, mode, signal...), rendered once by the schema's formatter.
    @inline(__always)
    func symbol(_ type: ParamType, _ raw: UInt64, context: UInt64 = 0) -> String {
        let key = SymbolKey(type: type, raw: raw, context: context)
        if let s = symbolCache[key] { return s }
        let s: String
        if type == .errno {
            s = ArgFormatter.errnoName(Int(raw)) ?? "E\(raw)"
        } else {
            s = ArgFormatter.format(type, raw: raw, arch: arch, context: context)
        }
        if symbolCache.count > 100_000 { symbolCache.removeAll(keepingCapacity: true) }
        symbolCache[key] = s
        return s
    }

    /// True when `event` has a result: a syscall's exit, except the calls that never return (exit, exit_group).
    /// An entry event (a sysdig capture's `>`) has no result yet.
    @inline(__always)
    public func hasResult(_ event: Event) -> Bool {
        guard event.kind == .syscall, !event.isEntry else { return false }
        let nr = event.syscall.nr
        return !(nr < SyscallEffectTable.size && plans[nr].known && plans[nr].resultType == .void)
    }

    /// `evt.res`: SUCCESS or the errno name (nil for process events, entry events and calls that never return).
    public func resultText(_ event: Event) -> String? {
        guard hasResult(event) else { return nil }
        let r = event.syscall.ret
        if r < 0, r >= -4095 { return symbol(.errno, UInt64(-r)) }
        return "SUCCESS"
    }

    /// One named parameter (`evt.arg.NAME`) as text, or nil when the event has no such parameter. `res` and
    /// `fd` of a call that returns one name the result.
    public func appendArg(named name: String, _ event: Event, to out: OutputBuffer) -> Bool {
        if event.kind == .signal {
            guard let arg = signalArgs(SignalRecord(unchecked: event.record)).first(where: { $0.0 == name }) else { return false }
            out.appendPrintableString(arg.1)
            return true
        }
        guard event.kind == .syscall else { return false }
        let nr = Int(event.syscall.nr)
        guard nr < infos.count, let info = infos[nr] else { return false }
        let ps = params[nr]
        if let i = ps.firstIndex(where: { $0.name == name }) {
            appendParam(ps[i].type, index: i, event, to: out)
            return true
        }
        if let extra = info.extraParams.first(where: { $0.name == name && $0.type != .sockTuple }), hasExtra(extra.type, event) {
            appendExtra(extra.type, event, to: out)
            return true
        }
        if name == "res" || (name == "fd" && info.result == .fd) {
            let ret = event.syscall.ret
            if info.result == .fd, ret >= 0 { appendFd(Int32(truncatingIfNeeded: ret), entry: event.fdEntry, to: out) }
            else { appendResult(ret, type: info.result, to: out) }
            return true
        }
        return false
    }

    /// A little-endian integer of 1 to 8 bytes, sign-extended (fds, errnos and pids are signed).
    static func signedLittleEndian(_ b: UnsafeRawBufferPointer) -> Int64? {
        guard (1...8).contains(b.count) else { return nil }
        var v: UInt64 = 0
        for (k, x) in b.enumerated() { v |= UInt64(x) << (8 * UInt64(k)) }
        let shift = UInt64(64 - 8 * b.count)
        return Int64(bitPattern: v << shift) >> Int64(shift)
    }

    /// The raw value of a named parameter (`evt.rawarg.NAME`), or nil.
    public func rawArg(named name: String, _ event: Event) -> Int64? {
        if event.kind == .signal {
            let r = SignalRecord(unchecked: event.record)
            switch name {
            case "sig": return Int64(r.signal)
            case "code": return Int64(r.code)
            case "spid": return Int64(r.senderPid)
            case "uid": return Int64(r.senderUid)
            case "status": return Int64(r.status)
            case "addr": return Int64(bitPattern: r.address)
            case "handler": return Int64(bitPattern: r.handler)
            default: return nil
            }
        }
        guard event.kind == .syscall else { return nil }
        let nr = Int(event.syscall.nr)
        guard nr < infos.count, infos[nr] != nil else { return nil }
        // A sysdig capture's event has the parameters of its own table's row, in its direction: a name the
        // row lacks is absent there (an exit has no `flags`, an open's result is `fd`, not `res`).
        if let type = event.syscall.foreignType {
            guard let row = ScapEventTable.info(type), let i = row.index(of: name),
                  i < event.syscall.foreignParameterCount, ScapEventTable.rawargTypes[name]?.isInteger != false else { return nil }
            if i == 0 && !row.isEnter { return event.syscall.ret }
        }
        if name == "res" { return event.syscall.ret }
        guard let i = params[nr].firstIndex(where: { $0.name == name }) else {
            if name == "fd" && infos[nr]!.result == .fd { return event.syscall.ret }
            // A parameter only the other format's row has (a sysdig clone's uid), kept as an item.
            guard let type = event.syscall.foreignType, let k = ScapEventTable.info(type)?.index(of: name),
                  let item = event.syscall.items.first(.foreignInteger, arg: UInt8(truncatingIfNeeded: k)) else { return nil }
            return Self.signedLittleEndian(item.data)
        }
        let raw = event.syscall.arg(i)
        switch params[nr][i].type {
        case .fd, .dirfd, .int, .pid, .uid, .gid: return Int64(Int32(truncatingIfNeeded: raw))
        default: return Int64(bitPattern: raw)
        }
    }
}

extension OutputBuffer {
    /// Appends a string with control characters replaced by `.`.
    @inline(__always) public func appendPrintableString(_ s: String) {
        var s = s
        s.withUTF8 { appendPrintable(UnsafeRawBufferPointer($0)) }
    }
}

extension FdNameRenderer {
    /// sysdig's one-letter fd type (`fd.typechar`).
    @inline(__always)
    public static func typeChar(_ kind: FdKind) -> UInt8 {
        switch kind {
        case .file: return UInt8(ascii: "f")
        case .directory: return UInt8(ascii: "d")
        case .ipv4: return UInt8(ascii: "4")
        case .ipv6: return UInt8(ascii: "6")
        case .unix: return UInt8(ascii: "u")
        case .pipe: return UInt8(ascii: "p")
        case .event: return UInt8(ascii: "e")
        case .signalfd: return UInt8(ascii: "s")
        case .eventpoll: return UInt8(ascii: "l")
        case .inotify: return UInt8(ascii: "i")
        case .timerfd: return UInt8(ascii: "t")
        case .netlink: return UInt8(ascii: "n")
        case .bpf: return UInt8(ascii: "b")
        case .memfd: return UInt8(ascii: "f")
        case .unknown: return UInt8(ascii: "?")
        default: return UInt8(ascii: "o")
        }
    }

    /// The `fd.type` name of a kind.
    public static func typeName(_ kind: FdKind) -> String {
        switch kind {
        case .unknown: return "unknown"
        case .file: return "file"
        case .directory: return "directory"
        case .ipv4: return "ipv4"
        case .ipv6: return "ipv6"
        case .unix: return "unix"
        case .pipe: return "pipe"
        case .event: return "event"
        case .signalfd: return "signalfd"
        case .eventpoll: return "eventpoll"
        case .inotify: return "inotify"
        case .timerfd: return "timerfd"
        case .netlink: return "netlink"
        case .bpf: return "bpf"
        case .userfaultfd: return "userfaultfd"
        case .iouring: return "io_uring"
        case .memfd: return "memfd"
        case .pidfd: return "pidfd"
        case .other: return "other"
        }
    }
}
