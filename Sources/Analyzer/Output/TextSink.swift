/// The default output, one line per event in the spirit of `sysdig -r`:
/// `evt.num evt.time evt.cpu proc.name (thread.tid) evt.dir evt.type evt.args` (with `evt.host` before
/// `evt.cpu` when the capture holds several hosts), e.g.
/// `5 10:00:00.000001000 0 cat (100) < openat fd=3(<f>/etc/hosts) dirfd=-100(AT_FDCWD) name=/etc/hosts ...`.
/// A kcap capture's events are exits (`<`) carrying the enter arguments (kcap records each syscall once, at its
/// exit); a sysdig capture also has entries (`>`).
public struct TextSink: EventSink {
    /// The buffer lines go to.
    public let out: OutputBuffer
    /// The shared renderer.
    public let printer: EventPrinter
    /// Absolute wall-clock time or relative to the first event.
    public var timeMode: EventPrinter.TimeMode
    private var firstNs: UInt64? = nil

    /// A sink writing to `out`.
    public init(out: OutputBuffer, printer: EventPrinter, timeMode: EventPrinter.TimeMode = .absolute) {
        self.out = out
        self.printer = printer
        self.timeMode = timeMode
    }

    /// Writes one line.
    public mutating func write(_ event: Event) throws(OutputError) {
        if firstNs == nil { firstNs = event.timestampNs }
        out.appendDecimal(event.number)
        out.append(UInt8(ascii: " "))
        printer.appendTime(event, mode: timeMode, firstNs: firstNs!, to: out)
        out.append(UInt8(ascii: " "))
        // A capture of several hosts: the event's host before its CPU.
        if event.engine.hostCount > 1 {
            out.append(event.engine.hostName)
            out.append(UInt8(ascii: " "))
        }
        out.appendDecimal(UInt64(event.cpu))
        out.append(UInt8(ascii: " "))
        printer.appendComm(event, to: out)
        out.append(UInt8(ascii: " "), UInt8(ascii: "("))
        out.appendDecimal(UInt64(event.tid))
        out.append(UInt8(ascii: ")"))
        // Two static strings, not one chosen: a chosen literal is a String, appended through retain and release.
        if event.isEntry { out.append(" > ") } else { out.append(" < ") }
        out.append(event.typeNameBytes)
        out.append(UInt8(ascii: " "))
        printer.appendArgs(event, to: out, raw: true)
        out.append(UInt8(ascii: "\n"))
        try out.flushIfNeeded()
    }

    /// Flushes.
    public mutating func finish() throws(OutputError) { try out.flush() }
}
