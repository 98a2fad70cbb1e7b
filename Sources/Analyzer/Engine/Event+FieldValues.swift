import CaptureFormat
import EventSchema

/// The field values the filter language and `-p` formats read (through `EventFields`, which adds the printer
/// for the fields that print): numbers straight from the record and the tables, names as bytes from the path
/// pool and the type-name table (no String per event for `fd.name`, `evt.type`), other strings made on request.
extension Event {
    /// `evt.type` code for `FilterCompiler.eventTypeCodes`: the syscall number, or 1000 + record kind for
    /// process events.
    @inline(__always)
    public var typeCode: Int64 { kind == .syscall ? Int64(syscall.nr) : 1000 + Int64(kind.rawValue) }

    /// The codes an `evt.type` name stands for on `machine` ([] for a name the table does not know).
    public static func typeCodes(machine: String) -> (String) -> [Int64] {
        let arch = SyscallArch(machine: machine) ?? .x86_64
        return { name in
            switch name {
            case "procfork": return [1000 + Int64(Kind.procfork.rawValue)]
            case "procexec": return [1000 + Int64(Kind.procexec.rawValue)]
            case "procexit": return [1000 + Int64(Kind.procexit.rawValue)]
            // kcap's own signal deliveries, and a sysdig capture's (an event of its table only).
            case "signaldeliver": return [1000 + Int64(Kind.signal.rawValue)] + EventTypeNames.foreignCodes(named: name)
            default: break
            }
            if let nr = EventTable.info(named: name)?.number(on: arch) { return [Int64(nr)] }
            if name.hasPrefix("syscall_"), let nr = Int64(name.dropFirst(8)) { return [nr] }
            // Events only other recorders have (a sysdig capture's switch, signaldeliver...).
            return EventTypeNames.foreignCodes(named: name)
        }
    }

    /// Numeric fields; `printer` resolves `evt.rawarg.NAME`.
    @inline(__always)
    func int(_ field: FieldRef, _ printer: EventPrinter) -> Int64? {
        switch field.id {
        case .evtType: return typeCode
        case .evtNum: return Int64(number)
        case .evtRawtime: return realtimeNs
        case .evtReltime: return relativeTimeNs
        case .evtCPU: return Int64(cpu)
        case .evtRawarg:
            if !field.argName.isEmpty { return printer.rawArg(named: field.argName, self) }
            guard kind == .syscall, field.index >= 0, field.index < 6 else { return nil }
            return Int64(bitPattern: syscall.arg(field.index))
        case .evtRawres: return kind == .syscall ? syscall.ret : nil
        case .evtFailed: return failed ? 1 : 0
        case .containerPrivileged: return container?.privileged.map { $0 ? 1 : 0 }
        case .fdNameChanged: return fdEntry == nil ? nil : (fdNameChanged ? 1 : 0)
        case .evtLatency: return latencyNs.map { Int64(clamping: $0) }
        case .evtIsIO: return isIORead || isIOWrite ? 1 : 0
        case .evtIsIORead: return isIORead ? 1 : 0
        case .evtIsIOWrite: return isIOWrite ? 1 : 0
        case .evtIsOpenRead: return isOpenRead ? 1 : 0
        case .evtIsOpenWrite: return isOpenWrite ? 1 : 0
        case .evtIsOpenExec: return isOpenExec ? 1 : 0
        case .evtBuflen: return bufferLength
        // pid 0 of a thread nobody listed (a sysdig capture's unknown tid; kcap's recorder never has one): none.
        case .procPid: return pid == 0 && !process.isKnown ? nil : Int64(pid)
        case .procPpid: return ppid.map { Int64($0) }
        case .procApid:
            guard let p = ancestor(max(field.index, 0)), p.isKnown || field.index == 0 else { return nil }
            return Int64(p.pid)
        case .procDuration: return processDurationNs
        case .threadTid, .threadVtid: return Int64(tid)
        case .threadIsmain: return tid == pid ? 1 : 0
        case .fdNum: return fdNumber
        case .fdSport, .fdDport: return endpoint(server: true).map { Int64($0.port) }
        case .fdCport: return endpoint(server: false).map { Int64($0.port) }
        case .fdLport: return endpoint(local: true).map { Int64($0.port) }
        case .fdRport: return endpoint(local: false).map { Int64($0.port) }
        case .userUid: return uid.map { Int64($0) }
        case .groupGid: return gid.map { Int64($0) }
        case .fdIno: return fdInode.map { Int64(bitPattern: $0) }
        case .fdDev: return fdDev.map { Int64($0) }
        case .fdDevMajor: return fdDev.map { Int64($0 >> 20) }
        case .fdDevMinor: return fdDev.map { Int64($0 & 0xfffff) }
        case .fdUid: return fdUid.map { Int64($0) }
        case .fdGid: return fdGid.map { Int64($0) }
        default: return nil
        }
    }

    /// String fields; `printer` renders the ones that print (`evt.args`, `evt.arg.NAME`, `evt.time`, `evt.res`).
    func string(_ field: FieldRef, _ printer: EventPrinter) -> String? {
        switch field.id {
        case .evtType: return typeName
        case .evtNum, .evtCPU, .evtRawtime, .evtReltime, .evtRawres, .evtLatency, .evtBuflen, .procPid, .procPpid,
             .threadTid, .threadVtid, .fdNum, .userUid, .groupGid, .fdSport, .fdDport, .fdCport, .fdLport, .fdRport,
             .procDuration, .procApid, .fdDev, .fdDevMajor, .fdDevMinor, .fdUid, .fdGid:
            return int(field, printer).map { String($0) }
        case .fdIno: return fdInode.map { String($0) }
        case .evtFailed, .evtIsIO, .evtIsIORead, .evtIsIOWrite, .evtIsOpenRead, .evtIsOpenWrite, .evtIsOpenExec,
             .threadIsmain, .containerPrivileged, .fdNameChanged:
            return int(field, printer).map { $0 != 0 ? "true" : "false" }
        case .evtTime, .evtDatetime, .evtArgs, .evtArg, .fdName:
            let out = OutputBuffer()
            switch field.id {
            case .evtTime: printer.appendTime(self, mode: .absolute, firstNs: 0, to: out)
            case .evtDatetime: printer.appendDatetime(self, to: out)
            case .evtArgs: printer.appendArgs(self, to: out)
            case .fdName:
                guard let e = fdEntry, e.hasName else { return nil }
                printer.appendFdName(e, to: out)
            default:
                if !field.argName.isEmpty {
                    guard printer.appendArg(named: field.argName, self, to: out) else { return nil }
                } else {
                    guard let info = printer.info(self), kind == .syscall, field.index >= 0,
                          field.index < info.params.count else { return nil }
                    guard printer.appendArg(named: info.params[field.index].name, self, to: out) else { return nil }
                }
            }
            return out.string
        case .evtRawarg: return int(field, printer).map { String($0) }
        case .evtDir: return isEntry ? ">" : "<"
        case .evtRes: return printer.resultText(self)
        case .evtCategory: return category
        case .evtSource: return "syscall"
        case .evtHost, .hostName:
            let h = engine.hostName
            return h.isEmpty ? nil : h
        case .evtBuffer: return buffer.map { String(decoding: $0, as: UTF8.self) }
        case .procName: return procName
        case .userName: return uid.flatMap { engine.userNames[$0] }
        case .groupName: return gid.flatMap { engine.groupNames[$0] }
        case .procPname: return ancestor(1).flatMap { name(of: $0) }
        case .procAname:
            guard let p = ancestor(max(field.index, 0)) else { return nil }
            return field.index <= 0 ? procName : name(of: p)
        case .procExe: return exe
        case .procExepath: return exePath
        case .procCmdline: return cmdline
        case .procArgs: return procArgs
        case .procCwd: return cwd
        case .fdType: return fdType
        case .fdTypechar: return fdTypeChar
        case .fdDirectory: return fdDirectory
        case .fdFilename: return fdFilename
        case .fdMode: return fdMode
        case .fdL4proto: return l4proto
        case .fdSockfamily: return sockFamily
        case .fdSip, .fdDip, .fdCip, .fdLip, .fdRip: return ip(field)?.description
        case .containerID: return containerID
        case .containerName: return containerName
        case .containerImage: return container?.image
        case .containerType: return containerType
        default: return nil
        }
    }

    /// Address fields.
    func ip(_ field: FieldRef) -> IPAddress? {
        let end: (address: [UInt8], port: UInt16, v6: Bool)?
        switch field.id {
        case .fdSip, .fdDip: end = endpoint(server: true)
        case .fdCip: end = endpoint(server: false)
        case .fdLip: end = endpoint(local: true)
        case .fdRip: end = endpoint(local: false)
        default: return nil
        }
        guard let end else { return nil }
        return IPAddress(bytes: end.address)
    }

    /// String and bytes fields as bytes; `fd.name` of a file and `evt.type` without making a String.
    @inline(__always)
    func withBytes(_ field: FieldRef, _ printer: EventPrinter, _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool? {
        switch field.id {
        case .fdName:
            guard let e = fdEntry else { return nil }
            if e.name >= 0, !(e.isSocket && e.kind != .unix) { return engine.paths.withBytes(e.name, body) }
            guard var s = string(field, printer) else { return nil }
            return s.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        case .evtType:
            return body(typeNameBytes)
        case .evtBuffer:
            guard let b = buffer else { return nil }
            return body(b)
        case .procName:
            let c = thread.comm
            if c.isEmpty { return nil }
            if let r = c.utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return r }
            var copy = c
            return copy.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        default:
            guard var s = string(field, printer) else { return nil }
            return s.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        }
    }
}
