import ArgumentParser

struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record system calls and process events into a capture file."
    )

    func run() throws {
        throw ValidationError("kcap record is not implemented yet")
    }
}
