import XCTest
@testable import Analyzer

final class AnalyzerSmokeTests: XCTestCase {
    func testModuleLoads() throws {}
}
