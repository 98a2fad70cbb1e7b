import CRE2

/// A `regex` constant compiled once, when the filter is compiled, by RE2 (through CRE2): matching takes time
/// linear in the value whatever the pattern (no backtracking, so `(a+)+$` cannot hang a replay), and the
/// semantics are sysdig's: falcosecurity libs compile the constant with `RE2::POSIX` (POSIX egrep syntax,
/// leftmost-longest) and match it against the whole value (`ANCHOR_BOTH`), byte by byte as UTF-8.
///
/// A class because it owns the C handle; `@unchecked Sendable` because RE2 matching through a const handle is
/// thread-safe and nothing mutates the handle after `init`.
final class RegexPattern: @unchecked Sendable {
    private let handle: OpaquePointer

    /// Compiles `pattern`; throws `Failure` with RE2's message when it does not compile.
    init(_ pattern: String) throws(Failure) {
        var text = pattern
        let compiled = text.withUTF8 { kcap_re2_compile(UnsafeRawPointer($0.baseAddress)?.assumingMemoryBound(to: CChar.self), $0.count) }
        guard let compiled else { throw Failure(reason: "out of memory") }
        if let error = kcap_re2_error(compiled) {
            let reason = String(cString: error)
            kcap_re2_free(compiled)
            throw Failure(reason: reason)
        }
        handle = compiled
    }

    deinit { kcap_re2_free(handle) }

    /// Whether the pattern matches all of `bytes`. Allocates nothing per call once RE2's DFA cache is warm.
    func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        kcap_re2_full_match(handle, bytes.baseAddress, bytes.count) != 0
    }

    /// Why a pattern did not compile, in RE2's words (such as `missing ): a(b`).
    struct Failure: Error {
        let reason: String
    }
}
