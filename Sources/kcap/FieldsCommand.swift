import ArgumentParser

struct FieldsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fields",
        abstract: "List every filter and output field."
    )

    func run() throws {
        throw ValidationError("kcap fields is not implemented yet")
    }
}
