import XCTest
@testable import Analyzer

/// A container event's JSON read by `ContainerInfo.fromJSON`: the five fields it needs, nested values and
/// escapes skipped or decoded, malformed input refused without reading past it.
final class ContainerInfoTests: XCTestCase {
    func info(_ json: String) -> ContainerInfo? {
        var s = json
        return s.withUTF8 { ContainerInfo.fromJSON(UnsafeRawBufferPointer($0)) }
    }

    func testFieldsNestedValuesAndEscapes() {
        let json = #"{"container":{"Mounts":[{"a":"}]"}],"env":["X=\"y\""],"id":"9dbcbd0c435f","image":"nginx:latest","#
            + #""labels":{"m":"N <n@x>"},"name":"epic\u005fcray","port_mappings":[],"privileged":true,"type":8}}"# + "\n"
        XCTAssertEqual(info(json), ContainerInfo(id: "9dbcbd0c435f", name: "epic_cray", image: "nginx:latest", type: "cri-o", privileged: true))
        XCTAssertEqual(info(#"{"container":{"id":"abc"}}"#), ContainerInfo(id: "abc", name: "", image: "", type: "docker", privileged: false))
    }

    func testMalformedInputNamesNoContainer() {
        for json in ["", "{", #"{"container":"#, #"{"container":{"name":"x"}}"#, #"{"other":{"id":"x"}}"#, #"{"container":{"id":"x"#,
                     #"{"container":{"id":"\u00"}}"#, "[1,2]"] {
            XCTAssertNil(info(json), json)
        }
    }
}
