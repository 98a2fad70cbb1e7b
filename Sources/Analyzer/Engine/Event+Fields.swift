import CaptureFormat
import EventSchema

/// Typed values of the sysdig fields, computed from the event and the tables on request. The filter's
/// `FieldValueSource` conformance and the JSON and `-p` sinks read events through these.
extension Event {
    /// The event table row (nil for an unknown syscall).
    @inline(__always)
    public var info: EventInfo? { engine.names.info(of: self) }

    /// `evt.category`.
    public var category: String { engine.names.category(of: self).rawValue }

    /// True when the event type reads data.
    public var isIORead: Bool { engine.names.flags(of: self).contains(.isIORead) }
    /// True when the event type writes data.
    public var isIOWrite: Bool { engine.names.flags(of: self).contains(.isIOWrite) }

    /// `evt.buflen`: bytes moved by a successful I/O call.
    public var bufferLength: Int64? {
        guard kind == .syscall, !engine.names.flags(of: self).isDisjoint(with: [.isIORead, .isIOWrite]), syscall.ret >= 0 else { return nil }
        return syscall.ret
    }

    /// `evt.buffer`: the data item.
    /// (Another format's event kcap has no row for keeps its text parameters in DATA items: no buffer.)
    public var buffer: UnsafeRawBufferPointer? {
        kind == .syscall && syscall.nr < EventTypeNames.foreignBase ? syscall.items.first(.data)?.data : nil
    }

    /// open flags when the event is an open (nil otherwise).
    var openFlags: UInt32? {
        guard kind == .syscall else { return nil }
        switch engine.effects.effect(UInt16(truncatingIfNeeded: syscall.nr)) {
        case .open: return UInt32(truncatingIfNeeded: syscall.arg(1))
        case .openat: return UInt32(truncatingIfNeeded: syscall.arg(2))
        case .creat: return 0o1101
        case .openat2: return fdEntry?.openFlags
        default: return nil
        }
    }

    /// `evt.is_open_read`.
    public var isOpenRead: Bool { openFlags.map { $0 & 3 == 0 || $0 & 3 == 2 } ?? false }
    /// `evt.is_open_write`.
    public var isOpenWrite: Bool { openFlags.map { $0 & 3 == 1 || $0 & 3 == 2 } ?? false }
    /// `evt.is_open_exec`: creates a file with an execute bit in its mode.
    public var isOpenExec: Bool {
        guard let f = openFlags, f & 0o100 != 0 else { return false }
        let modeArg: Int
        switch engine.effects.effect(UInt16(truncatingIfNeeded: syscall.nr)) {
        case .open: modeArg = 2
        case .openat: modeArg = 3
        case .creat: modeArg = 1
        default: return false
        }
        return syscall.arg(modeArg) & 0o111 != 0
    }

    /// `evt.reltime`: ns since the first event of the capture.
    public var relativeTimeNs: Int64 { Int64(bitPattern: timestampNs &- engine.firstTimestampNs) }

    // MARK: process

    /// `proc.name` (nil when unknown).
    public var procName: String? { thread.comm.isEmpty ? nil : thread.comm }
    /// `proc.ppid` (nil when unknown).
    public var ppid: UInt32? { process.isKnown ? process.ppid : nil }
    /// `proc.exepath`.
    public var exePath: String? { process.exe.isEmpty ? nil : process.exe }
    /// `proc.exe` (argv[0]).
    public var exe: String? { process.args.first ?? exePath }
    /// `proc.args`: arguments after argv[0], space separated.
    public var procArgs: String? {
        guard process.isKnown else { return nil }
        return process.argsText
    }
    /// `proc.cmdline`: name and arguments.
    public var cmdline: String? {
        guard let name = procName else { return nil }
        let rest = process.argsText
        return rest.isEmpty ? name : name + " " + rest
    }
    /// `proc.cwd`.
    public var cwd: String? { process.cwd >= 0 ? engine.paths.string(process.cwd) : nil }
    /// `user.uid`.
    public var uid: UInt32? { process.uid == .max ? nil : process.uid }
    /// `group.gid`.
    public var gid: UInt32? { process.gid == .max ? nil : process.gid }
    /// `container.id`: "host" for a known process outside containers.
    public var containerID: String? {
        if !process.containerID.isEmpty { return process.containerID }
        return process.isKnown ? "host" : nil
    }
    /// The metadata of the event's container (a sysdig capture's container events give it), nil on the host
    /// or when the capture has none.
    public var container: ContainerInfo? {
        process.containerID.isEmpty ? nil : engine.containers[process.containerID]
    }
    /// `container.name`: the container's name when known, else its id; "host" outside containers.
    public var containerName: String? {
        if process.containerID.isEmpty { return process.isKnown ? "host" : nil }
        return container?.name ?? process.containerID
    }
    /// `container.type`: the runtime (docker, cri-o...) when known; "host" outside containers.
    public var containerType: String? {
        if process.containerID.isEmpty { return process.isKnown ? "host" : nil }
        return container?.type
    }
    /// `proc.duration`: ns since the process started.
    public var processDurationNs: Int64? {
        process.startTimeNs == 0 ? nil : Int64(bitPattern: timestampNs &- process.startTimeNs)
    }

    /// The `n`th ancestor (0: the process itself, 1: its parent...), nil past the known tree.
    public func ancestor(_ n: Int) -> ProcessState? {
        var p: ProcessState? = process
        var i = 0
        while i < n, let cur = p {
            guard cur.isKnown, cur.ppid != 0, cur.ppid != cur.pid else { return nil }
            p = engine.threads.process(cur.ppid)
            i += 1
        }
        return p
    }

    /// The comm of a process (its main thread's, or any of its threads').
    public func name(of p: ProcessState) -> String? {
        let c = engine.threads.thread(p.pid)?.comm ?? ""
        return c.isEmpty ? nil : c
    }

    // MARK: fd

    /// `fd.num`.
    public var fdNumber: Int64? { fd == Event.noFd ? nil : Int64(fd) }
    /// `fd.type`.
    public var fdType: String? { fdEntry.map { FdNameRenderer.typeName($0.kind) } }
    /// `fd.typechar`.
    public var fdTypeChar: String? { fdEntry.map { String(UnicodeScalar(FdNameRenderer.typeChar($0.kind))) } }
    /// The file behind the fd (inode, device, mode, owner) when the capture told it: reads and writes get
    /// the inode, owner and mode of the file they touch through this.
    public var fdFile: FileIdentity? {
        guard let e = fdEntry, e.file.inode != 0 else { return nil }
        return e.file
    }
    /// `fd.ino`.
    public var fdInode: UInt64? { fdFile?.inode }
    /// `fd.dev` (kernel dev_t, major << 20 | minor); nil when only a snapshot named the file.
    public var fdDev: UInt32? { fdFile.flatMap { $0.dev == 0 ? nil : $0.dev } }
    /// `fd.uid`; nil when only a snapshot named the file (it gives the inode alone).
    public var fdUid: UInt32? { fdFile.flatMap { $0.uid == .max ? nil : $0.uid } }
    /// `fd.gid`.
    public var fdGid: UInt32? { fdFile.flatMap { $0.gid == .max ? nil : $0.gid } }
    /// `fd.mode`, in octal as the default output prints modes.
    public var fdMode: String? { fdFile.flatMap { $0.mode == 0 ? nil : ArgFormatter.mode(UInt64($0.mode)) } }

    /// `fd.directory`: the directory of a file's path (a directory's own path).
    public var fdDirectory: String? {
        guard let e = fdEntry, e.name >= 0, e.kind == .file || e.kind == .directory || e.kind == .memfd else { return nil }
        let path = engine.paths.string(e.name)
        if e.kind == .directory { return path }
        guard let slash = path.lastIndex(of: "/") else { return nil }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// `fd.filename`: the last component of a file's path.
    public var fdFilename: String? {
        guard let e = fdEntry, e.name >= 0, e.kind == .file || e.kind == .directory || e.kind == .memfd else { return nil }
        let path = engine.paths.string(e.name)
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// The inet tuple of a socket fd, nil for other fds.
    var inetTuple: FdEntry? {
        guard let e = fdEntry, e.kind == .ipv4 || e.kind == .ipv6, e.tuple.family == 2 || e.tuple.family == 10 else { return nil }
        return e
    }

    /// `fd.l4proto`.
    public var l4proto: String? {
        guard let e = fdEntry, e.isSocket, e.kind != .unix else { return nil }
        switch e.tuple.proto {
        case 6: return "tcp"
        case 17: return "udp"
        case 1, 58: return "icmp"
        default: return "raw"
        }
    }

    /// `fd.sockfamily`.
    public var sockFamily: String? {
        guard let e = fdEntry else { return nil }
        switch e.kind {
        case .ipv4, .ipv6: return "ip"
        case .unix: return "unix"
        default: return nil
        }
    }

    /// One end of an inet socket: `local` or remote; `server` picks by role (accepted sockets are servers).
    public func endpoint(local: Bool) -> (address: [UInt8], port: UInt16, v6: Bool)? {
        guard let e = inetTuple else { return nil }
        let v6 = e.tuple.family == 10
        var a = e.tuple.address(remote: !local)
        if !v6 { a = Array(a[0..<4]) }
        return (a, local ? e.tuple.localPort : e.tuple.remotePort, v6)
    }

    /// The server end (`fd.sip`/`fd.sport`): local for an accepted socket, remote for a connected one.
    public func endpoint(server: Bool) -> (address: [UInt8], port: UInt16, v6: Bool)? {
        // A socket with neither address nor port yet (made, not bound or connected) has no role: sysdig gives
        // it no fd.sip/fd.cip (fd.ip, role-free, still reads its ends).
        // Nor does a socket bound to an address with port 0 (the kernel picks the port at connect): it serves
        // nothing yet.
        guard let e = inetTuple, !e.tuple.isEmpty else { return nil }
        let noRemote = e.tuple.remotePort == 0 && e.tuple.remoteHi == 0 && e.tuple.remoteLo == 0
        if noRemote && e.tuple.localPort == 0 && !e.accepted { return nil }
        let serverIsLocal = e.accepted || noRemote
        return endpoint(local: server == serverIsLocal)
    }
}
