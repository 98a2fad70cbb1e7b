import Analyzer
import ArgumentParser
import CaptureFormat

extension ReadCommand {
    /// The replay of `-f`: one capture, followed as it grows. Several captures cannot be followed (a ring's
    /// older files do not grow): one line saying so.
    static func followed(_ readers: [CaptureReader]) throws -> Replay<FollowedCaptureSource> {
        guard readers.count == 1 else {
            throw ValidationError("-f follows one capture; give the one being recorded")
        }
        return Replay(source: try FollowedCaptureSource(path: readers[0].path))
    }
}
