import ArgumentParser

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check that this machine can record, and say what to fix."
    )

    func run() throws {
        throw ValidationError("kcap doctor is not implemented yet")
    }
}
