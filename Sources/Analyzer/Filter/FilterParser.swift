// The filter language, in EBNF (ISO 14977: "," sequence, "|" choice, "{ }" repetition, "[ ]" option).
// Whitespace (space, tab, CR, LF) may appear between any two tokens.
//
//   filter       = expression , end ;
//   expression   = and-expr , { "or" , and-expr } ;
//   and-expr     = unary , { "and" , unary } ;
//   unary        = "not" , unary | primary ;
//   primary      = "(" , expression , ")" | comparison ;
//   comparison   = field , ( unary-op | list-op , list | binary-op , value ) ;
//   unary-op     = "exists" ;
//   list-op      = "in" | "pmatch" | "intersects" ;
//   binary-op    = "=" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "contains" | "icontains" | "bcontains"
//                | "startswith" | "bstartswith" | "endswith" | "glob" | "iglob" | "regex" ;
//   list         = "(" , value , { "," , value } , ")" ;
//   value        = quoted | bare ;
//   quoted       = "'" , { char - "'" | escape } , "'" | '"' , { char - '"' | escape } , '"' ;
//   escape       = "\" , ( "\" | '"' | "'" | "n" | "t" | "r" | "b" | "f" | "x" , hex , hex ) ;
//   bare         = bare-start , { bare-char } ;
//   bare-start   = bare-char - ( "'" | '"' ) ;
//   bare-char    = char - ( whitespace | "(" | ")" ) ;   (* inside a list, "," too *)
//   field        = letter , { letter | digit | "_" | "." } , [ "[" , { char - "]" } , "]" ] ;
//
// Keywords ("and", "or", "not") and word operators are lower case, as sysdig accepts them, and end at the
// first character that cannot continue a name. In quotes, `\xHH` is the character U+00HH, and a backslash
// before any character not listed under `escape` is kept as written, so regular expressions such as '\d+'
// need no doubling. Newer falcosecurity syntax that kcap does not
// implement (list modifiers `oneof`/`anyof`/`allof`, transformers such as `tolower(...)`, `val(field)`)
// is recognised and reported as unsupported by name rather than as a syntax error.

/// Parses filter text into a `FilterExpression`. Pure: no field is resolved here (the compiler does that),
/// so every syntactically valid sysdig filter parses whatever fields it names.
public struct FilterParser {
    private let text: [Unicode.Scalar]
    private var pos = 0
    /// Current nesting of parentheses and `not`s: the parser recurses on them, so a hostile filter of
    /// thousands of '(' must get an error rather than overflow the stack.
    private var depth = 0

    /// Deepest nesting of parentheses and `not` accepted.
    public static let maxDepth = 200

    /// Transformer names of newer falcosecurity libs, reported as unsupported when used.
    static let transformers: Set<String> = ["tolower", "toupper", "b64", "basename", "len", "concat", "join", "val"]
    /// List modifiers of newer falcosecurity libs (`= oneof (a, b)`), reported as unsupported.
    static let listModifiers: Set<String> = ["oneof", "anyof", "allof"]

    private init(_ text: String) {
        self.text = Array(text.unicodeScalars)
    }

    /// Parses a whole filter; throws `FilterError` with the column of the first problem.
    public static func parse(_ text: String) throws -> FilterExpression {
        var parser = FilterParser(text)
        parser.skipSpace()
        if parser.atEnd { throw FilterError(.unexpectedEnd(expected: "a field"), column: 1) }
        let expr = try parser.parseExpression()
        parser.skipSpace()
        if !parser.atEnd {
            if parser.peek == ")" {
                throw FilterError(.unexpectedToken(")", expected: "'and', 'or' or end of filter (no '(' to close)"),
                                  column: parser.column)
            }
            let token = parser.tokenText()
            let hint = ["and", "or", "not"].contains(token.lowercased()) ? " (keywords are lower case)" : ""
            throw FilterError(.unexpectedToken(token, expected: "'and', 'or' or end of filter" + hint),
                              column: parser.column)
        }
        return expr
    }

    // MARK: grammar rules

    private mutating func parseExpression() throws -> FilterExpression {
        var terms = [try parseAnd()]
        while true {
            skipSpace()
            guard takeKeyword("or") else { break }
            terms.append(try parseAnd())
        }
        return terms.count == 1 ? terms[0] : .or(terms.flatMap { if case .or(let xs) = $0 { return xs } else { return [$0] } })
    }

    private mutating func parseAnd() throws -> FilterExpression {
        var terms = [try parseUnary()]
        while true {
            skipSpace()
            guard takeKeyword("and") else { break }
            terms.append(try parseUnary())
        }
        return terms.count == 1 ? terms[0] : .and(terms.flatMap { if case .and(let xs) = $0 { return xs } else { return [$0] } })
    }

    private mutating func parseUnary() throws -> FilterExpression {
        skipSpace()
        let startColumn = column
        if takeKeyword("not") {
            try enter(column: startColumn)
            defer { depth -= 1 }
            return .not(try parseUnary())
        }
        return try parsePrimary()
    }

    private mutating func enter(column: Int) throws {
        depth += 1
        if depth > FilterParser.maxDepth { throw FilterError(.nestingTooDeep(limit: FilterParser.maxDepth), column: column) }
    }

    private mutating func parsePrimary() throws -> FilterExpression {
        skipSpace()
        guard let c = peek else { throw FilterError(.unexpectedEnd(expected: "a field, 'not' or '('"), column: column) }
        if c == "(" {
            let open = column
            try enter(column: open)
            defer { depth -= 1 }
            pos += 1
            let inner = try parseExpression()
            skipSpace()
            guard let close = peek else { throw FilterError(.missingCloseParenthesis, column: open) }
            guard close == ")" else {
                throw FilterError(.unexpectedToken(tokenText(), expected: "'and', 'or' or ')'"), column: column)
            }
            pos += 1
            return inner
        }
        return .comparison(try parseComparison())
    }

    private mutating func parseComparison() throws -> FilterComparison {
        let field = try parseField()
        skipSpace()
        let opColumn = column
        guard let c = peek else {
            throw FilterError(.unexpectedEnd(expected: "an operator after '\(field.text)'"), column: opColumn)
        }
        let op: FilterOperator
        if FilterParser.isLetter(c) {
            let word = readWhile { FilterParser.isNameChar($0) }
            guard let found = FilterOperator.words.first(where: { $0.rawValue == word }) else {
                if word == "and" || word == "or" || word == "not" {
                    throw FilterError(.unexpectedToken(word, expected: "an operator after '\(field.text)'"), column: opColumn)
                }
                let all = FilterOperator.allCases.map(\.spelling)
                throw FilterError(.unknownOperator(word, suggestion: EditDistance.nearest(to: word, in: all)),
                                  column: opColumn)
            }
            op = found
        } else if let found = FilterOperator.symbols.first(where: { matches($0.rawValue) }) {
            pos += found.rawValue.unicodeScalars.count
            op = found
        } else {
            throw FilterError(.unexpectedToken(tokenText(), expected: "an operator after '\(field.text)'"),
                              column: opColumn)
        }
        if op.isUnary { return FilterComparison(field: field, op: op, opColumn: opColumn, operand: .none) }
        skipSpace()
        try rejectNewerOperandSyntax()
        if op.takesList {
            return FilterComparison(field: field, op: op, opColumn: opColumn, operand: .list(try parseList(after: op)))
        }
        return FilterComparison(field: field, op: op, opColumn: opColumn, operand: .value(try parseValue(inList: false)))
    }

    private mutating func parseField() throws -> FilterFieldName {
        let start = pos, startColumn = column
        guard let c = peek, FilterParser.isLetter(c) else {
            throw FilterError(.unexpectedToken(tokenText(), expected: "a field, 'not' or '('"), column: column)
        }
        let name = readWhile { FilterParser.isNameChar($0) || $0 == "." }
        if peek == "(" {
            if FilterParser.transformers.contains(name) {
                throw FilterError(.unsupportedSyntax("transformer '\(name)()'"), column: startColumn)
            }
            throw FilterError(.unexpectedToken("(", expected: "an operator after '\(name)'"), column: column)
        }
        var argument: String?
        if peek == "[" {
            let open = column
            pos += 1
            var arg = readWhile { $0 != "]" }
            guard peek == "]" else { throw FilterError(.unexpectedEnd(expected: "']' closing the '[' at column \(open)"), column: column) }
            pos += 1
            // sysdig also accepts a quoted argument: evt.arg['fd'].
            if arg.count >= 2, let q = arg.first, q == "'" || q == "\"", arg.last == q { arg = String(arg.dropFirst().dropLast()) }
            argument = arg
        }
        return FilterFieldName(text: String(String.UnicodeScalarView(text[start..<pos])), name: name,
                               bracketArgument: argument, column: startColumn)
    }

    /// Newer falcosecurity operand syntax, named so users know it is a kcap limit rather than their typo.
    private mutating func rejectNewerOperandSyntax() throws {
        guard let c = peek, FilterParser.isLetter(c) else { return }
        let save = pos
        let word = readWhile { FilterParser.isNameChar($0) }
        let next = peek
        pos = save
        if FilterParser.listModifiers.contains(word), next == nil || next == "(" || next!.properties.isWhitespace {
            throw FilterError(.unsupportedSyntax("list modifier '\(word)'"), column: column)
        }
        if word == "val", next == "(" {
            throw FilterError(.unsupportedSyntax("field comparison 'val()'"), column: column)
        }
    }

    private mutating func parseList(after op: FilterOperator) throws -> [FilterValue] {
        guard let c = peek else { throw FilterError(.unexpectedEnd(expected: "'(' and a list after '\(op.spelling)'"), column: column) }
        guard c == "(" else {
            throw FilterError(.unexpectedToken(tokenText(), expected: "'(' and a list after '\(op.spelling)'"), column: column)
        }
        let open = column
        pos += 1
        skipSpace()
        if peek == ")" { throw FilterError(.emptyList, column: open) }
        var values: [FilterValue] = []
        while true {
            skipSpace()
            values.append(try parseValue(inList: true))
            skipSpace()
            guard let next = peek else { throw FilterError(.missingCloseParenthesis, column: open) }
            if next == "," { pos += 1; continue }
            if next == ")" { pos += 1; return values }
            throw FilterError(.unexpectedToken(tokenText(), expected: "',' or ')'"), column: column)
        }
    }

    private mutating func parseValue(inList: Bool) throws -> FilterValue {
        let startColumn = column
        guard let c = peek else { throw FilterError(.unexpectedEnd(expected: "a value"), column: startColumn) }
        if c == "'" || c == "\"" { return try parseQuoted(quote: c) }
        if c == "(" || c == ")" || (inList && c == ",") {
            throw FilterError(.unexpectedToken(String(c), expected: "a value"), column: startColumn)
        }
        let bare = readWhile { ch in
            !(ch.properties.isWhitespace || ch == "(" || ch == ")" || (inList && ch == ","))
        }
        return FilterValue(text: bare, quoted: false, column: startColumn)
    }

    private mutating func parseQuoted(quote: Unicode.Scalar) throws -> FilterValue {
        let startColumn = column
        pos += 1
        var out = String.UnicodeScalarView()
        while let c = peek {
            pos += 1
            if c == quote { return FilterValue(text: String(out), quoted: true, column: startColumn) }
            guard c == "\\", let e = peek else { out.append(c); continue }
            pos += 1
            switch e {
            case "\\", "\"", "'": out.append(e)
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "x":
                if pos + 1 < text.count, let hi = FilterParser.hexValue(text[pos]), let lo = FilterParser.hexValue(text[pos + 1]) {
                    out.append(Unicode.Scalar(UInt8(hi << 4 | lo)))
                    pos += 2
                } else {
                    out.append("\\"); out.append(e)
                }
            default:
                out.append("\\"); out.append(e)
            }
        }
        throw FilterError(.unterminatedString, column: startColumn)
    }

    // MARK: scanning helpers

    private var atEnd: Bool { pos >= text.count }
    private var peek: Unicode.Scalar? { pos < text.count ? text[pos] : nil }
    /// 1-based column of the next character.
    private var column: Int { pos + 1 }

    private mutating func skipSpace() {
        while let c = peek, c.properties.isWhitespace { pos += 1 }
    }

    private mutating func readWhile(_ accept: (Unicode.Scalar) -> Bool) -> String {
        let start = pos
        while let c = peek, accept(c) { pos += 1 }
        return String(String.UnicodeScalarView(text[start..<pos]))
    }

    private func matches(_ s: String) -> Bool {
        var i = pos
        for u in s.unicodeScalars {
            guard i < text.count, text[i] == u else { return false }
            i += 1
        }
        return true
    }

    /// Consumes `word` when it stands alone (not the start of a longer name).
    private mutating func takeKeyword(_ word: String) -> Bool {
        guard matches(word) else { return false }
        let end = pos + word.unicodeScalars.count
        if end < text.count, FilterParser.isNameChar(text[end]) || text[end] == "." { return false }
        pos = end
        return true
    }

    /// The token at the current position, for error messages: a name, or one character.
    private func tokenText() -> String {
        guard let c = peek else { return "" }
        var i = pos
        if FilterParser.isNameChar(c) {
            while i < text.count, FilterParser.isNameChar(text[i]) || text[i] == "." { i += 1 }
        } else {
            i += 1
        }
        return String(String.UnicodeScalarView(text[pos..<i]))
    }

    private static func isLetter(_ c: Unicode.Scalar) -> Bool { (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") }
    private static func isNameChar(_ c: Unicode.Scalar) -> Bool { Self.isLetter(c) || (c >= "0" && c <= "9") || c == "_" }
    private static func hexValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c {
        case "0"..."9": return c.value - 48
        case "a"..."f": return c.value - 87
        case "A"..."F": return c.value - 55
        default: return nil
        }
    }
}
