/// The values of one column for the row group being built: what a table's writer appends to, row by row.
/// Appending copies the value into the column's buffers and updates its statistics; nothing else is
/// allocated per value once the buffers have grown to a row group's size.
public struct ParquetColumn {
    /// The column's description.
    public let spec: ParquetColumnSpec
    /// Rows appended to this row group (values and nulls).
    public private(set) var rows = 0
    /// Rows without a value.
    public private(set) var nullCount = 0

    // Definition level per row (1: a value, 0: null), only for optional columns.
    var definitions: [UInt8] = []
    // INT32, INT64 and BOOLEAN values (present ones), widened to Int64; checked against the width at flush.
    var ints: [Int64] = []
    var minInt = Int64.max
    var maxInt = Int64.min
    // BYTE_ARRAY, dictionary mode: the dictionary and each present value's index.
    var dictionary = ByteDictionary()
    var indices: [UInt32] = []
    // The last value's dictionary index: consecutive rows often repeat a value (a process's name, a type),
    // and comparing with one entry is cheaper than hashing and probing.
    var lastIndex = -1
    // BYTE_ARRAY, PLAIN mode: the page body as PLAIN encodes it (4-byte length, bytes), and the extremes.
    var plain: [UInt8] = []
    var minBytes: [UInt8] = []
    var maxBytes: [UInt8] = []
    var hasByteExtremes = false
    /// True while this row group's BYTE_ARRAY values are dictionary-encoded.
    public private(set) var usesDictionary: Bool

    /// Past this many distinct values or bytes a row group's column falls back to PLAIN (as parquet-mr and
    /// Arrow do): a dictionary of mostly unique values costs more than it saves.
    public static let dictionaryLimitEntries = 1 << 16
    /// Byte limit of the dictionary (see `dictionaryLimitEntries`).
    public static let dictionaryLimitBytes = 1 << 20

    /// An empty column.
    public init(_ spec: ParquetColumnSpec) {
        self.spec = spec
        usesDictionary = spec.dictionary
    }

    /// Appends a null (to an optional column; a required one takes its type's zero so the row stays whole).
    @inline(__always)
    public mutating func appendNull() {
        rows += 1
        if spec.optional {
            definitions.append(0)
            nullCount += 1
            return
        }
        switch spec.physical {
        case .byteArray: appendPresentBytes(UnsafeRawBufferPointer(start: nil, count: 0))
        default: appendPresentInt(0)
        }
    }

    /// Appends an integer (INT32, INT64) or a boolean as 0/1.
    @inline(__always)
    public mutating func append(_ value: Int64) {
        rows += 1
        if spec.optional { definitions.append(1) }
        appendPresentInt(value)
    }

    /// Appends an integer, or a null for nil.
    @inline(__always)
    public mutating func append(_ value: Int64?) {
        if let value { append(value) } else { appendNull() }
    }

    /// Appends a boolean.
    @inline(__always)
    public mutating func append(_ value: Bool) { append(Int64(value ? 1 : 0)) }

    /// Appends a byte string (BYTE_ARRAY).
    @inline(__always)
    public mutating func append(bytes: UnsafeRawBufferPointer) {
        rows += 1
        if spec.optional { definitions.append(1) }
        appendPresentBytes(bytes)
    }

    /// Appends a string's UTF-8, or a null for nil.
    @inline(__always)
    public mutating func append(_ value: String?) {
        guard let value else { return appendNull() }
        if let done: Void = value.utf8.withContiguousStorageIfAvailable({ append(bytes: UnsafeRawBufferPointer($0)) }) {
            return done
        }
        var copy = value
        copy.withUTF8 { append(bytes: UnsafeRawBufferPointer($0)) }
    }

    @inline(__always)
    private mutating func appendPresentInt(_ v: Int64) {
        ints.append(v)
        if v < minInt { minInt = v }
        if v > maxInt { maxInt = v }
    }

    @inline(__always)
    private mutating func appendPresentBytes(_ b: UnsafeRawBufferPointer) {
        if usesDictionary {
            if lastIndex >= 0, dictionary.entryEquals(lastIndex, b) {
                indices.append(UInt32(truncatingIfNeeded: lastIndex))
                return
            }
            lastIndex = dictionary.index(of: b)
            indices.append(UInt32(truncatingIfNeeded: lastIndex))
            if dictionary.count > Self.dictionaryLimitEntries || dictionary.byteCount > Self.dictionaryLimitBytes {
                fallBackToPlain()
            }
            return
        }
        appendPlain(b)
    }

    private mutating func appendPlain(_ b: UnsafeRawBufferPointer) {
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
    mutating func fallBackToPlain() {
        let dict = dictionary
        let idx = indices
        usesDictionary = false
        lastIndex = -1
        indices.removeAll(keepingCapacity: true)
        dictionary.removeAll()
        for i in idx {
            dict.entry(Int(i)).withUnsafeBytes { appendPlain($0) }
        }
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
    mutating func reset() {
        rows = 0
        nullCount = 0
        definitions.removeAll(keepingCapacity: true)
        ints.removeAll(keepingCapacity: true)
        minInt = .max
        maxInt = .min
        dictionary.removeAll()
        indices.removeAll(keepingCapacity: true)
        lastIndex = -1
        plain.removeAll(keepingCapacity: true)
        minBytes.removeAll(keepingCapacity: true)
        maxBytes.removeAll(keepingCapacity: true)
        hasByteExtremes = false
        usesDictionary = spec.dictionary
    }
}
