import Analyzer
import ArgumentParser
import CaptureFormat
import Foundation

/// What `kcap ps` and `kcap lsof` share: the captures, the moment, JSON or text.
struct MomentOptions: ParsableArguments {
    @Argument(help: "FILE...: the capture (several are read as one, merged by time).")
    var words: [String] = []

    @Option(name: .long, help: "The moment: +2s from the start, -5s from the end (write --at=-5s), 2026-11-22T10:00:00Z, or 10:00:00 (UTC). Default: the last event.")
    var at: String?

    @Flag(name: [.customShort("j"), .long], help: "Print JSON.")
    var json = false

    func validate() throws {
        if words.isEmpty { throw ValidationError("give a capture, and --at TIME for a moment before its end") }
    }

    /// Opens the captures and replays them to the moment; on failure prints one line ("kcap NAME: ...") and
    /// exits with status 1.
    func moment(command: String) -> (readers: [CaptureReader], moment: MomentReplay) {
        func fail(_ message: String) -> Never {
            FileHandle.standardError.write(Data("kcap \(command): \(message)\n".utf8))
            Foundation.exit(1)
        }
        let operands = CaptureOperands(words: words)
        if !operands.filter.isEmpty { fail("'\(operands.filter)' is not a capture file; kcap \(command) takes captures and options only") }
        let readers = operands.readers { fail($0) }
        do { return (readers, try MomentReplay(readers: readers, at: at)) } catch { fail("\(error)") }
    }

    /// The moment as the time column of `kcap read` shows it.
    func clock(_ bootNs: UInt64, _ moment: MomentReplay) -> String {
        ReadCommand.clock(wallClock(bootNs: bootNs, offsetNs: moment.engine.realtimeOffsetNs))
    }

    /// Prints `document` as pretty JSON with sorted keys (the one JSON style of the CLI's own documents).
    func printJSON<T: Encodable>(_ document: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(document), as: UTF8.self))
    }
}

/// The JSON document of `kcap ps` and `kcap lsof`: the moment, and the rows.
struct MomentDocument<Row: Encodable>: Encodable {
    let at: String
    let at_ns: UInt64
    let rows: [Row]
}
