import CaptureFormat

/// Where records come from: a capture file (`CaptureFileSource`), the live ring (`LiveRingSource`), and any
/// later reader (a sysdig `.scap` file) that can hand over kcap records. The seam between the sources and the
/// engine: a source hands its snapshots and records, in order, to a `RecordReceiver` (the engine's side,
/// `Engine.run(_:into:)`), and the engine never learns which source it is reading.
///
/// A source knows up front what the engine needs before the first record (`machine`, `realtimeOffsetNs`),
/// and tells the receiver where event numbering starts (`RecordReceiver.numberEvents(after:)`) before its
/// first record when that is not 0: a capture read from a time seek still numbers events as the whole file does.
///
/// `feed` is generic over the receiver so that each source's record loop is specialised for the engine's
/// receiver and the consumer behind it: no existential, no allocation per record. Records are framed with
/// `RecordWalker`, the one framing loop.
public protocol RecordSource {
    /// The recording host's architecture (uname -m), which selects the syscall table.
    var machine: String { get }
    /// Wall-clock ns = boot-time ns + this.
    var realtimeOffsetNs: Int64 { get }
    /// The hosts whose records the source hands over, by the numbers `RecordReceiver.switchHost(to:)` gives
    /// (one for a capture of one host; empty when unknown).
    var hostNames: [String] { get }
    /// Hands what the source has, in order, to `receiver`: snapshots as `RecordReceiver.load(_:)`, each
    /// record as `RecordReceiver.receive(_:)`. Returns false when the receiver asked to stop (the rest is not
    /// handed over), true when the source ran out. A file hands over all of it in one call; the live ring
    /// hands over what the recorder drained since the last call. Throws the source's read errors.
    mutating func feed<Receiver: RecordReceiver>(into receiver: inout Receiver) throws -> Bool
}

/// The engine's side of the source seam: what a `RecordSource` hands its snapshots and records to.
public protocol RecordReceiver {
    /// A thread/fd snapshot, in its place among the records.
    mutating func load(_ snapshot: CaptureSnapshot)
    /// Numbers the next event `n + 1` (or later): records the source skipped (chunks before a time seek) still
    /// count. Called before the first record handed over, when the source skipped some.
    mutating func numberEvents(after n: UInt64)
    /// One record; returns false to stop the source.
    mutating func receive(_ record: RecordView) -> Bool
    /// The snapshots and records that follow are host `host`'s (a number of the source's `hostNames`): a
    /// capture merged from several hosts, or captures of several hosts read together. Never called for a
    /// source of one host.
    mutating func switchHost(to host: Int)
    /// The recording host's network interfaces (a sysdig capture's interface list blocks), which complete a
    /// sysdig tuple that lacks an address; each call replaces what an earlier one gave. kcap's own captures
    /// list none, and their sources never call it.
    mutating func useInterfaces(_ interfaces: NetworkInterfaces)
}

extension RecordSource {
    /// No host named.
    public var hostNames: [String] { [] }
}

extension RecordReceiver {
    /// A receiver that makes no events (a scan, a slice's writer) has no use for interfaces.
    public mutating func useInterfaces(_ interfaces: NetworkInterfaces) {}

    /// Hands one block of a kcap capture over: a snapshot as `load(_:)`, an event chunk's records one by one,
    /// framed by `RecordWalker`; a counters block holds no records. Returns false once the receiver stopped.
    /// The file sources' one block loop.
    @inline(__always)
    public mutating func take(_ block: CaptureBlock) -> Bool {
        switch block {
        case .snapshot(let s):
            load(s)
        case .counters:
            break
        case .events(let view):
            var walker = RecordWalker(view.bytes)
            while let record = walker.next() {
                if !receive(record) { return false }
            }
        }
        return true
    }

    /// `take(_:)` for a capture merged from several hosts: a snapshot that names its host and a `KCAP_REC_HOST`
    /// record switch the receiver to that host (`hostMap` turns the file's host numbers into the receiver's)
    /// before what follows them.
    public mutating func take(_ block: CaptureBlock, hostMap: (UInt32) -> Int) -> Bool {
        switch block {
        case .snapshot(let s):
            if let h = s.host { switchHost(to: hostMap(h)) }
            load(s)
        case .counters:
            break
        case .events(let view):
            var walker = RecordWalker(view.bytes)
            while let record = walker.next() {
                if record.type == KcapABI.Host.recordType {
                    if let h = record.hostNumber { switchHost(to: hostMap(h)) }
                    continue
                }
                if !receive(record) { return false }
            }
        }
        return true
    }
}

extension RecordView {
    /// The host number of a `KCAP_REC_HOST` record (nil when the record is too short to hold one).
    public var hostNumber: UInt32? {
        bytes.count >= KcapABI.Host.host + 4 ? LE.u32(bytes, KcapABI.Host.host) : nil
    }
}

extension Engine {
    /// An engine for `source`'s records: its machine, clock offset and hosts.
    public convenience init<Source: RecordSource>(for source: Source) {
        self.init(machine: source.machine, realtimeOffsetNs: source.realtimeOffsetNs)
        setHosts(source.hostNames)
    }
}
