import CaptureFormat
import EventSchema

/// `evt.args` as typed values, for lean JSON lines, the Parquet events table and Perfetto traces: the same
/// parameters, names and order as the text `evt.args` (the same print plans), each under its
/// `ArgumentSchema` key with the key's one type: numbers as numbers (fds, ids, sizes, results, pointers), and
/// everything rendered (paths, symbolic flags, addresses, buffers) as the text prints it. A parameter with
/// nothing to show is left out.
extension EventPrinter {
    /// Hands `event`'s arguments to `v`, in the text's order. `scratch` is where text is rendered.
    @inline(__always)
    public func visitArguments<V: ArgumentVisitor>(_ event: Event, scratch: OutputBuffer, _ v: inout V) {
        let s = argumentSchema
        switch event.kind {
        case .procfork:
            let r = ForkRecord(unchecked: event.record)
            integer(s.childTid, Int64(r.childTid), scratch, &v)
            integer(s.childPid, Int64(r.childPid), scratch, &v)
            text(s.childComm, scratch, &v) { $0.appendPrintable(r.childCommBytes) }
        case .procexec:
            let r = ExecRecord(unchecked: event.record)
            if let p = r.items.first(.path) { text(s.filename, scratch, &v) { $0.appendPrintable(p.data) } }
            if let a = r.items.first(.argv) {
                let argv = Self.trimmingNULs(a.data)
                if argumentKinds[s.args] == .stringList { v.strings(s.args, argv) }
                else { text(s.args, scratch, &v) { appendArgv(argv, to: $0) } }
            }
            text(s.comm, scratch, &v) { $0.appendPrintable(r.commBytes) }
            integer(s.ppid, Int64(r.ppid), scratch, &v)
            integer(s.uid, Int64(r.uid), scratch, &v)
            integer(s.gid, Int64(r.gid), scratch, &v)
            if r.oldTid != r.tid { integer(s.oldTid, Int64(r.oldTid), scratch, &v) }
        case .procexit:
            let r = ExitRecord(unchecked: event.record)
            integer(s.status, Int64(r.status), scratch, &v)
            if r.signal != 0 { text(s.sig, scratch, &v) { $0.append(symbol(.signal, UInt64(r.signal))) } }
            if argumentKinds[s.groupDead] == .boolean { v.boolean(s.groupDead, r.groupDead) }
            else { integer(s.groupDead, r.groupDead ? 1 : 0, scratch, &v) }
        case .signal:
            let r = SignalRecord(unchecked: event.record)
            for (name, value) in signalArgs(r) {
                let key = Int(argumentSchema.key(name))
                guard key >= 0 else { continue }
                switch name {
                case "spid": integer(key, Int64(r.senderPid), scratch, &v)
                case "uid": integer(key, Int64(r.senderUid), scratch, &v)
                // The exit code of CLD_EXITED, the signal number otherwise (the key is an integer everywhere).
                case "status": integer(key, Int64(r.status), scratch, &v)
                default: text(key, scratch, &v) { $0.appendPrintableString(value) }
                }
            }
        case .syscall:
            let r = event.syscall
            let nr = Int(r.nr)
            guard nr >= 0, nr < SyscallEffectTable.size, plans[nr].known else {
                integer(s.res, r.ret, scratch, &v)
                for i in 0..<6 { integer(s.rawArgs[i], Int64(bitPattern: r.arg(i)), scratch, &v) }
                return
            }
            let plan = plans[nr]
            if plan.resultType != .void { integer(plan.resultIsFd && !plan.resultKeyIsRes ? s.fd : s.res, r.ret, scratch, &v) }
            for i in 0..<Int(plan.paramCount) {
                let p = paramPlans[Int(plan.firstParam) + i]
                let key = Int(p.key)
                // The schema gives a key the integer kind only when every parameter of that name is a number.
                if argumentKinds[key] == .integer { v.integer(key, Self.integerValue(p.type, r.arg(i))) }
                else if p.type == .argv, argumentKinds[key] == .stringList {
                    // The recorded strings; left out when the recording has none (the text then shows the
                    // pointer, which is no list).
                    if let a = r.items.first(.argv, arg: UInt8(i)) { v.strings(key, Self.trimmingNULs(a.data)) }
                } else if p.type == .path || p.type == .string {
                    // An empty path is a value (fstatat's ""), not a missing one: shown when the item exists. The
                    // item is looked for only then, not for every path (a second lookup per path slowed the export).
                    if !text(key, scratch, &v, { appendParam(p.type, index: i, event, to: $0) }),
                       r.items.first(.path, arg: UInt8(i)) != nil {
                        v.string(key, UnsafeRawBufferPointer(start: nil, count: 0))
                    }
                } else if p.type.isSymbolic, argumentKinds[key] == .string {
                    v.symbol(key, type: p.type, raw: r.arg(i)) {
                        scratch.reset()
                        appendParam(p.type, index: i, event, to: scratch)
                        return scratch.bytes
                    }
                } else { text(key, scratch, &v) { appendParam(p.type, index: i, event, to: $0) } }
            }
            for k in 0..<Int(plan.extraCount) {
                let p = paramPlans[Int(plan.firstParam) + Int(plan.paramCount) + k]
                guard hasExtra(p.type, event) else { continue }
                text(Int(p.key), scratch, &v) { appendExtra(p.type, event, to: $0) }
            }
            if plan.showsTuple, let t = r.items.first(.tuple), t.data.count >= KcapABI.Tuple.size, let e = event.fdEntry,
               e.kind != .unix {
                text(s.tuple, scratch, &v) { appendFdName(e, to: $0) }
            }
            // The file an open returned or a stat described; `file_` keys, since `uid` or `mode` may be parameters.
            if let file = r.items.first(.inode)?.inode.map(FileIdentity.init) {
                integer(s.fileIno, Int64(bitPattern: file.inode), scratch, &v)
                if argumentKinds[s.fileMode] == .string {
                    v.symbol(s.fileMode, type: .mode, raw: UInt64(file.mode)) {
                        scratch.reset()
                        scratch.append(symbol(.mode, UInt64(file.mode)))
                        return scratch.bytes
                    }
                } else {
                    text(s.fileMode, scratch, &v) { $0.append(symbol(.mode, UInt64(file.mode))) }
                }
                integer(s.fileUid, Int64(file.uid), scratch, &v)
                integer(s.fileGid, Int64(file.gid), scratch, &v)
            }
            if let item = r.items.first(.inode)?.inode {
                if let size = item.size { integer(s.fileSize, Int64(bitPattern: size), scratch, &v) }
                if let mask = item.statxMask {
                    text(s.statxMask, scratch, &v) { $0.append(symbol(.statxMask, UInt64(mask))) }
                    text(s.statxAttributes, scratch, &v) { $0.append(symbol(.statxAttributes, item.statxAttributes ?? 0)) }
                }
            }
        }
    }

    /// A parameter's raw value as its key's integer: fds and 32-bit ids sign-extended from 32 bits (an `int`
    /// that uses the upper half stays whole, as the text prints it), everything else the 64-bit pattern.
    @inline(__always)
    static func integerValue(_ type: ParamType, _ raw: UInt64) -> Int64 {
        switch type {
        case .fd, .dirfd: return Int64(Int32(truncatingIfNeeded: raw))
        case .int, .pid, .uid, .gid:
            if type == .int, raw >> 32 != 0, raw >> 32 != 0xffff_ffff { return Int64(bitPattern: raw) }
            return Int64(Int32(truncatingIfNeeded: raw))
        default: return Int64(bitPattern: raw)
        }
    }

    /// An integer under `key`: the number, or its decimal text when the key holds text.
    @inline(__always)
    private func integer<V: ArgumentVisitor>(_ key: Int, _ value: Int64, _ scratch: OutputBuffer, _ v: inout V) {
        if argumentKinds[key] == .integer { v.integer(key, value) }
        else { text(key, scratch, &v) { $0.appendSigned(value) } }
    }

    /// NUL-separated strings without the NULs that end them.
    @inline(__always)
    static func trimmingNULs(_ data: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var n = data.count
        while n > 0, data[n - 1] == 0 { n -= 1 }
        return UnsafeRawBufferPointer(rebasing: data[0..<n])
    }

    /// Text rendered by `body` under `key`, left out when empty (a one-element list for a list key). Returns
    /// false when nothing was rendered (and nothing handed to `v`).
    @inline(__always) @discardableResult
    private func text<V: ArgumentVisitor>(_ key: Int, _ scratch: OutputBuffer, _ v: inout V, _ body: (OutputBuffer) -> Void) -> Bool {
        scratch.reset()
        body(scratch)
        guard scratch.count > 0 else { return false }
        if argumentKinds[key] == .stringList { v.strings(key, scratch.bytes) } else { v.string(key, scratch.bytes) }
        return true
    }

    /// Appends the arguments as a JSON object, braces included.
    public func appendArgsObject(_ event: Event, scratch: OutputBuffer, to out: OutputBuffer) {
        out.append(UInt8(ascii: "{"))
        var w = JSONArgumentWriter(out: out, schema: argumentSchema)
        visitArguments(event, scratch: scratch, &w)
        out.append(UInt8(ascii: "}"))
    }
}

/// Writes typed arguments as the members of a JSON object (`"fd":3,"path":"/etc/hosts"`).
struct JSONArgumentWriter: ArgumentVisitor {
    let out: OutputBuffer
    let schema: ArgumentSchema
    var first = true

    @inline(__always)
    mutating func key(_ k: Int) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        // Key names are parameter names: letters, digits and `_`, nothing to escape.
        out.append(UInt8(ascii: "\""))
        out.append(schema.name(k))
        out.append(UInt8(ascii: "\""), UInt8(ascii: ":"))
    }

    mutating func integer(_ k: Int, _ value: Int64) {
        key(k)
        out.appendSigned(value)
    }

    mutating func string(_ k: Int, _ value: UnsafeRawBufferPointer) {
        key(k)
        out.appendJSONString(value)
    }

    mutating func boolean(_ k: Int, _ value: Bool) {
        key(k)
        out.append(value ? "true" : "false")
    }

    mutating func strings(_ k: Int, _ list: UnsafeRawBufferPointer) {
        key(k)
        out.append(UInt8(ascii: "["))
        var first = true
        list.forEachNULSeparated { s in
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.appendJSONString(s)
        }
        out.append(UInt8(ascii: "]"))
    }
}
