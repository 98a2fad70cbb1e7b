import ScapFormat

/// `evt.type` names of the events only other recorders have (a sysdig capture's `switch`, `signaldeliver`, or a
/// syscall kcap's table does not name), by ppm event id, as UTF-8 bytes like `EventTypeNames`' own.
///
/// Apart from `EventTypeNames` and built on first use because it parses the whole ppm event table: a kcap
/// capture never holds a foreign event, and building it at every start was a third of the instructions of
/// replaying a small capture.
final class ForeignEventNames: @unchecked Sendable {
    // Immutable after init, which is what lets the one instance be shared.
    private let stable: UnsafeMutableRawBufferPointer
    private let ranges: [Range<Int>]
    private let strings: [String]

    static let shared = ForeignEventNames()

    private init() {
        var storage: [UInt8] = [], ranges: [Range<Int>] = [], strings: [String] = []
        for row in ScapEventTable.rows {
            let name = row?.name ?? "unknown"
            let start = storage.count
            storage.append(contentsOf: name.utf8)
            ranges.append(start..<storage.count)
            strings.append(name)
        }
        (self.ranges, self.strings) = (ranges, strings)
        stable = UnsafeMutableRawBufferPointer.allocate(byteCount: max(storage.count, 1), alignment: 8)
        stable.copyBytes(from: storage)
    }

    deinit { stable.deallocate() }

    /// The number of ppm event ids.
    var count: Int { ranges.count }

    /// The name of ppm event `id` as bytes (valid for the life of the process), nil for an id out of the table.
    func nameBytes(_ id: Int) -> UnsafeRawBufferPointer? {
        guard id >= 0 && id < ranges.count else { return nil }
        return UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(stable)[ranges[id]])
    }

    /// The name of ppm event `id`, nil for an id out of the table.
    func name(_ id: Int) -> String? { id >= 0 && id < strings.count ? strings[id] : nil }

    /// The ids of the events called `name` (every ppm id with that name, both directions).
    func ids(named name: String) -> [Int] { strings.indices.filter { strings[$0] == name } }
}
