import ArgumentParser
import Analyzer
import CaptureFormat
import Foundation

/// The warnings a command that replays captures prints after its output: each file's problems (listed, then
/// the count of those not listed), then the state bounds the engine reached.
enum CaptureWarnings {
    /// Prints them on stderr; throws `ExitStatus.problems` when a file is damaged (the output is still whole
    /// for every intact chunk, as `kcap info` says).
    static func report(_ readers: [CaptureReader], _ engine: Engine) throws {
        if print(readers, limitWarnings: engine.limitWarnings) { throw ExitCode(ExitStatus.problems) }
    }

    /// Prints them on stderr; true when a file is damaged.
    static func print(_ readers: [CaptureReader], limitWarnings: [String]) -> Bool {
        for reader in readers {
            for problem in reader.problems.map(\.description) + reader.omittedProblemLines {
                FileHandle.standardError.write(Data("warning: \(reader.path): \(problem)\n".utf8))
            }
        }
        let names = readers.map(\.path).joined(separator: ", ")
        for line in limitWarnings {
            FileHandle.standardError.write(Data("warning: \(names): \(line)\n".utf8))
        }
        return readers.contains { !$0.problems.isEmpty }
    }
}
