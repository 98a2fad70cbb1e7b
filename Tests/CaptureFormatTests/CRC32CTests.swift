import CKcapSupport
import XCTest

final class CRC32CTests: XCTestCase {
    private func crc(_ bytes: [UInt8], portable: Bool = false) -> UInt32 {
        bytes.withUnsafeBytes { portable ? kcap_crc32c_portable(0, $0.baseAddress, $0.count) : kcap_crc32c(0, $0.baseAddress, $0.count) }
    }

    /// Published CRC-32C check values (the "123456789" check and the iSCSI test patterns of RFC 3720).
    func testKnownVectors() {
        for portable in [false, true] {
            XCTAssertEqual(crc(Array("123456789".utf8), portable: portable), 0xE306_9283)
            XCTAssertEqual(crc([UInt8](repeating: 0, count: 32), portable: portable), 0x8A91_36AA)
            XCTAssertEqual(crc([UInt8](repeating: 0xFF, count: 32), portable: portable), 0x62A8_AB43)
            XCTAssertEqual(crc((0..<32).map { UInt8($0) }, portable: portable), 0x46DD_794E)
            XCTAssertEqual(crc((0..<32).map { UInt8(31 - $0) }, portable: portable), 0x113F_DB5C)
            XCTAssertEqual(crc([], portable: portable), 0)
        }
    }

    func testHardwarePathIsUsedOnThisCPU() {
        #if arch(x86_64)
        // Every x86_64 machine kcap targets has SSE4.2; if this fails the fast path silently went away.
        XCTAssertEqual(kcap_crc32c_is_hardware(), 1)
        #endif
    }

    /// Hardware and table agree at every length and misalignment, and checksumming in pieces equals one pass.
    func testPathsAgreeAtEveryLengthAndAlignment() {
        var rng = SeededRandom(seed: 7)
        let data = (0..<2100).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        data.withUnsafeBytes { raw in
            for start in 0..<9 {
                for len in stride(from: 0, through: 2048, by: 13) {
                    let p = raw.baseAddress! + start
                    let a = kcap_crc32c(0, p, len)
                    XCTAssertEqual(a, kcap_crc32c_portable(0, p, len), "start \(start) len \(len)")
                    let cut = len / 3
                    XCTAssertEqual(kcap_crc32c(kcap_crc32c(0, p, cut), p + cut, len - cut), a)
                }
            }
        }
    }
}
