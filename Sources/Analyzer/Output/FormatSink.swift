/// A `-p/--format` with nothing in it (or only the `*`).
public struct EmptyFormat: Error, Equatable, CustomStringConvertible {
    public init() {}
    public var description: String { "the format is empty; give %field placeholders such as '%evt.num %proc.name %evt.type'" }
}

/// `-p/--format` output with sysdig's `%field` placeholders, e.g. `-p '%evt.num %proc.name %fd.name'`.
///
/// Fields are resolved once through the filter registry (the same names as filters). As in sysdig, a line is
/// printed only when every field has a value, unless the format starts with `*`; a missing value then prints
/// as `<NA>`.
public struct FormatSink: EventSink {
    /// One piece of the format.
    enum Piece {
        case literal([UInt8])
        case field(FieldRef, FieldType)
    }

    /// The buffer lines go to.
    public let out: OutputBuffer
    /// The shared renderer.
    public let printer: EventPrinter
    /// `evt.time` mode.
    public var timeMode: EventPrinter.TimeMode
    let pieces: [Piece]
    let printAll: Bool
    private var firstNs: UInt64? = nil
    private let line = OutputBuffer()
    /// Whether the last event was printed (false: it lacked a field and the format does not start with `*`).
    public private(set) var printedLast = true

    /// Parses `format`; throws the filter's `FilterError` (with its column) for an unknown field, and
    /// `EmptyFormat` when there is nothing to print.
    public init(format: String, out: OutputBuffer, printer: EventPrinter, timeMode: EventPrinter.TimeMode = .absolute) throws {
        self.out = out
        self.printer = printer
        self.timeMode = timeMode
        (pieces, printAll) = try Self.parse(format)
    }

    /// The pieces of `format`, and whether it starts with `*` (print events that lack a field).
    static func parse(_ format: String) throws -> (pieces: [Piece], printAll: Bool) {
        var chars = Array(format.utf8)
        var all = false
        if chars.first == UInt8(ascii: "*") { all = true; chars.removeFirst() }
        // An empty format would print one empty line per event: a mistake (an unset shell variable, a lost
        // quote), never a wish.
        if chars.isEmpty { throw EmptyFormat() }
        var pieces: [Piece] = []
        var literal: [UInt8] = []
        var i = 0
        func isFieldChar(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
                || c == UInt8(ascii: "_") || c == UInt8(ascii: ".") || c == UInt8(ascii: "[") || c == UInt8(ascii: "]")
        }
        while i < chars.count {
            let c = chars[i]
            // "\n" and "\t" escapes, as written on a command line.
            if c == UInt8(ascii: "\\"), i + 1 < chars.count, chars[i + 1] == UInt8(ascii: "n") || chars[i + 1] == UInt8(ascii: "t") {
                literal.append(chars[i + 1] == UInt8(ascii: "n") ? 0x0a : 0x09)
                i += 2
                continue
            }
            guard c == UInt8(ascii: "%"), i + 1 < chars.count else { literal.append(c); i += 1; continue }
            if chars[i + 1] == UInt8(ascii: "%") { literal.append(c); i += 2; continue }
            var j = i + 1
            var braces = false
            if chars[j] == UInt8(ascii: "{") { braces = true; j += 1 }
            let start = j
            while j < chars.count, isFieldChar(chars[j]) { j += 1 }
            var end = j
            if !braces { while end > start, chars[end - 1] == UInt8(ascii: ".") { end -= 1 } } // a sentence's full stop
            let name = String(decoding: chars[start..<end], as: UTF8.self)
            if braces { guard j < chars.count, chars[j] == UInt8(ascii: "}") else { throw FilterError(.unexpectedEnd(expected: "}"), column: j + 1) }; j += 1 }
            guard !name.isEmpty else { literal.append(c); i += 1; continue }
            let resolved = try FieldResolver.resolve(name, column: start + 1)
            if !resolved.info.supported { throw FilterError(.unsupportedField(name), column: start + 1) }
            if !literal.isEmpty { pieces.append(.literal(literal)); literal = [] }
            pieces.append(.field(resolved.ref, resolved.info.type))
            i = braces ? j : end
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        return (pieces, all)
    }

    /// Writes one line (or nothing when a field is missing and the format does not start with `*`).
    public mutating func write(_ e: Event) throws(OutputError) {
        if firstNs == nil { firstNs = e.timestampNs }
        line.reset()
        for p in pieces {
            switch p {
            case .literal(let bytes):
                bytes.withUnsafeBytes { line.append($0) }
            case .field(let ref, let type):
                if !printer.appendField(ref, type, e, timeMode: timeMode, firstNs: firstNs ?? 0, to: line) {
                    if !printAll {
                        printedLast = false
                        return
                    }
                    line.append("<NA>")
                }
            }
        }
        line.append(UInt8(ascii: "\n"))
        printedLast = true
        out.append(line.bytes)
        try out.flushIfNeeded()
    }

    /// Flushes.
    public mutating func finish() throws(OutputError) { try out.flush() }
}
