/// Lean JSON lines, `kcap read -j`: per event the fields most questions need, in a fixed order, each left out
/// when the capture does not know it (never `null`), and `evt.args` as an object of typed values. About a
/// tenth of `JSONSink`'s every-field lines; DuckDB's `read_json` types it without hints (docs/json.md).
public struct LeanJSONSink: EventSink {
    /// The buffer lines go to.
    public let out: OutputBuffer
    /// The shared renderer.
    public let printer: EventPrinter
    private let scratch = OutputBuffer()
    private let argScratch = OutputBuffer()

    /// A sink writing to `out`.
    public init(out: OutputBuffer, printer: EventPrinter) {
        self.out = out
        self.printer = printer
    }

    @inline(__always) private func key(_ k: StaticString) {
        out.append(UInt8(ascii: ","))
        out.append(UInt8(ascii: "\""))
        out.append(k)
        out.append(UInt8(ascii: "\""), UInt8(ascii: ":"))
    }

    /// Writes one object.
    public mutating func write(_ e: Event) throws(OutputError) {
        out.append("{\"evt.num\":")
        out.appendDecimal(e.number)
        key("evt.time")
        out.append(UInt8(ascii: "\""))
        printer.appendISOTime(e, to: out)
        out.append(UInt8(ascii: "\""))
        key("evt.cpu"); out.appendDecimal(UInt64(e.cpu))
        key("evt.type"); out.append(UInt8(ascii: "\"")); out.append(e.typeNameBytes); out.append(UInt8(ascii: "\""))
        // A sysdig capture's entry events (kcap's recorder writes exits only, so its lines never have it).
        if e.isEntry { key("evt.dir"); out.append("\">\"") }
        if let res = printer.resultText(e) { key("evt.res"); out.appendJSONString(res) }
        if let l = e.latencyNs { key("evt.latency"); out.appendSigned(Int64(clamping: l)) }
        if let name = e.procName { key("proc.name"); out.appendJSONString(name) }
        key("proc.pid"); out.appendDecimal(UInt64(e.pid))
        key("thread.tid"); out.appendDecimal(UInt64(e.tid))
        if let fd = e.fdNumber { key("fd.num"); out.appendSigned(fd) }
        if let entry = e.fdEntry, entry.hasName {
            key("fd.name")
            scratch.reset()
            printer.appendFdName(entry, to: scratch)
            out.appendJSONString(scratch.bytes)
        }
        key("evt.args")
        printer.appendArgsObject(e, scratch: argScratch, to: out)
        out.append(UInt8(ascii: "}"), UInt8(ascii: "\n"))
        try out.flushIfNeeded()
    }

    /// Flushes.
    public mutating func finish() throws(OutputError) { try out.flush() }
}
