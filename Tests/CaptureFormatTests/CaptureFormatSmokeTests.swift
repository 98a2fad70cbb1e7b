import XCTest
@testable import CaptureFormat

final class CaptureFormatSmokeTests: XCTestCase {
    func testModuleLoads() throws {}
}
