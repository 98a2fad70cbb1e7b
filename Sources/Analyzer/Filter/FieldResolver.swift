/// Turns field names as written (`proc.name`, `evt.arg.fd`, `evt.arg[0]`, `proc.aname[2]`) into registry
/// entries and `FieldRef`s. Used by the filter compiler and by `-p` output formats.
public enum FieldResolver {
    /// Resolves a field written in a filter, checking its argument. Unsupported fields resolve (check
    /// `FieldInfo.supported`); unknown names throw `unknownField` with the nearest known name.
    public static func resolve(_ field: FilterFieldName) throws -> (info: FieldInfo, ref: FieldRef) {
        let column = field.column
        if let info = FieldRegistry.info(named: field.name) {
            return (info, try reference(info, bracket: field.bracketArgument, text: field.text, column: column))
        }
        // `evt.arg.NAME` and kin: the longest registered name that prefixes the text, followed by a dot.
        for info in FieldRegistry.all where info.argument == .name || info.argument == .nameOrIndex {
            let prefix = info.name + "."
            guard field.name.hasPrefix(prefix) else { continue }
            let argName = String(field.name.dropFirst(prefix.count))
            guard !argName.isEmpty, field.bracketArgument == nil else {
                throw FilterError(.invalidFieldArgument(field: info.name, argument: field.text), column: column)
            }
            return (info, FieldRef(info.id, argName: argName))
        }
        throw FilterError(.unknownField(field.name, suggestion: EditDistance.nearest(to: field.name, in: FieldRegistry.names)),
                          column: column)
    }

    /// Resolves a field from its text alone (for `-p %field` formats): `proc.aname[2]`, `evt.arg.fd`.
    public static func resolve(_ text: String, column: Int = 1) throws -> (info: FieldInfo, ref: FieldRef) {
        var name = text
        var bracket: String?
        if let open = text.firstIndex(of: "["), text.hasSuffix("]") {
            name = String(text[..<open])
            bracket = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        }
        return try resolve(FilterFieldName(text: text, name: name, bracketArgument: bracket, column: column))
    }

    private static func reference(_ info: FieldInfo, bracket: String?, text: String, column: Int) throws -> FieldRef {
        switch (info.argument, bracket) {
        case (.none, nil), (.optionalIndex, nil):
            return FieldRef(info.id)
        case (.nameOrIndex, let arg?), (.optionalIndex, let arg?):
            // Anything written as an integer is an index, checked against the field's range (never taken
            // as a parameter name, and never trapping or wrapping when too large for Int).
            let digits = arg.trimmingSpaces()
            let unsigned = digits.first == "-" || digits.first == "+" ? digits.dropFirst() : Substring(digits)
            if !unsigned.isEmpty, unsigned.allSatisfy({ $0.isASCII && $0.isNumber }), let range = info.argument.indexRange {
                guard let n = Int(digits), range.contains(n) else {
                    throw FilterError(.fieldIndexOutOfRange(field: info.name, index: digits, range: range), column: column)
                }
                return FieldRef(info.id, index: n)
            }
            if info.argument == .nameOrIndex, !arg.isEmpty, !arg.contains(" ") { return FieldRef(info.id, argName: arg) }
            throw FilterError(.invalidFieldArgument(field: info.name, argument: arg), column: column)
        case (.none, let arg?):
            throw FilterError(.invalidFieldArgument(field: info.name, argument: arg), column: column)
        case (.name, let arg?):
            guard !arg.isEmpty else { throw FilterError(.invalidFieldArgument(field: info.name, argument: ""), column: column) }
            return FieldRef(info.id, argName: arg)
        case (.name, nil), (.nameOrIndex, nil):
            throw FilterError(.invalidFieldArgument(field: info.name, argument: ""), column: column)
        }
    }
}

extension String {
    func trimmingSpaces() -> String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
