import Analyzer
import Crypto
import Foundation

/// The key of `kcap slice --redact` and `kcap merge --redact`, and the keyed hash the `Redactor` takes from it:
/// HMAC-SHA256 (RFC 2104 over FIPS 180-4, swift-crypto's, i.e. BoringSSL's), of which the `Redactor` keeps the
/// first 8 bytes for a string's token and 4 or 16 for an address.
public struct RedactionKey {
    /// The key bytes.
    public let bytes: [UInt8]

    /// The scheme named in a redacted capture's header.
    public static let scheme = "HMAC-SHA256: token r + 16 hex digits of its first 8 bytes; IPv4 its first 4 bytes, IPv6 its first 16"

    /// Fewest key bytes taken from a file.
    public static let minimumLength = 16

    /// Why a key file cannot be used.
    public struct KeyError: Error, CustomStringConvertible {
        public let description: String
    }

    /// A key of `bytes`.
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// 32 random bytes from the system's generator (getrandom), kept in memory only.
    public static func random() -> RedactionKey {
        var g = SystemRandomNumberGenerator()
        return RedactionKey(bytes: (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &g) })
    }

    /// The key in `path`: its bytes as they are (a trailing newline included: use the same file, not a retyped
    /// key), at least `minimumLength` of them.
    public static func read(_ path: String) throws(KeyError) -> RedactionKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KeyError(description: "--redact-key \(path): cannot read it")
        }
        guard data.count >= minimumLength else {
            throw KeyError(description: "--redact-key \(path): \(data.count) bytes; a key needs at least \(minimumLength) (e.g. head -c 32 /dev/urandom > \(path))")
        }
        return RedactionKey(bytes: Array(data))
    }

    /// Writes the key to `path` (created 0600; an existing file is refused, so no key is overwritten).
    public func save(_ path: String) throws(KeyError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw KeyError(description: "--save-redact-key \(path): cannot create it (\(String(cString: strerror(errno))))")
        }
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw KeyError(description: "--save-redact-key \(path): the write failed") }
    }

    /// HMAC-SHA256 of `message` under the key.
    public func mac(_ message: UnsafeRawBufferPointer) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: bytes)))
    }

    /// 16 hex digits that tell keys apart without revealing them: the MAC of "kcap redaction key fingerprint".
    public var fingerprint: String {
        var text = "kcap redaction key fingerprint"
        let m = text.withUTF8 { mac(UnsafeRawBufferPointer($0)) }
        return m.prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// A redactor hashing with this key.
    public func redactor() -> Redactor {
        let key = SymmetricKey(data: bytes)
        return Redactor(scheme: Self.scheme, keyFingerprint: fingerprint) { message in
            Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
        }
    }
}
