import _StringProcessing

/// Compiles a `FilterExpression` into a `CompiledFilter`: resolves fields, checks operators against field
/// types, parses constants (numbers, booleans, durations, addresses, networks, hex bytes, globs, regexes),
/// turns `in` lists into sets, and builds the closure tree.
///
/// Semantics (as sysdig's): a comparison on a field the event lacks is false, `!=` included; `exists` is
/// true when the field has a value. Multi-valued fields (`fd.ip`, `fd.port`, `fd.net` read both endpoints;
/// `proc.aname`/`proc.apid` without index read every ancestor) match when any value matches, except `!=`,
/// which matches when at least one value is present and none equals the constant.
public struct FilterCompiler {
    /// Maps an event type name to the codes the engine returns from `int(FieldRef(.evtType))`: with it,
    /// `evt.type = openat` and `evt.type in (...)` compare integers. Return [] for a name the engine does not
    /// know (such a comparison is then never true, as in sysdig for an event type that never occurs).
    public var eventTypeCodes: ((String) -> [Int64])?

    /// When true, comparisons on fields kcap does not support compile to "absent" (false; `exists` false)
    /// instead of failing with `unsupportedField`.
    public var allowUnsupportedFields: Bool

    /// Maximum ancestors `proc.aname`/`proc.apid` without index walk.
    public static let maxAncestors = 64

    /// A compiler; see the properties.
    public init(eventTypeCodes: ((String) -> [Int64])? = nil, allowUnsupportedFields: Bool = false) {
        self.eventTypeCodes = eventTypeCodes
        self.allowUnsupportedFields = allowUnsupportedFields
    }

    /// A compiler with the event-type codes as a table (name to the codes `int(FieldRef(.evtType))` returns).
    public init(eventTypeCodeTable: [String: [Int64]], allowUnsupportedFields: Bool = false) {
        self.init(eventTypeCodes: { eventTypeCodeTable[$0] ?? [] }, allowUnsupportedFields: allowUnsupportedFields)
    }

    /// Parses and compiles filter text.
    public func compile<S: FieldValueSource>(_ text: String, for source: S.Type = S.self) throws -> CompiledFilter<S> {
        try compile(try FilterParser.parse(text), for: source)
    }

    /// Compiles a parsed filter. Errors come in the order of the text, resolution errors (unknown fields,
    /// bad arguments) first, then unsupported fields, then operator and constant errors.
    public func compile<S: FieldValueSource>(_ expression: FilterExpression, for source: S.Type = S.self) throws -> CompiledFilter<S> {
        let comparisons = expression.comparisons
        var resolved: [(FieldInfo, FieldRef)] = []
        for c in comparisons { resolved.append(try FieldResolver.resolve(c.field)) }
        if !allowUnsupportedFields, let i = resolved.firstIndex(where: { !$0.0.supported }) {
            throw FilterError(.unsupportedField(comparisons[i].field.text), column: comparisons[i].field.column)
        }
        var next = 0
        let predicate: (S) -> Bool = try build(expression, resolved: resolved, next: &next)
        return CompiledFilter(predicate: predicate, expression: expression)
    }

    /// The fields of a parsed filter that kcap does not support, by name as written, in order.
    public static func unsupportedFields(in expression: FilterExpression) throws -> [String] {
        try expression.comparisons.compactMap { c in
            try FieldResolver.resolve(c.field).info.supported ? nil : c.field.text
        }
    }

    // MARK: tree

    private func build<S: FieldValueSource>(_ e: FilterExpression, resolved: [(FieldInfo, FieldRef)],
                                            next: inout Int) throws -> (S) -> Bool {
        switch e {
        case .and(let xs):
            let ps: [(S) -> Bool] = try xs.map { try build($0, resolved: resolved, next: &next) }
            if ps.count == 2 { let a = ps[0], b = ps[1]; return { a($0) && b($0) } }
            if ps.count == 3 { let a = ps[0], b = ps[1], c = ps[2]; return { a($0) && b($0) && c($0) } }
            return { s in
                for p in ps where !p(s) { return false }
                return true
            }
        case .or(let xs):
            let ps: [(S) -> Bool] = try xs.map { try build($0, resolved: resolved, next: &next) }
            if ps.count == 2 { let a = ps[0], b = ps[1]; return { a($0) || b($0) } }
            if ps.count == 3 { let a = ps[0], b = ps[1], c = ps[2]; return { a($0) || b($0) || c($0) } }
            return { s in
                for p in ps where p(s) { return true }
                return false
            }
        case .not(let x):
            let p: (S) -> Bool = try build(x, resolved: resolved, next: &next)
            return { !p($0) }
        case .comparison(let c):
            let (info, ref) = resolved[next]
            next += 1
            if !info.supported { return { _ in false } }
            return try comparison(c, info: info, ref: ref)
        }
    }

    // MARK: comparisons

    /// Where a field's values come from.
    private enum Access {
        case single(FieldRef)
        /// Both endpoints of a socket (fd.ip, fd.port, fd.net).
        case pair(FieldRef, FieldRef)
        /// Every ancestor, index 1, 2, 3...
        case ancestors(FieldID)
    }

    private func access(for info: FieldInfo, ref: FieldRef) -> Access {
        switch info.id {
        // Either end, whatever the socket's role: a socket not yet bound or connected has no client or server
        // side (no fd.sip), but fd.ip still reads its ends, as sysdig does.
        case .fdIP, .fdNet: return .pair(FieldRef(.fdLip), FieldRef(.fdRip))
        case .fdPort: return .pair(FieldRef(.fdLport), FieldRef(.fdRport))
        case .fdDip, .fdSnet: return .single(FieldRef(.fdSip))
        case .fdDport: return .single(FieldRef(.fdSport))
        case .fdCnet: return .single(FieldRef(.fdCip))
        case .fdLnet: return .single(FieldRef(.fdLip))
        case .fdRnet: return .single(FieldRef(.fdRip))
        case .procAname, .procApid: return ref.index < 0 ? .ancestors(info.id) : .single(ref)
        default: return .single(ref)
        }
    }

    private func comparison<S: FieldValueSource>(_ c: FilterComparison, info: FieldInfo, ref: FieldRef) throws -> (S) -> Bool {
        let access = access(for: info, ref: ref)
        let values = c.operand.values
        let notEqual = c.op == .notEqual
        func notApplicable() -> FilterError {
            FilterError(.operatorNotApplicable(c.op.spelling, field: c.field.text, type: info.type), column: c.opColumn)
        }

        switch info.type {
        case .string, .bytes:
            if c.op == .exists { return Self.combine(access, notEqual: false) { s, r in s.withBytes(r) { _ in true } } }
            if info.id == .evtType, let codes = eventTypeCodes, [.equal, .doubleEqual, .notEqual, .in, .intersects].contains(c.op) {
                let set = Set(values.flatMap { codes($0.text) })
                // evt.type is single-valued: the hot comparisons get one closure with the constant inline.
                if set.count == 1, let only = set.first {
                    if notEqual { return { s in guard let v = s.int(ref) else { return false }; return v != only } }
                    return { s in s.int(ref) == only }
                }
                let sorted = set.sorted()
                if notEqual { return { s in guard let v = s.int(ref) else { return false }; return !sorted.contains(v) } }
                return { s in
                    guard let v = s.int(ref) else { return false }
                    return sorted.contains(v)
                }
            }
            let test = try bytesTest(c.op, values: values, field: c.field.text, notApplicable: notApplicable)
            if case .single(let r) = access { return { s in s.withBytes(r, test) ?? false } }
            return Self.combine(access, notEqual: notEqual) { s, r in s.withBytes(r, test) }

        case .int, .uint, .bool, .port, .reltime, .abstime:
            if c.op == .exists { return Self.combine(access, notEqual: false) { s, r in s.int(r) != nil ? true : nil } }
            // evt.rawarg holds whatever the argument is: compared as text when the constant is not a number.
            if info.id == .evtRawarg, values.contains(where: { Self.parseInteger($0.text) == nil }) {
                let test = try bytesTest(c.op, values: values, field: c.field.text, notApplicable: notApplicable)
                return Self.combine(access, notEqual: notEqual) { s, r in s.withBytes(r, test) }
            }
            guard [.equal, .doubleEqual, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual, .in, .intersects]
                .contains(c.op) else { throw notApplicable() }
            let numbers = try values.map { v -> Int64 in
                guard let n = Self.parseNumber(v.text, type: info.type) else {
                    throw FilterError(.invalidValue(v.text, field: c.field.text, expected: Self.expectation(info.type)), column: v.column)
                }
                return n
            }
            if case .single(let r) = access, let direct: (S) -> Bool = Self.directIntComparison(c.op, numbers, r) {
                return direct
            }
            let test: (Int64) -> Bool
            switch c.op {
            case .equal, .doubleEqual: let k = numbers[0]; test = { $0 == k }
            case .notEqual: let k = numbers[0]; test = { $0 != k }
            case .less: let k = numbers[0]; test = { $0 < k }
            case .lessOrEqual: let k = numbers[0]; test = { $0 <= k }
            case .greater: let k = numbers[0]; test = { $0 > k }
            case .greaterOrEqual: let k = numbers[0]; test = { $0 >= k }
            case .in, .intersects:
                let set = Set(numbers)
                test = { set.contains($0) }
            default: throw notApplicable()
            }
            return Self.combine(access, notEqual: notEqual) { s, r in s.int(r).map(test) }

        case .ipaddr:
            if c.op == .exists { return Self.combine(access, notEqual: false) { s, r in s.ip(r) != nil ? true : nil } }
            guard [.equal, .doubleEqual, .notEqual, .in, .intersects].contains(c.op) else { throw notApplicable() }
            let addresses = try values.map { v -> IPAddress in
                guard let a = IPAddress(v.text) else {
                    throw FilterError(.invalidValue(v.text, field: c.field.text, expected: "an IP address"), column: v.column)
                }
                return a
            }
            let test: (IPAddress) -> Bool
            switch c.op {
            case .equal, .doubleEqual: let k = addresses[0]; test = { $0 == k }
            case .notEqual: let k = addresses[0]; test = { $0 != k }
            case .in, .intersects: let set = Set(addresses); test = { set.contains($0) }
            default: throw notApplicable()
            }
            return Self.combine(access, notEqual: notEqual) { s, r in s.ip(r).map(test) }

        case .ipnet:
            if c.op == .exists { return Self.combine(access, notEqual: false) { s, r in s.ip(r) != nil ? true : nil } }
            guard [.equal, .doubleEqual, .notEqual, .in, .intersects].contains(c.op) else { throw notApplicable() }
            let networks = try values.map { v -> IPNetwork in
                guard let n = IPNetwork(v.text) else {
                    throw FilterError(.invalidValue(v.text, field: c.field.text, expected: "a network (CIDR such as 10.0.0.0/8)"), column: v.column)
                }
                return n
            }
            let test: (IPAddress) -> Bool
            switch c.op {
            case .equal, .doubleEqual, .in, .intersects: test = { ip in networks.contains { $0.contains(ip) } }
            case .notEqual: test = { ip in !networks.contains { $0.contains(ip) } }
            default: throw notApplicable()
            }
            return Self.combine(access, notEqual: notEqual) { s, r in s.ip(r).map(test) }
        }
    }

    /// One closure per numeric comparison of a single-valued field, the constant inline: the common case
    /// costs one indirect call plus the source's accessor.
    private static func directIntComparison<S: FieldValueSource>(_ op: FilterOperator, _ numbers: [Int64],
                                                                 _ r: FieldRef) -> ((S) -> Bool)? {
        guard let k = numbers.first else { return nil }
        switch op {
        case .equal, .doubleEqual: return { s in s.int(r) == k }
        case .notEqual: return { s in guard let v = s.int(r) else { return false }; return v != k }
        case .less: return { s in guard let v = s.int(r) else { return false }; return v < k }
        case .lessOrEqual: return { s in guard let v = s.int(r) else { return false }; return v <= k }
        case .greater: return { s in guard let v = s.int(r) else { return false }; return v > k }
        case .greaterOrEqual: return { s in guard let v = s.int(r) else { return false }; return v >= k }
        case .in, .intersects:
            if numbers.count <= 8 { return { s in guard let v = s.int(r) else { return false }; return numbers.contains(v) } }
            let set = Set(numbers)
            return { s in guard let v = s.int(r) else { return false }; return set.contains(v) }
        default: return nil
        }
    }

    /// Applies a per-value evaluation (nil: absent; else whether the value passes) through an access path,
    /// with the absent-value and multi-value rules.
    private static func combine<S>(_ access: Access, notEqual: Bool,
                                   _ eval: @escaping (S, FieldRef) -> Bool?) -> (S) -> Bool {
        switch access {
        case .single(let r):
            return { eval($0, r) ?? false }
        case .pair(let a, let b):
            if notEqual {
                return { s in
                    let va = eval(s, a), vb = eval(s, b)
                    if va == nil && vb == nil { return false }
                    return (va ?? true) && (vb ?? true)
                }
            }
            return { s in eval(s, a) ?? false || eval(s, b) ?? false }
        case .ancestors(let id):
            let limit = maxAncestors
            return { s in
                var seen = false
                for i in 1...limit {
                    guard let ok = eval(s, FieldRef(id, index: i)) else { break }
                    seen = true
                    if notEqual && !ok { return false }
                    if !notEqual && ok { return true }
                }
                return notEqual && seen
            }
        }
    }

    // MARK: string and bytes tests

    private func bytesTest(_ op: FilterOperator, values: [FilterValue], field: String,
                           notApplicable: () -> FilterError) throws -> (UnsafeRawBufferPointer) -> Bool {
        func constant(_ i: Int) -> ByteConstant { ByteConstant(Array(values[i].text.utf8)) }
        func hexConstant() throws -> ByteConstant {
            guard let bytes = ByteMatching.decodeHex(values[0].text) else {
                throw FilterError(.invalidValue(values[0].text, field: field, expected: "hex bytes such as 303000"),
                                  column: values[0].column)
            }
            return ByteConstant(bytes)
        }
        switch op {
        case .equal, .doubleEqual: let k = constant(0); return { ByteMatching.equals($0, k) }
        case .notEqual: let k = constant(0); return { !ByteMatching.equals($0, k) }
        case .less: let k = constant(0); return { ByteMatching.compare($0, k) < 0 }
        case .lessOrEqual: let k = constant(0); return { ByteMatching.compare($0, k) <= 0 }
        case .greater: let k = constant(0); return { ByteMatching.compare($0, k) > 0 }
        case .greaterOrEqual: let k = constant(0); return { ByteMatching.compare($0, k) >= 0 }
        case .contains: let k = constant(0); return { ByteMatching.contains($0, k) }
        case .icontains:
            let k = ByteConstant(values[0].text.utf8.map(ByteMatching.lower))
            return { ByteMatching.containsIgnoringCase($0, k) }
        case .startswith: let k = constant(0); return { ByteMatching.hasPrefix($0, k) }
        case .endswith: let k = constant(0); return { ByteMatching.hasSuffix($0, k) }
        case .bcontains: let k = try hexConstant(); return { ByteMatching.contains($0, k) }
        case .bstartswith: let k = try hexConstant(); return { ByteMatching.hasPrefix($0, k) }
        case .glob: let g = GlobPattern(values[0].text); return { g.matches($0) }
        case .iglob: let g = GlobPattern(values[0].text, ignoreCase: true); return { g.matches($0) }
        case .pmatch: let set = PathPrefixSet(values.map(\.text)); return { set.matches($0) }
        case .in, .intersects:
            // Lists are short (a few names): a length check and memcmp each beats hashing the event's bytes.
            let ks = values.indices.map(constant)
            if ks.count == 1 { let k = ks[0]; return { ByteMatching.equals($0, k) } }
            return { b in
                for k in ks where ByteMatching.equals(b, k) { return true }
                return false
            }
        case .regex:
            // Compiled here, once; the closure matches the event's raw bytes (no String, no allocation).
            let pattern = values[0].text
            let regex: RegexPattern
            do { regex = try RegexPattern(pattern) } catch {
                throw FilterError(.invalidRegex(pattern, reason: error.reason), column: values[0].column)
            }
            return { regex.matches($0) }
        case .exists:
            return { _ in true }
        }
    }

    // MARK: constants

    static func expectation(_ type: FieldType) -> String {
        switch type {
        case .bool: return "a boolean (true or false)"
        case .reltime: return "a duration (nanoseconds, or a number with ns, us, ms or s)"
        case .port: return "a port number"
        default: return "a number"
        }
    }

    /// A decimal or `0x` hexadecimal integer with an optional sign, within Int64.
    static func parseInteger(_ text: String) -> Int64? {
        var t = Substring(text)
        var negative = false
        if t.first == "-" { negative = true; t = t.dropFirst() } else if t.first == "+" { t = t.dropFirst() }
        guard !t.isEmpty else { return nil }
        let magnitude: UInt64?
        if t.hasPrefix("0x") || t.hasPrefix("0X") { magnitude = UInt64(t.dropFirst(2), radix: 16) }
        else { magnitude = UInt64(t, radix: 10) }
        guard let m = magnitude else { return nil }
        if negative { return m <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- m) : nil }
        return m <= UInt64(Int64.max) ? Int64(m) : nil
    }

    static func parseNumber(_ text: String, type: FieldType) -> Int64? {
        switch type {
        case .bool:
            switch text {
            case "true", "TRUE", "True", "1": return 1
            case "false", "FALSE", "False", "0": return 0
            default: return nil
            }
        case .reltime:
            if let n = parseInteger(text) { return n }
            for (suffix, scale) in [("ns", Int64(1)), ("us", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000)] where text.hasSuffix(suffix) {
                if let n = parseInteger(String(text.dropLast(suffix.count))) {
                    let (r, overflow) = n.multipliedReportingOverflow(by: scale)
                    return overflow ? nil : r
                }
            }
            return nil
        case .port:
            guard let n = parseInteger(text), n >= 0, n <= 65535 else { return nil }
            return n
        default:
            return parseInteger(text)
        }
    }
}
