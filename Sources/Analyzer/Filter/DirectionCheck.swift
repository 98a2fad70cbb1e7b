/// A filter that no event of a kcap capture can pass because of its `evt.dir` tests: kcap records each
/// syscall once, at its exit, with its entry's arguments and its latency, so every event of its captures is an
/// exit (`evt.dir` '<') and `evt.dir='>'` matches nothing. Such a filter gets a one-line warning rather than
/// silence (docs/filters.md says why kcap does not make entry events up instead).
public enum DirectionCheck {
    /// The warning for `filter`, nil when it can match an exit or does not parse (the compiler says why).
    public static func warning(filter: String) -> String? {
        guard let tree = try? FilterParser.parse(filter), matchesExit(tree) == false else { return nil }
        return "the filter needs evt.dir '>' and matches nothing here: kcap records each syscall once, at its exit, with its entry's arguments and latency (evt.dir '<'); test the exit instead (evt.latency, evt.rawtime - evt.latency for the entry time)"
    }

    /// Whether `e` passes an exit event, as far as its `evt.dir` tests decide: true or false when they decide
    /// it whatever the other fields, nil when other fields decide.
    static func matchesExit(_ e: FilterExpression) -> Bool? {
        switch e {
        case .and(let xs):
            var all = true
            for x in xs {
                switch matchesExit(x) {
                case false?: return false
                case nil: all = false
                case true?: break
                }
            }
            return all ? true : nil
        case .or(let xs):
            var none = true
            for x in xs {
                switch matchesExit(x) {
                case true?: return true
                case nil: none = false
                case false?: break
                }
            }
            return none ? false : nil
        case .not(let x):
            return matchesExit(x).map { !$0 }
        case .comparison(let c):
            guard c.field.name == "evt.dir", c.field.bracketArgument == nil else { return nil }
            let values = c.operand.values.map(\.text)
            switch c.op {
            case .equal, .doubleEqual: return values.first == "<"
            case .notEqual: return values.first != "<"
            case .in: return values.contains("<")
            case .exists: return true
            default: return nil
            }
        }
    }
}
