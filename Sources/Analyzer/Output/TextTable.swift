/// Aligned text columns, as `kcap stats`, `ps` and `lsof` print them: columns two spaces apart, numbers
/// right-aligned, the last column not padded (no trailing spaces).
public enum TextTable {
    /// The header and rows, one line each, every line starting with `indent`.
    public static func render(header: [String], rows: [[String]], rightAligned: Set<Int>, indent: String = "") -> String {
        render(rows: [header] + rows, rightAligned: rightAligned, indent: indent)
    }

    /// The rows alone (no header), one line each, every line starting with `indent`.
    public static func render(rows: [[String]], rightAligned: Set<Int>, indent: String = "") -> String {
        var widths: [Int] = []
        for r in rows {
            for (i, c) in r.enumerated() {
                if i < widths.count { widths[i] = max(widths[i], c.count) } else { widths.append(c.count) }
            }
        }
        func line(_ cells: [String]) -> String {
            var out = indent
            for (i, c) in cells.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - c.count)
                let cell = rightAligned.contains(i) ? pad + c : (i == cells.count - 1 ? c : c + pad)
                out += (i == 0 ? "" : "  ") + cell
            }
            return out
        }
        return rows.map(line).joined(separator: "\n") + "\n"
    }
}
