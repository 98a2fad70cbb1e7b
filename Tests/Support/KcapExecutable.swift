import Foundation

/// Where `swift build` put the kcap executable: beside the test bundle, or a few directories up from it.
public enum KcapExecutable {
    /// The executable's path, nil when it is not built.
    public static func find() -> String? {
        let me = URL(fileURLWithPath: CommandLine.arguments.first(where: { $0.contains(".xctest") }) ?? CommandLine.arguments[0])
        var dir = me.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("kcap").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }
}
