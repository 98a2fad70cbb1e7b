import Analyzer
import EventSchema
import ArgumentParser

/// `kcap events`: the event table, as a terminal table, JSON, or the markdown of docs/events.md.
struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "List every event type kcap knows, with its parameters.",
        discussion: """
        Every syscall of x86_64 and aarch64 and the process events (procfork, procexec, procexit), with category, \
        flags (createsFd, usesFd, closesFd, modifiesState... like sysdig's EF_ flags), what the replay engine does \
        with the event (its effect, which fd it is about, where the new fd's close-on-exec flag comes from) and \
        typed parameters in argument order, extra parameters such as the socket's tuple after a '+'. The names are \
        the evt.type values filters use.

        Examples:
          kcap events                       the whole table
          kcap events openat connect        two events
          kcap events --category net --json
          kcap events --flag createsFd      the calls that create an fd
          kcap events --markdown > docs/events.md
        """
    )

    @Argument(help: "Event names to show (all when none).")
    var names: [String] = []

    @Option(help: "Only events of this category: \(EventCategory.allCases.map(\.rawValue).joined(separator: ", ")).")
    var category: String?

    @Option(help: "Only events with this flag: \(EventFlags.named.map(\.1).joined(separator: ", ")).")
    var flag: String?

    @Flag(name: [.customShort("j"), .long], help: "Print a JSON array.")
    var json = false

    @Flag(help: "Print the markdown of docs/events.md (the whole table).")
    var markdown = false

    func validate() throws {
        if let category, EventCategory(rawValue: category) == nil {
            throw ValidationError("unknown category '\(category)'; known: \(EventCategory.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let flag, !EventFlags.named.contains(where: { $0.1 == flag }) {
            throw ValidationError("unknown flag '\(flag)'; known: \(EventFlags.named.map(\.1).joined(separator: ", "))")
        }
        for name in names where EventTable.id(named: name) == nil {
            let near = EventTable.all.map(\.name).min { editDistance($0, name) < editDistance($1, name) } ?? ""
            throw ValidationError("unknown event '\(name)'; did you mean '\(near)'?")
        }
        if json && markdown { throw ValidationError("--json and --markdown exclude each other") }
        if markdown && (flag != nil || category != nil || !names.isEmpty) {
            throw ValidationError("--markdown prints the whole table: no names, --category or --flag")
        }
    }

    func run() throws {
        if markdown {
            print(EventTableDocument.markdown(), terminator: "")
            return
        }
        let rows = EventTableDocument.select(names: names, category: category.flatMap(EventCategory.init(rawValue:)))
            .filter { row in flag.map { row.flags.names.contains($0) } ?? true }
        print(json ? try EventTableDocument.json(rows) : EventTableDocument.text(rows), terminator: "")
    }

    /// Levenshtein distance, for the "did you mean" hint.
    private func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        var prev = Array(0...b.count)
        for i in 1...a.count {
            var cur = [i] + [Int](repeating: 0, count: b.count)
            for j in 1..<(b.count + 1) {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return prev[b.count]
    }
}
