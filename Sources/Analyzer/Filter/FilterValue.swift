/// A constant: its text with quotes removed and escapes applied, whether it was quoted, and its column.
public struct FilterValue: Equatable, Sendable, CustomStringConvertible {
    /// The value's text.
    public var text: String
    /// Whether it was written between quotes.
    public var quoted: Bool
    /// Column (1-based) where it starts (its opening quote when quoted).
    public var column: Int

    /// Creates a value.
    public init(text: String, quoted: Bool = false, column: Int) {
        self.text = text; self.quoted = quoted; self.column = column
    }

    /// The value as filter text: bare when that reads back the same, else double-quoted with escapes.
    public var description: String {
        let plain = !text.isEmpty && !text.contains { " \t\n\r(),'\"\\".contains($0) }
        if plain { return text }
        var out = "\""
        for ch in text {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default: out.append(ch)
            }
        }
        return out + "\""
    }
}
