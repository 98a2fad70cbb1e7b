/// What a snapshot decode dropped to stay within `StateLimits`: the first message of each kind, so the
/// reader can say once what was cut instead of once per thread.
struct SnapshotCuts {
    /// First message per kind of cut.
    private(set) var messages: [(StateLimits.Kind, String)] = []
    private var seen = Set<StateLimits.Kind>()

    /// Notes a cut of `kind`; only the first of each kind is kept (messages are built only then).
    mutating func note(_ kind: StateLimits.Kind, _ message: @autoclosure () -> String) {
        if seen.insert(kind).inserted { messages.append((kind, message())) }
    }

    /// A u32-length string, kept up to `max` bytes (the rest is read past and noted).
    mutating func string(_ c: inout ByteCursor, _ what: String, max: Int) throws -> String {
        let n = Int(try c.read(UInt32.self, what))
        let raw = try c.readBytes(n, what)
        if n <= max { return String(decoding: raw, as: UTF8.self) }
        note(.snapshotString, "a snapshot's \(what) is \(n) bytes long; kept the first \(max) (PATH_MAX is 4096, TASK_COMM_LEN 16)")
        return String(decoding: UnsafeRawBufferPointer(rebasing: raw[..<max]), as: UTF8.self)
    }
}
