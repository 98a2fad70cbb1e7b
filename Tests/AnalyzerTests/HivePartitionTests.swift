import Foundation
import XCTest
@testable import Analyzer

/// Partition directories against Foundation's own UTC calendar, on instants around day, year and epoch
/// boundaries, and host names that would break the layout.
final class HivePartitionTests: XCTestCase {
    func testDirectoryMatchesFoundationsUTCDateAndHour() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let instants: [Int64] = [0, 1, 3_599_999_999_999, 3_600_000_000_000, -1, -3_600_000_000_001,
                                 1_764_000_000_123_456_789, 1_767_225_599_999_999_999, 1_767_225_600_000_000_000,
                                 951_782_400_000_000_000 /* 2000-02-29 */, -86_400_000_000_000 * 366]
        for ns in instants {
            // Whole seconds, rounded down, for Date (its Double cannot hold every nanosecond).
            let secs = ns >= 0 ? ns / 1_000_000_000 : (ns - 999_999_999) / 1_000_000_000
            let c = calendar.dateComponents([.year, .month, .day, .hour], from: Date(timeIntervalSince1970: Double(secs)))
            let want = String(format: "host=h/date=%04d-%02d-%02d/hour=%02d", c.year!, c.month!, c.day!, c.hour!)
            XCTAssertEqual(HivePartition(host: "h", wallNs: ns).directory, want, "\(ns)")
        }
    }

    func testHostNamesCannotEscapeTheirDirectory() {
        XCTAssertEqual(HivePartition(host: "web-1.example_com", wallNs: 0).hostDirectory, "host=web-1.example_com")
        XCTAssertEqual(HivePartition(host: "a/b=c d", wallNs: 0).hostDirectory, "host=a_b_c_d")
        XCTAssertEqual(HivePartition(host: "", wallNs: 0).hostDirectory, "host=unknown")
        XCTAssertEqual(HivePartition(host: "héte", wallNs: 0).hostDirectory, "host=h_te")
    }
}
