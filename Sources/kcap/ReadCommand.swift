import ArgumentParser

struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Replay a capture through the enrichment engine, filtered and formatted."
    )

    func run() throws {
        throw ValidationError("kcap read is not implemented yet")
    }
}
