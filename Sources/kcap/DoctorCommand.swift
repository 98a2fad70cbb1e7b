import ArgumentParser
import Glibc
import Recorder

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check that this machine can record, and say what to fix.",
        discussion: """
        Checks privileges (root or CAP_BPF+CAP_PERFMON), kernel BTF, BPF ring buffers, the memlock limit, \
        each tracepoint kcap attaches to (loaded and attached for real), and free space where captures go. \
        Exits 1 when recording cannot work.

        Examples:
          sudo kcap doctor
          sudo kcap doctor --dir /var/tmp
        """
    )

    @Option(help: ArgumentHelp("Directory the captures will be written to.", valueName: "dir"))
    var dir: String = "."

    func run() throws {
        let checks = Doctor.run(outputDirectory: dir)
        let width = checks.map { $0.name.count }.max() ?? 10
        for c in checks {
            let status = c.ok ? "OK  " : (c.critical ? "FAIL" : "WARN")
            let pad = String(repeating: " ", count: width - c.name.count)
            print("\(status) \(c.name)\(pad)  \(c.detail)")
            if !c.ok { print("     \(String(repeating: " ", count: width))  -> \(c.fix)") }
        }
        let blocking = checks.filter { !$0.ok && $0.critical }
        if blocking.isEmpty {
            print("kcap can record on this machine.")
        } else {
            print("kcap cannot record here: fix the \(blocking.count) FAIL line\(blocking.count == 1 ? "" : "s") above.")
            throw ExitCode(1)
        }
    }
}
