/// JSON lines: one object per event with every field kcap knows for it, keys always in the same order,
/// `null` for a value the capture does not know (an fd never seen, a process met only through its records).
public struct JSONSink: EventSink {
    /// The buffer lines go to.
    public let out: OutputBuffer
    /// The shared renderer.
    public let printer: EventPrinter
    /// Absolute wall-clock time or relative to the first event (for `evt.time`).
    public var timeMode: EventPrinter.TimeMode
    private var firstNs: UInt64? = nil
    private let scratch = OutputBuffer()

    /// A sink writing to `out`.
    public init(out: OutputBuffer, printer: EventPrinter, timeMode: EventPrinter.TimeMode = .absolute) {
        self.out = out
        self.printer = printer
        self.timeMode = timeMode
    }

    @inline(__always) func key(_ k: StaticString, first: Bool = false) {
        if !first { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\""))
        out.append(k)
        out.append(UInt8(ascii: "\""), UInt8(ascii: ":"))
    }

    @inline(__always) func string(_ k: StaticString, _ v: String?) {
        key(k)
        if let v { out.appendJSONString(v) } else { out.append("null") }
    }

    @inline(__always) func int(_ k: StaticString, _ v: Int64?) {
        key(k)
        if let v { out.appendSigned(v) } else { out.append("null") }
    }

    /// Renders with `body` into scratch, then writes it as a JSON string.
    @inline(__always) func rendered(_ k: StaticString, _ body: (OutputBuffer) -> Void) {
        key(k)
        scratch.reset()
        body(scratch)
        out.appendJSONString(scratch.bytes)
    }

    func address(_ k: StaticString, _ a: (address: [UInt8], port: UInt16, v6: Bool)?) {
        key(k)
        guard let a else { out.append("null"); return }
        scratch.reset()
        var t = FdTuple()
        t.family = a.v6 ? 10 : 2
        a.address.withUnsafeBytes { t.setAddress($0, remote: false) }
        var bytes: [UInt8] = []
        FdNameRenderer.appendAddress(t, remote: false, to: &bytes)
        bytes.withUnsafeBytes { out.appendJSONString($0) }
    }

    /// Writes one object.
    public mutating func write(_ e: Event) throws(OutputError) {
        if firstNs == nil { firstNs = e.timestampNs }
        let first = firstNs!
        out.append(UInt8(ascii: "{"))
        key("evt.num", first: true); out.appendDecimal(e.number)
        rendered("evt.time") { printer.appendTime(e, mode: timeMode, firstNs: first, to: $0) }
        rendered("evt.datetime") { printer.appendDatetime(e, to: $0) }
        int("evt.rawtime", e.realtimeNs)
        int("evt.reltime", e.relativeTimeNs)
        int("evt.cpu", Int64(e.cpu))
        string("evt.dir", e.isEntry ? ">" : "<")
        key("evt.type"); out.append(UInt8(ascii: "\"")); out.append(e.typeNameBytes); out.append(UInt8(ascii: "\""))
        string("evt.category", e.category)
        string("evt.res", printer.resultText(e))
        int("evt.rawres", e.isSyscall ? e.result : nil)
        key("evt.failed"); out.append(e.failed ? "true" : "false")
        int("evt.latency", e.latencyNs.map { Int64(clamping: $0) })
        int("evt.buflen", e.bufferLength)
        rendered("evt.args") { printer.appendArgs(e, to: $0) }
        int("proc.pid", Int64(e.pid))
        int("proc.ppid", e.ppid.map { Int64($0) })
        string("proc.name", e.procName)
        string("proc.exe", e.exe)
        string("proc.exepath", e.exePath)
        string("proc.args", e.procArgs)
        string("proc.cmdline", e.cmdline)
        string("proc.cwd", e.cwd)
        string("proc.pname", e.ancestor(1).flatMap { e.name(of: $0) })
        int("thread.tid", Int64(e.tid))
        int("user.uid", e.uid.map { Int64($0) })
        int("group.gid", e.gid.map { Int64($0) })
        string("container.id", e.containerID)
        int("fd.num", e.fdNumber)
        string("fd.type", e.fdType)
        string("fd.typechar", e.fdTypeChar)
        key("fd.name")
        if let entry = e.fdEntry, entry.hasName {
            scratch.reset()
            printer.appendFdName(entry, to: scratch)
            out.appendJSONString(scratch.bytes)
        } else { out.append("null") }
        int("fd.ino", e.fdInode.map { Int64(bitPattern: $0) })
        int("fd.dev", e.fdDev.map { Int64($0) })
        int("fd.uid", e.fdUid.map { Int64($0) })
        int("fd.gid", e.fdGid.map { Int64($0) })
        string("fd.mode", e.fdMode)
        string("fd.directory", e.fdDirectory)
        string("fd.filename", e.fdFilename)
        string("fd.l4proto", e.l4proto)
        string("fd.sockfamily", e.sockFamily)
        address("fd.lip", e.endpoint(local: true))
        int("fd.lport", e.endpoint(local: true).map { Int64($0.port) })
        address("fd.rip", e.endpoint(local: false))
        int("fd.rport", e.endpoint(local: false).map { Int64($0.port) })
        address("fd.cip", e.endpoint(server: false))
        int("fd.cport", e.endpoint(server: false).map { Int64($0.port) })
        address("fd.sip", e.endpoint(server: true))
        int("fd.sport", e.endpoint(server: true).map { Int64($0.port) })
        out.append(UInt8(ascii: "}"), UInt8(ascii: "\n"))
        try out.flushIfNeeded()
    }

    /// Flushes.
    public mutating func finish() throws(OutputError) { try out.flush() }
}
