/// JSON lines of the fields a user chose: `kcap read -j --json-fields evt.num,proc.name,evt.args`, or the
/// fields of a format, `kcap read -j -p '%evt.num %proc.name'` (its text between fields is dropped). One object
/// per event, its keys the fields as written, in their order, each typed as docs/json.md says: numbers and
/// booleans as such, `evt.time` in ISO 8601, `evt.args` as the object of typed arguments, everything else as
/// the text `-p` prints. A field the event lacks is left out (never `null`); a format that does not start with
/// `*` skips such events instead, as `-p` does; a `--json-fields` list writes every event.
public struct FieldsJSONSink: EventSink {
    /// One chosen field: its key (the name as written, quoted), and how it is read.
    struct Field {
        var key: [UInt8]
        var ref: FieldRef
        var type: FieldType
    }

    /// The buffer lines go to.
    public let out: OutputBuffer
    /// The shared renderer.
    public let printer: EventPrinter
    let fields: [Field]
    let printAll: Bool
    private let line = OutputBuffer()
    private let scratch = OutputBuffer()
    private let argScratch = OutputBuffer()

    /// The fields of `format` (a `-p` format); throws as `FormatSink` does for an unknown field or an empty
    /// format.
    public init(format: String, out: OutputBuffer, printer: EventPrinter) throws {
        self.out = out
        self.printer = printer
        let (pieces, all) = try FormatSink.parse(format)
        printAll = all
        fields = pieces.compactMap {
            guard case .field(let ref, let type) = $0 else { return nil }
            return Field(key: Array("\"\(ref)\":".utf8), ref: ref, type: type)
        }
    }

    /// The fields of a `--json-fields` list (`evt.num,proc.name`): every event is written, the fields it lacks
    /// left out. Throws the filter's `FilterError` (its column in the list) for an unknown field.
    public init(fieldList: String, out: OutputBuffer, printer: EventPrinter) throws {
        self.out = out
        self.printer = printer
        printAll = true
        var fields: [Field] = []
        var column = 1
        for part in fieldList.split(separator: ",", omittingEmptySubsequences: false) {
            let name = part.trimmingCharacters(in: .whitespaces)
            let at = column + (part.prefix { $0 == " " }.count)
            column += part.count + 1
            guard !name.isEmpty else { continue }
            let resolved = try FieldResolver.resolve(name, column: at)
            if !resolved.info.supported { throw FilterError(.unsupportedField(name), column: at) }
            fields.append(Field(key: Array("\"\(resolved.ref)\":".utf8), ref: resolved.ref, type: resolved.info.type))
        }
        if fields.isEmpty { throw EmptyFormat() }
        self.fields = fields
    }

    /// Writes one object (or nothing, when a field is missing and the format does not start with `*`).
    public mutating func write(_ e: Event) throws(OutputError) {
        line.reset()
        line.append(UInt8(ascii: "{"))
        var first = true
        for f in fields {
            let mark = line.count
            if !first { line.append(UInt8(ascii: ",")) }
            f.key.withUnsafeBytes { line.append($0) }
            if value(f, e) {
                first = false
            } else {
                if !printAll { return }
                line.truncate(to: mark)
            }
        }
        line.append(UInt8(ascii: "}"), UInt8(ascii: "\n"))
        out.append(line.bytes)
        try out.flushIfNeeded()
    }

    /// Appends `f`'s value as JSON; false when the event has none.
    private func value(_ f: Field, _ e: Event) -> Bool {
        switch f.ref.id {
        case .evtTime:
            line.append(UInt8(ascii: "\""))
            printer.appendISOTime(e, to: line)
            line.append(UInt8(ascii: "\""))
            return true
        case .evtArgs:
            printer.appendArgsObject(e, scratch: argScratch, to: line)
            return true
        default:
            break
        }
        if f.type.isNumeric {
            guard let v = e.int(f.ref, printer) else { return false }
            if f.type == .bool { line.append(v != 0 ? "true" : "false") } else { line.appendSigned(v) }
            return true
        }
        scratch.reset()
        guard printer.appendField(f.ref, f.type, e, timeMode: .absolute, firstNs: 0, to: scratch) else { return false }
        line.appendJSONString(scratch.bytes)
        return true
    }

    /// Flushes.
    public mutating func finish() throws(OutputError) { try out.flush() }
}
