/// The values of one column for the row group being built: what a table's writer appends to, row by row.
/// Appending copies the value into the column's buffers and updates its statistics; nothing else is
/// allocated per value once the buffers have grown to a row group's size.
///
/// A class, so a sink appends through a plain reference (no copy-on-write check), with inlinable appends
/// into raw buffers; its state is touched by one writer on one thread, hence the unchecked exclusivity.
public final class ParquetColumn {
    /// The column's description.
    public let spec: ParquetColumnSpec
    @usableFromInline let optional: Bool
    @usableFromInline let isByteArray: Bool
    @usableFromInline let sparse: Bool
    let isUTF8: Bool
    /// Rows appended to this row group (values and nulls).
    public var rows: Int { rowCount }
    /// Rows without a value.
    public var nullCount: Int { nulls }
    @exclusivity(unchecked) @usableFromInline var rowCount = 0
    @exclusivity(unchecked) @usableFromInline var nulls = 0

    // Definition level per row (1: a value, 0: null), only for optional columns.
    @exclusivity(unchecked) @usableFromInline var definitions = RawBuffer<UInt8>()
    // Sparse columns: the rows of this row group that have a value, ascending (the others are null), and for a
    // list the number of elements of each.
    @exclusivity(unchecked) @usableFromInline var presentRows = RawBuffer<Int32>()
    @exclusivity(unchecked) @usableFromInline var listLengths = RawBuffer<Int32>()
    // INT32, INT64 and BOOLEAN values (present ones), widened to Int64; checked against the width at flush.
    @exclusivity(unchecked) @usableFromInline var ints = RawBuffer<Int64>()
    @exclusivity(unchecked) @usableFromInline var minInt = Int64.max
    @exclusivity(unchecked) @usableFromInline var maxInt = Int64.min
    // BYTE_ARRAY, dictionary mode: the dictionary and each present value's index.
    @exclusivity(unchecked) @usableFromInline var dictionary = ByteDictionary()
    @exclusivity(unchecked) @usableFromInline var indices = RawBuffer<UInt32>()
    // The last value's dictionary index: consecutive rows often repeat a value (a process's name, a type),
    // and comparing with one entry is cheaper than hashing and probing.
    @exclusivity(unchecked) @usableFromInline var lastIndex = -1
    // BYTE_ARRAY, PLAIN mode: the page body as PLAIN encodes it (4-byte length, bytes), and the extremes.
    @exclusivity(unchecked) var plain: [UInt8] = []
    @exclusivity(unchecked) var minBytes: [UInt8] = []
    @exclusivity(unchecked) var maxBytes: [UInt8] = []
    @exclusivity(unchecked) var hasByteExtremes = false
    /// Changes whenever the dictionary indices handed out before stop meaning anything (a new row group, a
    /// fallback to PLAIN): a caller that remembers `lastDictionaryIndex` for a value keeps it with this.
    @exclusivity(unchecked) public private(set) var dictionaryEpoch = 1
    /// Row groups still to be written uncompressed after ZSTD failed to shrink one of this column's chunks.
    var uncompressedChunksToCome = 0
    /// True while this row group's BYTE_ARRAY values are dictionary-encoded.
    @exclusivity(unchecked) public internal(set) var usesDictionary: Bool

    /// Past this many distinct values or bytes a row group's column falls back to PLAIN (as parquet-mr and
    /// Arrow do): a dictionary of mostly unique values costs more than it saves.
    public static let dictionaryLimitEntries = 1 << 16
    /// Byte limit of the dictionary (see `dictionaryLimitEntries`).
    public static let dictionaryLimitBytes = 1 << 20

    /// An empty column.
    public init(_ spec: ParquetColumnSpec) {
        self.spec = spec
        optional = spec.optional
        isByteArray = spec.physical == .byteArray
        sparse = spec.sparse
        isUTF8 = spec.logical == .string
        usesDictionary = spec.dictionary
    }

    deinit {
        definitions.deallocate()
        ints.deallocate()
        indices.deallocate()
        presentRows.deallocate()
        listLengths.deallocate()
    }

    /// Appends a null (to an optional column; a required one takes its type's zero so the row stays whole).
    @inlinable @inline(__always)
    public func appendNull() {
        rowCount += 1
        if optional {
            definitions.append(0)
            nulls += 1
            return
        }
        if isByteArray { appendPresentBytes(UnsafeRawBufferPointer(start: nil, count: 0)) } else { appendPresentInt(0) }
    }

    /// Appends an integer (INT32, INT64) or a boolean as 0/1.
    @inlinable @inline(__always)
    public func append(_ value: Int64) {
        rowCount += 1
        if optional { definitions.append(1) }
        appendPresentInt(value)
    }

    /// Appends an integer, or a null for nil.
    @inlinable @inline(__always)
    public func append(_ value: Int64?) {
        if let value { append(value) } else { appendNull() }
    }

    /// Appends a boolean.
    @inlinable @inline(__always)
    public func append(_ value: Bool) { append(Int64(value ? 1 : 0)) }

    /// Appends a byte string (BYTE_ARRAY).
    @inlinable @inline(__always)
    public func append(bytes: UnsafeRawBufferPointer) {
        rowCount += 1
        if optional { definitions.append(1) }
        appendPresentBytes(bytes)
    }

    /// Appends a string's UTF-8, or a null for nil.
    @inlinable @inline(__always)
    public func append(_ value: String?) {
        guard let value else { return appendNull() }
        if let done: Void = value.utf8.withContiguousStorageIfAvailable({ append(bytes: UnsafeRawBufferPointer($0)) }) {
            return done
        }
        var copy = value
        copy.withUTF8 { append(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// The dictionary index of the value appended last, or nil when it was written PLAIN (or none was).
    @inlinable
    public var lastDictionaryIndex: Int? { usesDictionary && lastIndex >= 0 ? lastIndex : nil }

    /// Appends the value the dictionary holds at `index` again: an index `lastDictionaryIndex` gave under the
    /// current `dictionaryEpoch`, for a caller that knows which of its values it stands for (an interned path)
    /// and so skips rendering and looking it up.
    @inlinable @inline(__always)
    public func append(dictionaryIndex index: Int) {
        rowCount += 1
        if optional { definitions.append(1) }
        indices.append(UInt32(truncatingIfNeeded: index))
        lastIndex = index
    }

    // MARK: sparse columns

    /// A sparse column: sets row `row`'s value (rows count from 0 in the open row group:
    /// `ParquetFileWriter.currentRow`), in ascending row order. False, with nothing set, when the row has its
    /// value already (an event that names an argument twice keeps the first).
    @inlinable @inline(__always)
    public func set(_ value: Int64, row: Int) -> Bool {
        guard claim(row) else { return false }
        appendPresentInt(value)
        return true
    }

    /// A sparse column: sets row `row`'s value to a byte string (see `set(_:row:)`).
    @inlinable @inline(__always)
    public func set(bytes: UnsafeRawBufferPointer, row: Int) -> Bool {
        guard claim(row) else { return false }
        appendPresentBytes(bytes)
        return true
    }

    /// A sparse column: sets row `row`'s value to the one at dictionary index `index` (see
    /// `append(dictionaryIndex:)` and `set(_:row:)`).
    @inlinable @inline(__always)
    public func set(dictionaryIndex index: Int, row: Int) -> Bool {
        guard claim(row) else { return false }
        indices.append(UInt32(truncatingIfNeeded: index))
        lastIndex = index
        return true
    }

    /// A sparse list column: sets row `row`'s value to an empty list, which `appendElement` then fills (see
    /// `set(_:row:)`).
    @inlinable @inline(__always)
    public func beginList(row: Int) -> Bool {
        guard claim(row) else { return false }
        listLengths.append(0)
        return true
    }

    /// Appends an element to the list `beginList` opened.
    @inlinable @inline(__always)
    public func appendElement(bytes: UnsafeRawBufferPointer) {
        listLengths.base[listLengths.count - 1] += 1
        appendPresentBytes(bytes)
    }

    @inlinable @inline(__always)
    func claim(_ row: Int) -> Bool {
        let r = Int32(truncatingIfNeeded: row)
        if presentRows.count > 0, presentRows.base[presentRows.count - 1] >= r { return false }
        presentRows.append(r)
        return true
    }

    /// A sparse column: the row group has `rows` rows; the ones not set are null.
    func fill(rows: Int) {
        rowCount = rows
        var empty = 0
        if spec.isList { for n in listLengths.values where n == 0 { empty += 1 } }
        nulls = rows - presentRows.count + empty
    }

    /// Leaf values the page holds, nulls included: a row each, but a list has one per element (one for an
    /// empty list).
    var slotCount: Int {
        guard spec.isList else { return rowCount }
        var n = rowCount - presentRows.count
        for l in listLengths.values { n += max(1, Int(l)) }
        return n
    }

    /// Appends the previous row's value again (a null, an integer, a dictionary string) without looking at
    /// it: for a caller that knows the value has not changed. False, with nothing appended, when there is no
    /// previous row in this row group or the column is writing PLAIN strings: append the value itself then.
    @inlinable @inline(__always)
    public func repeatLast() -> Bool {
        guard rowCount > 0 else { return false }
        if optional, definitions.base[definitions.count - 1] == 0 {
            appendNull()
            return true
        }
        if isByteArray {
            guard usesDictionary, lastIndex >= 0 else { return false }
            rowCount += 1
            if optional { definitions.append(1) }
            indices.append(UInt32(truncatingIfNeeded: lastIndex))
            return true
        }
        append(ints.base[ints.count - 1])
        return true
    }

    @inlinable @inline(__always)
    func appendPresentInt(_ v: Int64) {
        ints.append(v)
        if v < minInt { minInt = v }
        if v > maxInt { maxInt = v }
    }

    @inlinable @inline(__always)
    func appendPresentBytes(_ b: UnsafeRawBufferPointer) {
        if usesDictionary, lastIndex >= 0, dictionary.entryEquals(lastIndex, b) {
            indices.append(UInt32(truncatingIfNeeded: lastIndex))
            return
        }
        appendNewBytes(b)
    }

    /// A value other than the last one: looked up in the dictionary, or written PLAIN. A STRING column holds
    /// UTF-8, as readers require (DuckDB refuses the whole file otherwise): a value that is not, such as a
    /// binary buffer shown in an argument, has each invalid sequence replaced by U+FFFD.
    @usableFromInline
    func appendNewBytes(_ b: UnsafeRawBufferPointer) {
        if isUTF8, !Self.isASCII(b), String(validating: b, as: UTF8.self) == nil {
            let repaired = Array(String(decoding: b, as: UTF8.self).utf8)
            repaired.withUnsafeBytes { appendValidBytes($0) }
            return
        }
        appendValidBytes(b)
    }

    /// True when every byte is below 0x80 (the common case, checked eight bytes at a time).
    static func isASCII(_ b: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        while i + 8 <= b.count {
            if b.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            i += 8
        }
        while i < b.count {
            if b[i] >= 0x80 { return false }
            i += 1
        }
        return true
    }

    private func appendValidBytes(_ b: UnsafeRawBufferPointer) {
        if usesDictionary {
            lastIndex = dictionary.index(of: b)
            indices.append(UInt32(truncatingIfNeeded: lastIndex))
            if dictionary.count > Self.dictionaryLimitEntries || dictionary.byteCount > Self.dictionaryLimitBytes {
                fallBackToPlain()
            }
            return
        }
        appendPlain(b)
    }

    private func appendPlain(_ b: UnsafeRawBufferPointer) {
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: b.count).littleEndian) { plain.append(contentsOf: $0) }
        plain.append(contentsOf: b)
        if !hasByteExtremes {
            minBytes.append(contentsOf: b)
            maxBytes.append(contentsOf: b)
            hasByteExtremes = true
        } else if Self.compare(b, minBytes) < 0 {
            minBytes.removeAll(keepingCapacity: true)
            minBytes.append(contentsOf: b)
        } else if Self.compare(b, maxBytes) > 0 {
            maxBytes.removeAll(keepingCapacity: true)
            maxBytes.append(contentsOf: b)
        }
    }

    /// Rewrites the row group's values so far as PLAIN and stays PLAIN until the next row group.
    func fallBackToPlain() {
        let dict = dictionary
        usesDictionary = false
        dictionaryEpoch += 1
        lastIndex = -1
        dictionary.removeAll()
        for i in indices.values {
            dict.entry(Int(i)).withUnsafeBytes { appendPlain($0) }
        }
        indices.removeAll()
    }

    /// Unsigned lexicographic order of byte strings, the order Parquet's statistics use for BYTE_ARRAY.
    static func compare(_ a: UnsafeRawBufferPointer, _ b: [UInt8]) -> Int {
        b.withUnsafeBytes { b in
            let n = min(a.count, b.count)
            var i = 0
            while i < n {
                if a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
                i += 1
            }
            return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
        }
    }

    /// Empties the column for the next row group, keeping its storage.
    func reset() {
        rowCount = 0
        nulls = 0
        definitions.removeAll()
        ints.removeAll()
        minInt = .max
        maxInt = .min
        dictionary.removeAll()
        indices.removeAll()
        presentRows.removeAll()
        listLengths.removeAll()
        lastIndex = -1
        plain.removeAll(keepingCapacity: true)
        minBytes.removeAll(keepingCapacity: true)
        maxBytes.removeAll(keepingCapacity: true)
        hasByteExtremes = false
        usesDictionary = spec.dictionary
        dictionaryEpoch += 1
    }
}

/// Dictionary indices a dictionary-encoded column handed out, by a small key of the caller's (an event type,
/// an errno, an interned path id): a value met again is appended by its index, without being rendered,
/// hashed or compared. Entries hold the column's `dictionaryEpoch`, so a new row group's dictionary (or a
/// fallback to PLAIN) makes them miss.
public final class DictionaryIndexCache {
    @exclusivity(unchecked) private var slots: UnsafeMutablePointer<UInt64>
    @exclusivity(unchecked) private var capacity: Int

    /// An empty cache.
    public init() {
        capacity = 64
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: 0, count: capacity)
    }

    deinit { slots.deallocate() }

    /// Appends the value of `key` to `column`: by its remembered index, or by `append` (which appends it to
    /// the column), remembering the index the column gave it. `key` must be at least 0.
    @inline(__always)
    public func append(to column: UnownedColumn, key: Int, _ append: (UnownedColumn) -> Void) {
        let epoch = UInt64(truncatingIfNeeded: column.with { $0.dictionaryEpoch })
        if key < capacity, slots[key] >> 32 == epoch {
            let index = Int(truncatingIfNeeded: slots[key] & 0xffff_ffff)
            return column.with { $0.append(dictionaryIndex: index) }
        }
        append(column)
        guard let index = column.with({ $0.lastDictionaryIndex }) else { return }
        if key >= capacity { grow(to: key + 1) }
        slots[key] = epoch << 32 | UInt64(index)
    }

    private func grow(to needed: Int) {
        var bigger = capacity * 2
        while bigger < needed { bigger *= 2 }
        let p = UnsafeMutablePointer<UInt64>.allocate(capacity: bigger)
        p.initialize(from: slots, count: capacity)
        (p + capacity).initialize(repeating: 0, count: bigger - capacity)
        slots.deallocate()
        slots = p
        capacity = bigger
    }
}

/// A column reached without reference counting, for a table writer's per-row code: it knows the file writer
/// (which holds the column) outlives it. A `let` of a class, an array element or an `unowned(unsafe)` reference
/// would each cost a retain and a release per value, a third of an export's time.
@frozen
public struct UnownedColumn {
    @usableFromInline let ref: Unmanaged<ParquetColumn>

    /// `column`, unretained.
    public init(_ column: ParquetColumn) { ref = .passUnretained(column) }

    /// Calls `body` with the column.
    @inlinable @inline(__always)
    public func with<R>(_ body: (ParquetColumn) -> R) -> R { ref._withUnsafeGuaranteedRef(body) }

    /// `ParquetColumn.append(_:)` of an integer.
    @inlinable @inline(__always)
    public func append(_ value: Int64) { ref._withUnsafeGuaranteedRef { $0.append(value) } }

    /// `ParquetColumn.append(_:)` of an integer or null.
    @inlinable @inline(__always)
    public func append(_ value: Int64?) { ref._withUnsafeGuaranteedRef { $0.append(value) } }

    /// `ParquetColumn.append(_:)` of a boolean.
    @inlinable @inline(__always)
    public func append(_ value: Bool) { ref._withUnsafeGuaranteedRef { $0.append(value) } }

    /// `ParquetColumn.append(_:)` of a string or null.
    @inlinable @inline(__always)
    public func append(_ value: String?) { ref._withUnsafeGuaranteedRef { $0.append(value) } }

    /// `ParquetColumn.append(bytes:)`.
    @inlinable @inline(__always)
    public func append(bytes: UnsafeRawBufferPointer) { ref._withUnsafeGuaranteedRef { $0.append(bytes: bytes) } }

    /// `ParquetColumn.appendNull()`.
    @inlinable @inline(__always)
    public func appendNull() { ref._withUnsafeGuaranteedRef { $0.appendNull() } }

    /// `ParquetColumn.repeatLast()`.
    @inlinable @inline(__always)
    public func repeatLast() -> Bool { ref._withUnsafeGuaranteedRef { $0.repeatLast() } }
}
