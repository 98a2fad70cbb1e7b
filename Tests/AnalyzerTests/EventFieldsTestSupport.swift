@testable import Analyzer

/// A printer for an event's engine, kept while that engine lives: the engine owns no printer, and tests that
/// read fields that print (or print arguments) from inside a consumer need one.
enum TestPrinter {
    private final class Entry {
        weak var engine: Engine?
        let printer: EventPrinter
        init(_ engine: Engine) {
            self.engine = engine
            printer = EventPrinter(engine: engine)
        }
    }
    private static var entry: Entry?

    /// The printer for `engine` (made on first use, remade for another engine).
    static func printer(for engine: Engine) -> EventPrinter {
        if let e = entry, e.engine === engine { return e.printer }
        let e = Entry(engine)
        entry = e
        return e.printer
    }
}

extension Event {
    /// The event's fields as filters and formats read them, with `TestPrinter`'s printer for its engine.
    var fields: EventFields { EventFields(self, printer: TestPrinter.printer(for: engine)) }
}
