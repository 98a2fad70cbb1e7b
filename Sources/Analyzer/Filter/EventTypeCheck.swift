import EventSchema

/// Event names in a filter's `evt.type` comparisons that name no event kcap records on the capture's
/// architecture (`evt.type=opn`): such a comparison is valid sysdig and matches nothing, so it is a warning,
/// not an error (a rule written for sysdig may name events kcap does not have), with the nearest known name.
public enum EventTypeCheck {
    /// One line per unknown name (none for a filter that does not parse: the compiler says why).
    public static func warnings(filter: String, machine: String) -> [String] {
        guard let tree = try? FilterParser.parse(filter) else { return [] }
        let codes = Event.typeCodes(machine: machine)
        var out: [String] = []
        for c in tree.comparisons where c.field.name == "evt.type" && [.equal, .doubleEqual, .notEqual, .in, .intersects].contains(c.op) {
            for v in c.operand.values where codes(v.text).isEmpty {
                let hint = EditDistance.nearest(to: v.text, in: names).map { "did you mean '\($0)'?" } ?? "kcap events lists them"
                out.append("evt.type '\(v.text)' at column \(v.column) names no event kcap records, so it matches nothing; \(hint)")
            }
        }
        return out
    }

    /// Every event name a filter can use.
    static let names: [String] = EventTable.all.map(\.name) + ["procfork", "procexec", "procexit"]
}
