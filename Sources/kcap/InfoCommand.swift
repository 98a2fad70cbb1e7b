import ArgumentParser

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe a capture file and check its integrity."
    )

    func run() throws {
        throw ValidationError("kcap info is not implemented yet")
    }
}
