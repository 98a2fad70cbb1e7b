/// The `evt.type` codes a filter can match, worked out from its tree: `evt.type = X` and `evt.type in (...)`
/// name them, `and` keeps the codes every operand allows, `or` the codes any allows, and anything else
/// (`not`, `!=`, other fields) allows every type. A source that knows an event's type before decoding it
/// (a sysdig capture) passes over the events of other types whose records would change no state, and
/// numbers them all the same: the filter's answers do not change, only the work.
public enum EventTypeSet {
    /// The codes an event must have to match `expression` (`codes` maps an `evt.type` name to its codes, as
    /// the compiler's `eventTypeCodes` does), nil when an event of any type may match.
    public static func codes(_ expression: FilterExpression, codes: (String) -> [Int64]) -> Set<Int64>? {
        switch expression {
        case .and(let xs):
            var out: Set<Int64>? = nil
            for x in xs {
                guard let s = Self.codes(x, codes: codes) else { continue }
                out = out.map { $0.intersection(s) } ?? s
            }
            return out
        case .or(let xs):
            var out = Set<Int64>()
            for x in xs {
                guard let s = Self.codes(x, codes: codes) else { return nil }
                out.formUnion(s)
            }
            return out
        case .not:
            return nil
        case .comparison(let c):
            guard c.field.name == "evt.type", c.field.bracketArgument == nil, [.equal, .doubleEqual, .in].contains(c.op) else {
                return nil
            }
            return Set(c.operand.values.flatMap { codes($0.text) })
        }
    }

    /// The codes `filter` can match on `machine` (`Event.typeCodes`), nil for any.
    public static func codes(_ filter: EventFilter, machine: String) -> Set<Int64>? {
        codes(filter.expression, codes: Event.typeCodes(machine: machine))
    }
}
