import XCTest

/// A test case with a scratch directory of its own for each test, removed after it (the captures tests write).
class ScratchTestCase: XCTestCase {
    /// The test's directory.
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("kcap-\(type(of: self))-\(getpid())-\(name.hashValue)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// A path in the test's directory.
    func file(_ name: String) -> String { directory.appendingPathComponent(name).path }
}
