/// When a recording moves to a new file and how many it keeps, in the spirit of tcpdump's -C/-G/-W.
///
/// Naming: without rotation the capture is written to the path as given. With -C or -G the files are
/// numbered from 0 before the extension, three digits at least: `trace.kcap` → `trace-000.kcap`,
/// `trace-001.kcap`, ... (the `.kcap` extension stays, so tools and shells keep recognising the files, and
/// names sort in recording order). With -W N only the newest N files are kept: starting file k deletes file
/// k-N. Every file is self-contained: its own header, a start snapshot, its events and its final counters.
public struct RotationPolicy: Sendable, Equatable {
    /// Start a new file once the current one holds this many bytes (0: no size limit).
    public var maxBytes: UInt64 = 0
    /// Start a new file once the current one is this old, in ns (0: no time limit).
    public var maxAgeNs: UInt64 = 0
    /// Keep only the newest this-many files (0: keep all).
    public var maxFiles: Int = 0

    /// A policy; all zero means one file, no rotation.
    public init(maxBytes: UInt64 = 0, maxAgeNs: UInt64 = 0, maxFiles: Int = 0) {
        self.maxBytes = maxBytes
        self.maxAgeNs = maxAgeNs
        self.maxFiles = maxFiles
    }

    /// Whether files are numbered at all.
    public var rotates: Bool { maxBytes > 0 || maxAgeNs > 0 }

    /// The name of file number `index` for the user's `path`.
    public func fileName(for path: String, index: Int) -> String {
        guard rotates else { return path }
        let num = String(index)
        let padded = String(repeating: "0", count: max(0, 3 - num.count)) + num
        let slash = path.lastIndex(of: "/")
        let nameStart = slash.map { path.index(after: $0) } ?? path.startIndex
        if let dot = path[nameStart...].lastIndex(of: "."), dot != nameStart {
            return String(path[..<dot]) + "-" + padded + String(path[dot...])
        }
        return path + "-" + padded
    }
}
