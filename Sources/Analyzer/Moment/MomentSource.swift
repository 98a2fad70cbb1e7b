/// A source cut at a moment: what `base` hands over up to and including `endNs`; the first record after it
/// stops the feed before the engine sees it (so none of its state changes are applied), and snapshots taken
/// after it are not loaded.
struct MomentSource<Base: RecordSource>: RecordSource {
    var base: Base
    let endNs: UInt64

    var machine: String { base.machine }
    var realtimeOffsetNs: Int64 { base.realtimeOffsetNs }
    var hostNames: [String] { base.hostNames }

    mutating func feed<Receiver: RecordReceiver>(into receiver: inout Receiver) throws -> Bool {
        var bounded = MomentReceiver(inner: receiver, endNs: endNs)
        defer { receiver = bounded.inner }
        return try base.feed(into: &bounded) || bounded.reachedEnd
    }
}
