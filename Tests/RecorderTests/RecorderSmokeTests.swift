import XCTest
@testable import Recorder

final class RecorderSmokeTests: XCTestCase {
    func testModuleLoads() throws {}
}
