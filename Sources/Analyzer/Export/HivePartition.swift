/// One directory of a Hive-style partitioned dataset, `host=H/date=YYYY-MM-DD/hour=HH`, as DuckDB
/// (`hive_partitioning`), Spark and pyarrow read them: engines turn the names into columns and skip whole
/// directories by them. The hour is UTC.
public struct HivePartition: Hashable {
    /// The recording host, with every character other than letters, digits, `.`, `-` and `_` replaced by `_`
    /// (a `/` or `=` would break the layout).
    public let host: String
    /// Hours since the Unix epoch (UTC).
    public let hour: Int64

    /// The partition of an event at wall-clock `wallNs` on `host`.
    public init(host: String, wallNs: Int64) {
        self.host = Self.sanitized(host)
        hour = Self.hour(of: wallNs)
    }

    /// Hours since the epoch of `wallNs`, rounded down (also for instants before 1970).
    @inline(__always)
    public static func hour(of wallNs: Int64) -> Int64 {
        let h = wallNs / 3_600_000_000_000
        return wallNs < 0 && wallNs % 3_600_000_000_000 != 0 ? h - 1 : h
    }

    /// `host=H`, the directory of the host's tables that have no time (processes).
    public var hostDirectory: String { "host=\(host)" }

    /// `host=H/date=YYYY-MM-DD/hour=HH`.
    public var directory: String {
        let days = hour >= 0 ? hour / 24 : (hour - 23) / 24
        let (y, m, d) = EventPrinter.civil(days: days)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(hostDirectory)/date=\(y)-\(two(m))-\(two(d))/hour=\(two(hour - days * 24))"
    }

    static func sanitized(_ host: String) -> String {
        let s = String(host.unicodeScalars.map { c -> Character in
            c.properties.isAlphabetic && c.isASCII || ("0"..."9").contains(c) || c == "." || c == "-" || c == "_"
                ? Character(c) : "_"
        })
        return s.isEmpty ? "unknown" : s
    }
}
