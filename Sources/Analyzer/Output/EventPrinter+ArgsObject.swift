import CaptureFormat
import EventSchema

/// `evt.args` as a JSON object of typed values, for lean JSON lines: the same parameters, names and order as
/// the text `evt.args` (the same print plans), with numbers as JSON numbers (fds, ids, sizes, results) and
/// everything rendered (paths, flags, addresses, buffers) as strings. A parameter with nothing to show is
/// left out, never `null`.
extension EventPrinter {
    /// Keys of an unknown syscall's raw arguments.
    static let rawArgKeys: [StaticString] = ["arg0", "arg1", "arg2", "arg3", "arg4", "arg5"]

    /// NUL-separated strings (an ARGV item) as a JSON array of strings.
    func appendStringArray(_ data: UnsafeRawBufferPointer, to out: OutputBuffer) {
        out.append(UInt8(ascii: "["))
        var n = data.count
        while n > 0, data[n - 1] == 0 { n -= 1 }
        var start = 0
        var i = 0
        while i <= n {
            if i == n || data[i] == 0 {
                if start > 0 { out.append(UInt8(ascii: ",")) }
                out.appendJSONString(UnsafeRawBufferPointer(rebasing: data[start..<i]))
                start = i + 1
            }
            i += 1
        }
        out.append(UInt8(ascii: "]"))
    }

    /// Appends the object, braces included.
    public func appendArgsObject(_ event: Event, scratch: OutputBuffer, to out: OutputBuffer) {
        out.append(UInt8(ascii: "{"))
        var first = true
        func key(_ k: UnsafeRawBufferPointer) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.appendJSONString(k)
            out.append(UInt8(ascii: ":"))
        }
        func key(_ k: StaticString) { key(UnsafeRawBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount)) }
        func number(_ k: StaticString, _ v: Int64) { key(k); out.appendSigned(v) }
        func text(_ k: UnsafeRawBufferPointer, _ body: (OutputBuffer) -> Void) {
            scratch.reset()
            body(scratch)
            guard scratch.count > 0 else { return }
            key(k)
            out.appendJSONString(scratch.bytes)
        }
        func text(_ k: StaticString, _ body: (OutputBuffer) -> Void) {
            text(UnsafeRawBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount), body)
        }

        switch event.kind {
        case .procfork:
            let r = ForkRecord(unchecked: event.record)
            number("child_tid", Int64(r.childTid))
            number("child_pid", Int64(r.childPid))
            text("child_comm") { $0.appendPrintable(r.childCommBytes) }
        case .procexec:
            let r = ExecRecord(unchecked: event.record)
            if let p = r.items.first(.path) { text("filename") { $0.appendPrintable(p.data) } }
            if let a = r.items.first(.argv) {
                key("args")
                appendStringArray(a.data, to: out)
            }
            text("comm") { $0.appendPrintable(r.commBytes) }
            number("ppid", Int64(r.ppid))
            number("uid", Int64(r.uid))
            number("gid", Int64(r.gid))
            if r.oldTid != r.tid { number("old_tid", Int64(r.oldTid)) }
        case .procexit:
            let r = ExitRecord(unchecked: event.record)
            number("status", Int64(r.status))
            if r.signal != 0 { text("sig") { $0.append(symbol(.signal, UInt64(r.signal))) } }
            key("group_dead")
            out.append(r.groupDead ? "true" : "false")
        case .signal:
            let r = SignalRecord(unchecked: event.record)
            for (name, value) in signalArgs(r) {
                switch name {
                case "spid": number("spid", Int64(r.senderPid))
                case "uid": number("uid", Int64(r.senderUid))
                case "status" where r.code == 1: number("status", Int64(r.status))
                default:
                    var n = name
                    n.withUTF8 { k in text(UnsafeRawBufferPointer(k)) { $0.appendPrintableString(value) } }
                }
            }
        case .syscall:
            let r = event.syscall
            let nr = Int(r.nr)
            guard nr >= 0, nr < SyscallEffectTable.size, plans[nr].known else {
                number("res", r.ret)
                for i in 0..<6 {
                    key(Self.rawArgKeys[i])
                    out.appendDecimal(r.arg(i))
                }
                break
            }
            let plan = plans[nr]
            if plan.resultType != .void { number(plan.resultIsFd && !plan.resultKeyIsRes ? "fd" : "res", r.ret) }
            for i in 0..<Int(plan.paramCount) {
                let p = paramPlans[Int(plan.firstParam) + i]
                let name = UnsafeRawBufferPointer(start: nameBytes + Int(p.nameStart), count: Int(p.nameCount))
                let raw = r.arg(i)
                switch p.type {
                case .fd, .dirfd:
                    key(name); out.appendSigned(Int64(Int32(truncatingIfNeeded: raw)))
                case .int, .pid, .uid, .gid:
                    key(name)
                    // As the text prints them: a 32-bit value unless the upper half carries more than a sign.
                    if p.type == .int, raw >> 32 != 0, raw >> 32 != 0xffff_ffff { out.appendSigned(Int64(bitPattern: raw)) }
                    else { out.appendSigned(Int64(Int32(truncatingIfNeeded: raw))) }
                case .size, .uint:
                    key(name); out.appendDecimal(raw)
                case .errno:
                    key(name); out.appendSigned(Int64(bitPattern: raw))
                case .argv:
                    if let a = r.items.first(.argv, arg: UInt8(i)) {
                        key(name)
                        appendStringArray(a.data, to: out)
                    } else {
                        text(name) { appendParam(p.type, index: i, event, to: $0) }
                    }
                case .path, .string:
                    // An empty path is a value (fstatat's ""), not a missing one: shown when the item exists.
                    if let item = r.items.first(.path, arg: UInt8(i)), item.data.isEmpty || item.data.first == 0 {
                        key(name); out.append("\"\"")
                    } else {
                        text(name) { appendParam(p.type, index: i, event, to: $0) }
                    }
                default:
                    text(name) { appendParam(p.type, index: i, event, to: $0) }
                }
            }
            for k in 0..<Int(plan.extraCount) {
                let p = paramPlans[Int(plan.firstParam) + Int(plan.paramCount) + k]
                guard hasExtra(p.type, event) else { continue }
                let name = UnsafeRawBufferPointer(start: nameBytes + Int(p.nameStart), count: Int(p.nameCount))
                text(name) { appendExtra(p.type, event, to: $0) }
            }
            if plan.showsTuple, let t = r.items.first(.tuple), t.data.count >= KcapABI.Tuple.size, let e = event.fdEntry,
               e.kind != .unix {
                text("tuple") { appendFdName(e, to: $0) }
            }
            // The file an open returned or a stat described; `file_` keys, since `uid` or `mode` may be parameters.
            if let file = r.items.first(.inode)?.inode.map(FileIdentity.init) {
                key("file_ino"); out.appendDecimal(file.inode)
                text("file_mode") { $0.append(symbol(.mode, UInt64(file.mode))) }
                number("file_uid", Int64(file.uid))
                number("file_gid", Int64(file.gid))
            }
            if let item = r.items.first(.inode)?.inode {
                if let size = item.size { key("file_size"); out.appendDecimal(size) }
                if let mask = item.statxMask {
                    text("stx_mask") { $0.append(symbol(.statxMask, UInt64(mask))) }
                    text("stx_attributes") { $0.append(symbol(.statxAttributes, item.statxAttributes ?? 0)) }
                }
            }
        }
        out.append(UInt8(ascii: "}"))
    }
}
