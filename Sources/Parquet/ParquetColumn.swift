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
    let isUTF8: Bool
    /// Rows appended to this row group (values and nulls).
    public var rows: Int { rowCount }
    /// Rows without a value.
    public var nullCount: Int { nulls }
    @exclusivity(unchecked) @usableFromInline var rowCount = 0
    @exclusivity(unchecked) @usableFromInline var nulls = 0

    // Definition level per row (1: a value, 0: null), only for optional columns.
    @exclusivity(unchecked) @usableFromInline var definitions = RawBuffer<UInt8>()
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
        isUTF8 = spec.logical == .string
        usesDictionary = spec.dictionary
    }

    deinit {
        definitions.deallocate()
        ints.deallocate()
        indices.deallocate()
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
        lastIndex = -1
        plain.removeAll(keepingCapacity: true)
        minBytes.removeAll(keepingCapacity: true)
        maxBytes.removeAll(keepingCapacity: true)
        hasByteExtremes = false
        usesDictionary = spec.dictionary
    }
}
