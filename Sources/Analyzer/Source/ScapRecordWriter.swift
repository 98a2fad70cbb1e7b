import CaptureFormat

/// Builds one kcap record at a time in a buffer it keeps (grown once, reused for every event): the header,
/// the fixed part and packed items, padded to `KcapABI.recordAlign`, never past `KcapABI.recordMax` (an item
/// that would not fit is cut and the record flagged `.truncated`, as the recorder does).
struct ScapRecordWriter {
    private(set) var bytes: [UInt8] = []
    private var itemCount = 0
    private var itemCountOffset = -1

    init() { bytes.reserveCapacity(KcapABI.recordMax) }

    mutating func begin(type: RecordType, ts: UInt64, tid: UInt32, pid: UInt32, cpu: UInt16, flags: RecordFlags) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: repeatElement(0, count: type.fixedSize))
        put(ts, at: KcapABI.Header.tsNs)
        put(tid, at: KcapABI.Header.tid)
        put(pid, at: KcapABI.Header.pid)
        put(type.rawValue, at: KcapABI.Header.type)
        put(cpu, at: KcapABI.Header.cpu)
        put(flags.rawValue, at: KcapABI.Header.flags)
        itemCount = 0
        itemCountOffset = type == .syscall ? KcapABI.Syscall.nitems : (type == .procExec ? KcapABI.ProcExec.nitems : -1)
    }

    mutating func put<T: FixedWidthInteger>(_ v: T, at offset: Int) {
        var le = v.littleEndian
        withUnsafeBytes(of: &le) { raw in
            for i in 0..<raw.count { bytes[offset + i] = raw[i] }
        }
    }

    mutating func addFlags(_ f: RecordFlags) {
        let old = UInt16(bytes[KcapABI.Header.flags]) | UInt16(bytes[KcapABI.Header.flags + 1]) << 8
        put(old | f.rawValue, at: KcapABI.Header.flags)
    }

    /// Appends an item of `kind` for argument `arg`, cut to what still fits.
    mutating func item<C: Collection>(_ kind: ItemKind, arg: UInt8, _ data: C) where C.Element == UInt8 {
        let room = KcapABI.recordMax - KcapABI.recordAlign - bytes.count - KcapABI.Item.size
        guard room > 0, itemCountOffset >= 0 else { addFlags(.truncated); return }
        let n = min(data.count, room, Int(UInt16.max))
        if n < data.count { addFlags(.truncated) }
        bytes.append(kind.rawValue)
        bytes.append(arg)
        bytes.append(UInt8(n & 0xff))
        bytes.append(UInt8(n >> 8))
        bytes.append(contentsOf: data.prefix(n))
        itemCount += 1
    }

    /// Pads and writes the length and item count: `bytes` is then the record.
    mutating func finish() {
        while bytes.count % KcapABI.recordAlign != 0 { bytes.append(0) }
        put(UInt16(bytes.count), at: KcapABI.Header.len)
        if itemCountOffset >= 0 { put(UInt16(itemCount), at: itemCountOffset) }
    }
}
