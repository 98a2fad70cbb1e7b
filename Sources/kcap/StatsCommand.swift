import ArgumentParser

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Summarise a capture: top syscalls, latencies, processes, files, errors."
    )

    func run() throws {
        throw ValidationError("kcap stats is not implemented yet")
    }
}
