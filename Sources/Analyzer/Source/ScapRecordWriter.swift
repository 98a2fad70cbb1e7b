import CaptureFormat

/// Builds one kcap record at a time in a buffer it keeps (allocated once, reused for every event): the
/// header, the fixed part and packed items, padded to `KcapABI.recordAlign`, never past `KcapABI.recordMax`
/// (an item that would not fit is cut and the record flagged `.truncated`, as the recorder does).
final class ScapRecordWriter {
    private let buffer: UnsafeMutableRawPointer
    /// Bytes written so far. (Unchecked: one translator writes one record at a time.)
    @exclusivity(unchecked) private(set) var count = 0
    @exclusivity(unchecked) private var itemCount = 0
    @exclusivity(unchecked) private var itemCountOffset = -1

    /// (kind << 8 | arg) of each item of the record, in order.
    private let keys: UnsafeMutablePointer<UInt16>

    init() {
        buffer = .allocate(byteCount: KcapABI.recordMax, alignment: 16)
        keys = .allocate(capacity: KcapABI.recordMax / KcapABI.Item.size)
    }

    deinit {
        buffer.deallocate()
        keys.deallocate()
    }

    /// Whether the record has an item of `kind` for argument `arg`.
    func hasItem(_ kind: UInt8, arg: UInt8) -> Bool {
        let key = UInt16(kind) << 8 | UInt16(arg)
        for i in 0..<itemCount where keys[i] == key { return true }
        return false
    }

    /// The record (after `finish`), or what is written so far.
    @inline(__always)
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: buffer, count: count) }

    /// The finished record.
    @inline(__always)
    var view: RecordView { RecordView(bytes: bytes) }

    @inline(__always)
    func begin(type: RecordType, ts: UInt64, tid: UInt32, pid: UInt32, cpu: UInt16, flags: RecordFlags) {
        count = type.fixedSize
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: count)
        put(ts, at: KcapABI.Header.tsNs)
        put(tid, at: KcapABI.Header.tid)
        put(pid, at: KcapABI.Header.pid)
        put(type.rawValue, at: KcapABI.Header.type)
        put(cpu, at: KcapABI.Header.cpu)
        put(flags.rawValue, at: KcapABI.Header.flags)
        itemCount = 0
        itemCountOffset = type == .syscall ? KcapABI.Syscall.nitems : (type == .procExec ? KcapABI.ProcExec.nitems : -1)
    }

    @inline(__always)
    func put<T: FixedWidthInteger>(_ v: T, at offset: Int) {
        buffer.storeBytes(of: v.littleEndian, toByteOffset: offset, as: T.self)
    }

    func addFlags(_ f: RecordFlags) {
        let old = buffer.loadUnaligned(fromByteOffset: KcapABI.Header.flags, as: UInt16.self).littleEndian
        put(old | f.rawValue, at: KcapABI.Header.flags)
    }

    /// Appends an item of `kind` for argument `arg`, cut to what still fits.
    @inline(__always)
    func item(_ kind: ItemKind, arg: UInt8, _ data: UnsafeRawBufferPointer) {
        let room = KcapABI.recordMax - KcapABI.recordAlign - count - KcapABI.Item.size
        guard room > 0, itemCountOffset >= 0 else { addFlags(.truncated); return }
        let n = min(data.count, room, Int(UInt16.max))
        if n < data.count { addFlags(.truncated) }
        let p = buffer + count
        p.storeBytes(of: kind.rawValue, as: UInt8.self)
        p.storeBytes(of: arg, toByteOffset: 1, as: UInt8.self)
        p.storeBytes(of: UInt16(n).littleEndian, toByteOffset: 2, as: UInt16.self)
        if n > 0 { (p + KcapABI.Item.size).copyMemory(from: data.baseAddress!, byteCount: n) }
        count += KcapABI.Item.size + n
        keys[itemCount] = UInt16(kind.rawValue) << 8 | UInt16(arg)
        itemCount += 1
    }

    /// `item` of bytes in an array.
    func item(_ kind: ItemKind, arg: UInt8, _ data: [UInt8]) {
        data.withUnsafeBytes { item(kind, arg: arg, $0) }
    }

    /// Pads and writes the length and item count: `bytes` is then the record.
    @inline(__always)
    func finish() {
        while count % KcapABI.recordAlign != 0 {
            buffer.storeBytes(of: 0, toByteOffset: count, as: UInt8.self)
            count += 1
        }
        put(UInt16(count), at: KcapABI.Header.len)
        if itemCountOffset >= 0 { put(UInt16(itemCount), at: itemCountOffset) }
    }
}
