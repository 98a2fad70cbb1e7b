import ArgumentParser

struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "List every event type kcap knows, with its parameters."
    )

    func run() throws {
        throw ValidationError("kcap events is not implemented yet")
    }
}
