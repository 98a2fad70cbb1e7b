/// One packed item of a syscall or exec record (`struct kcap_item` + its bytes). A view: valid only as long as the
/// record bytes it points into.
public struct RecordItem {
    /// The raw `kind` byte (see `ItemKind`; unknown kinds are kept so callers can skip them).
    public let rawKind: UInt8
    /// The raw `arg` byte: the syscall argument (0-5) the item decodes, or 0xff for none.
    public let rawArg: UInt8
    /// The item's bytes, `len` long.
    public let data: UnsafeRawBufferPointer

    /// Creates an item view; used by the item iterator and by tests.
    @inlinable public init(rawKind: UInt8, rawArg: UInt8, data: UnsafeRawBufferPointer) {
        self.rawKind = rawKind
        self.rawArg = rawArg
        self.data = data
    }

    /// The item's kind, or nil when this kcap does not know it.
    @inlinable public var kind: ItemKind? { ItemKind(rawValue: rawKind) }
    /// The argument index this item decodes, or nil when it decodes none.
    @inlinable public var argIndex: Int? { rawArg == KcapABI.Item.noArg ? nil : Int(rawArg) }

    /// The bytes as a string (a PATH item): UTF-8, invalid bytes repaired, cut at a NUL if one is present.
    public var string: String {
        var end = 0
        while end < data.count && data[end] != 0 { end += 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: data[0..<end]), as: UTF8.self)
    }

    /// The strings of an ARGV item (each NUL-terminated; a last one without NUL was truncated and is kept).
    public var argv: [String] {
        var out: [String] = []
        var start = 0
        var i = 0
        while i < data.count {
            if data[i] == 0 {
                out.append(String(decoding: UnsafeRawBufferPointer(rebasing: data[start..<i]), as: UTF8.self))
                start = i + 1
            }
            i += 1
        }
        if start < data.count {
            out.append(String(decoding: UnsafeRawBufferPointer(rebasing: data[start..<data.count]), as: UTF8.self))
        }
        return out
    }

    /// The two fds of an FDPAIR item, or nil when it is not 8 bytes.
    public var fdPair: (Int32, Int32)? {
        guard data.count >= 8 else { return nil }
        return (Int32(bitPattern: LE.u32(data, 0)), Int32(bitPattern: LE.u32(data, 4)))
    }

    /// The `struct kcap_inode` of an INODE item, or nil when it is shorter than that.
    public var inode: InodeItem? { InodeItem(data) }

    /// The clone3 `clone_args.flags` (the first 8 bytes of a CLONE_ARGS item), if present.
    public var cloneArgsFlags: UInt64? {
        guard data.count >= 8 else { return nil }
        return LE.u64(data, 0)
    }
}

/// The items packed after a record's fixed part. Iteration stops at the declared count, at the end of the record, or
/// at the first item that would run past the end (`validate()` says which, as an error).
public struct RecordItems: Sequence {
    /// The record bytes from the first item to `hdr.len`.
    public let bytes: UnsafeRawBufferPointer
    /// The item count the record declares.
    public let declaredCount: Int
    /// Name of the record, for errors.
    @usableFromInline let recordName: StaticString
    /// Offset of `bytes` inside the record, for errors.
    @usableFromInline let baseOffset: Int

    /// Creates a view of `count` items packed in `bytes`.
    @inlinable public init(bytes: UnsafeRawBufferPointer, count: Int, recordName: StaticString = "record", baseOffset: Int = 0) {
        self.bytes = bytes
        self.declaredCount = count
        self.recordName = recordName
        self.baseOffset = baseOffset
    }

    /// Walks the items without allocating.
    public struct Iterator: IteratorProtocol {
        @usableFromInline let bytes: UnsafeRawBufferPointer
        @usableFromInline var remaining: Int
        @usableFromInline var offset = 0

        @inlinable init(bytes: UnsafeRawBufferPointer, remaining: Int) {
            self.bytes = bytes
            self.remaining = remaining
        }

        /// The next intact item, or nil at the end or at the first damaged one.
        @inlinable @inline(__always)
        public mutating func next() -> RecordItem? {
            guard remaining > 0, offset + KcapABI.Item.size <= bytes.count, let base = bytes.baseAddress else { return nil }
            // The whole item header lies at `offset` (checked above): its fields are read without a check each.
            let item = base + offset
            let kind = item.load(fromByteOffset: KcapABI.Item.kind, as: UInt8.self)
            let arg = item.load(fromByteOffset: KcapABI.Item.arg, as: UInt8.self)
            let len = Int(UInt16(littleEndian: item.loadUnaligned(fromByteOffset: KcapABI.Item.len, as: UInt16.self)))
            let start = offset + KcapABI.Item.size
            guard start + len <= bytes.count else { remaining = 0; return nil }
            remaining -= 1
            offset = start + len
            return RecordItem(rawKind: kind, rawArg: arg, data: UnsafeRawBufferPointer(start: base + start, count: len))
        }
    }

    /// An iterator over the intact items.
    @inlinable public func makeIterator() -> Iterator { Iterator(bytes: bytes, remaining: declaredCount) }

    /// Throws when an item runs past the end of the record or fewer items are present than declared.
    public func validate() throws(RecordDecodeError) {
        var offset = 0
        for index in 0..<declaredCount {
            guard offset + KcapABI.Item.size <= bytes.count else {
                throw .itemOverrun(record: recordName.description, index: index, offset: baseOffset + offset,
                                   length: KcapABI.Item.size, end: baseOffset + bytes.count)
            }
            let len = Int(LE.u16(bytes, offset + KcapABI.Item.len))
            guard offset + KcapABI.Item.size + len <= bytes.count else {
                throw .itemOverrun(record: recordName.description, index: index, offset: baseOffset + offset,
                                   length: len, end: baseOffset + bytes.count)
            }
            offset += KcapABI.Item.size + len
        }
    }

    /// The first intact item of `kind` (and, when given, whose raw `arg` byte is `arg`: an argument index,
    /// or `KcapABI.Item.noArg`). The engine asks this of nearly every record, so it walks the item headers
    /// itself, each load inside a range checked just before, instead of through the iterator's bounded loads.
    @inlinable @inline(__always)
    public func first(_ kind: ItemKind, arg: UInt8? = nil) -> RecordItem? {
        guard let base = bytes.baseAddress else { return nil }
        let end = bytes.count
        var offset = 0
        var remaining = declaredCount
        while remaining > 0, end - offset >= KcapABI.Item.size {
            let k = base.load(fromByteOffset: offset + KcapABI.Item.kind, as: UInt8.self)
            let a = base.load(fromByteOffset: offset + KcapABI.Item.arg, as: UInt8.self)
            let len = Int(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: offset + KcapABI.Item.len, as: UInt16.self)))
            let start = offset + KcapABI.Item.size
            guard len <= end - start else { return nil }
            if k == kind.rawValue, arg == nil || arg.unsafelyUnwrapped == a {
                return RecordItem(rawKind: k, rawArg: a, data: UnsafeRawBufferPointer(start: base + start, count: len))
            }
            offset = start + len
            remaining -= 1
        }
        return nil
    }
}
