import Foundation
import XCTest

/// `kcap --help` and every subcommand's help, as a sysdig user reads them: examples in each, wrapped
/// cleanly at 80 columns, and the same short options for the same things everywhere.
final class HelpTextTests: XCTestCase {
    static let subcommands = ["record", "read", "stats", "info", "events", "fields", "doctor", "ps", "lsof", "diff", "slice", "merge"]

    private func help(_ args: [String]) throws -> String {
        let r = try runProcess(try kcapBinary(), args + ["--help"])
        XCTAssertEqual(r.status, 0, "\(args): \(r.stderr)")
        return r.stdout
    }

    func testEveryHelpHasExamples() throws {
        for command in [[]] + Self.subcommands.map({ [$0] }) {
            let text = try help(command)
            XCTAssertTrue(text.contains("\n\nExamples:\n") || text.contains("\n\nExamples:\n".dropFirst()),
                          "\(command): 'Examples:' starts its own paragraph\n\(text)")
        }
    }

    /// A paragraph broken by hand wider than the 80 columns the parser wraps at comes out ragged: a short
    /// line, then the rest of the sentence. An example's note that does not fit comes out unindented.
    func testNoRaggedLines() throws {
        for command in [[]] + Self.subcommands.map({ [$0] }) {
            let text = try help(command)
            let lines = text.components(separatedBy: "USAGE:")[0].components(separatedBy: "\n")
            for (prev, line) in zip(lines, lines.dropFirst()) where !prev.isEmpty && !line.isEmpty {
                guard let first = line.first, !first.isWhitespace else { continue }
                let firstWord = line.split(separator: " ").first.map(String.init) ?? line
                XCTAssertFalse(prev.count + 1 + firstWord.count < 80 && (first.isLowercase || first.isNumber),
                               "\(command): '\(firstWord)' would fit after '\(prev)'")
                XCTAssertFalse(prev.hasPrefix("  "), "\(command): '\(line)' continues the indented '\(prev)' unindented")
            }
        }
    }

    /// Every command that prints a report prints it as JSON with -j and --json, as `kcap read -j` does.
    func testJSONIsDashJEverywhere() throws {
        for command in ["read", "stats", "info", "events", "fields", "ps", "lsof", "diff"] {
            let text = try help([command])
            XCTAssertTrue(text.contains("-j, --json"), "\(command) has -j, --json\n\(text)")
        }
    }
}
