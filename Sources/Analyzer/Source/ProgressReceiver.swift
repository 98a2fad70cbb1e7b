import CaptureFormat

/// A receiver that counts what it forwards and ticks a `ProgressMeter` every `ProgressMeter.stride` records
/// (a mask test per record; the clock is read only then).
struct ProgressReceiver<Inner: RecordReceiver>: RecordReceiver {
    var inner: Inner
    let meter: ProgressMeter
    var records: UInt64 = 0

    mutating func load(_ snapshot: CaptureSnapshot) { inner.load(snapshot) }

    mutating func numberEvents(after n: UInt64) { inner.numberEvents(after: n) }

    mutating func switchHost(to host: Int) { inner.switchHost(to: host) }

    mutating func useInterfaces(_ interfaces: NetworkInterfaces) { inner.useInterfaces(interfaces) }

    @inline(__always)
    mutating func receive(_ record: RecordView) -> Bool {
        records &+= 1
        if records & (ProgressMeter.stride - 1) == 0 { meter.tick(recordNs: record.timestampNs, records: records) }
        return inner.receive(record)
    }
}
