import CaptureFormat

/// `MomentSource`'s receiver: forwards to `inner` until the first record after `endNs`.
struct MomentReceiver<Inner: RecordReceiver>: RecordReceiver {
    var inner: Inner
    let endNs: UInt64
    /// True once a record after the moment arrived.
    var reachedEnd = false

    mutating func load(_ snapshot: CaptureSnapshot) {
        if snapshot.timestampNs <= endNs { inner.load(snapshot) }
    }

    mutating func numberEvents(after n: UInt64) { inner.numberEvents(after: n) }

    mutating func switchHost(to host: Int) { inner.switchHost(to: host) }

    mutating func useInterfaces(_ interfaces: NetworkInterfaces) { inner.useInterfaces(interfaces) }

    @inline(__always)
    mutating func receive(_ record: RecordView) -> Bool {
        guard record.timestampNs <= endNs else {
            reachedEnd = true
            return false
        }
        return inner.receive(record)
    }
}
