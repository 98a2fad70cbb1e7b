import Foundation

/// Renders `GroupedStatistics` rows as an aligned table or as JSON; both the same for the same rows.
public enum GroupedStatisticsRenderer {
    /// The JSON document: the fields, the interval, and one object per row.
    struct Document: Encodable {
        struct Row: Encodable {
            let interval_start_ns: UInt64?
            let key: [String: String]
            let count: UInt64
            let errors: UInt64
            let time_ns: UInt64
            let bytes: UInt64
        }
        let by: [String]
        let interval_ns: UInt64?
        let rows: [Row]
    }

    /// Pretty JSON with sorted keys.
    public static func json(_ stats: GroupedStatistics, rows: [GroupedStatistics.Row]) throws -> String {
        let doc = Document(by: stats.fieldNames, interval_ns: stats.intervalNs, rows: rows.map { r in
            Document.Row(interval_start_ns: stats.intervalNs == nil ? nil : r.intervalStartNs,
                         key: Dictionary(zip(stats.fieldNames, r.key), uniquingKeysWith: { first, _ in first }),
                         count: r.figures.count, errors: r.figures.errors, time_ns: r.figures.timeNs, bytes: r.figures.bytes)
        })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(doc), as: UTF8.self) + "\n"
    }

    /// One table: an interval column (`+1.00s` after the first event) when there are intervals, a column per
    /// field, then count, errors, time in syscalls and bytes.
    public static func text(_ stats: GroupedStatistics, rows: [GroupedStatistics.Row]) -> String {
        var header = stats.intervalNs == nil ? [] : ["interval"]
        header += stats.fieldNames + ["count", "errors", "time", "bytes"]
        let cells = rows.map { r -> [String] in
            var c = stats.intervalNs == nil ? [] : ["+" + StatisticsRenderer.duration(r.intervalStartNs)]
            c += r.key
            c += ["\(r.figures.count)", "\(r.figures.errors)", StatisticsRenderer.duration(r.figures.timeNs),
                  StatisticsRenderer.bytes(r.figures.bytes)]
            return c
        }
        let firstNumber = header.count - 4
        var title = "events"
        if !stats.fieldNames.isEmpty { title += " by " + stats.fieldNames.joined(separator: ", ") }
        if let i = stats.intervalNs { title += " every " + StatisticsRenderer.duration(i) }
        return StatisticsRenderer.table(title, header, cells, rightAligned: Set(firstNumber..<header.count))
    }
}
