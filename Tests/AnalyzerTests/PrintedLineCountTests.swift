import XCTest
import KcapTestSupport
import CaptureFormat
@testable import Analyzer

/// `-n N` counts printed lines, also with a `-p` format that skips events lacking a field (as sysdig's `-n`
/// does): the first N lines of the unlimited output, on every fixture.
final class PrintedLineCountTests: XCTestCase {
    func testMaxEventsCountsPrintedLines() throws {
        for path in try CaptureSetTests.fixtures() {
            for format in ["%evt.num %fd.name", "%evt.num %fd.sport", "*%evt.num %fd.name"] {
                func lines(_ max: UInt64?) throws -> [Substring] {
                    let replay = CaptureReplay(reader: try CaptureReader(path: path))
                    var options = ReadPipeline.Options()
                    options.maxEvents = max
                    let out = OutputBuffer()
                    let n = try ReadPipeline.run(replay, output: .format(format), to: out, options: options)
                    let printed = out.string.split(separator: "\n")
                    XCTAssertEqual(UInt64(printed.count), n, "\(path) \(format): the count returned is the lines printed")
                    return printed
                }
                let all = try lines(nil)
                for n in [1, 5, 50] {
                    XCTAssertEqual(try lines(UInt64(n)), Array(all.prefix(n)), "\(path) \(format) -n \(n)")
                }
            }
        }
    }
}
