import CaptureFormat

/// What one run did, as `kcap diff` compares two: programs executed, files written and read, connections
/// made, ports listened on, syscalls and errors per program, and latency percentiles per syscall.
///
/// Each part is a filter and the fields that name an item (`RunProfile.parts`), so what the diff says a
/// run did is what `kcap read -p 'FIELDS' 'FILTER'` shows of it, and counted by `GroupedStatistics`, the
/// counter of `kcap stats --by`.
public final class RunProfile {
    /// One part of the profile.
    public struct Part: Sendable {
        /// Its title in the report (and its key in the JSON).
        public let name: String
        /// Which events it counts (sysdig filter syntax).
        public let filter: String
        /// The fields that name an item.
        public let fields: [String]
        /// True when items are compared as sets (what one run did that the other did not); false when their
        /// counts and errors are compared (syscalls per program).
        public let isSet: Bool
        /// Between the fields' values when an item is printed ("tcp", "10.0.0.1", "443" → "tcp 10.0.0.1:443").
        public let separators: [String]

        init(name: String, filter: String, fields: [String], isSet: Bool, separators: [String] = []) {
            self.name = name
            self.filter = filter
            self.fields = fields
            self.isSet = isSet
            self.separators = separators
        }

        /// An item's text.
        public func text(_ key: [String]) -> String {
            var out = key.first ?? ""
            for (i, v) in key.dropFirst().enumerated() { out += (i < separators.count ? separators[i] : " ") + v }
            return out
        }
    }

    /// The parts, in report order.
    public static let parts: [Part] = [
        Part(name: "programs executed", filter: "evt.type=procexec", fields: ["proc.exepath"], isSet: true),
        Part(name: "files written", filter: "evt.is_io_write=true and fd.type=file", fields: ["fd.name"], isSet: true),
        Part(name: "files read", filter: "evt.is_io_read=true and fd.type=file", fields: ["fd.name"], isSet: true),
        // A non-blocking connect returns EINPROGRESS and connects all the same.
        Part(name: "connections", filter: "evt.type=connect and (evt.failed=false or evt.res=EINPROGRESS)",
             fields: ["fd.l4proto", "fd.sip", "fd.sport"], isSet: true, separators: [" ", ":"]),
        Part(name: "listening", filter: "evt.type=listen and evt.failed=false", fields: ["fd.l4proto", "fd.name"], isSet: true),
        Part(name: "syscalls", filter: "evt.category!=process", fields: ["proc.name", "evt.type"], isSet: false),
    ]

    /// The capture(s) profiled.
    public let paths: [String]
    /// Per part, its groups.
    public let groups: [GroupedStatistics]
    /// Latencies per syscall (and the rest of `kcap stats`).
    public let statistics: CaptureStatistics
    /// The engine's path pool, for the statistics' report.
    let engine: Engine

    /// Profiles `readers`' captures (one, or several read as one) in one replay. Throws the readers' errors.
    /// `progress` makes the progress line of a long replay (`ProgressMeter.terminal`), given the set's time range.
    public init(readers: [CaptureReader],
                progress: ((first: UInt64, last: UInt64)?) -> ProgressMeter? = { _ in nil }) throws {
        let replay = try CaptureSetReplay(readers: readers)
        replay.source.progress = progress(replay.timeRange)
        let printer = EventPrinter(engine: replay.engine)
        let compiler = FilterCompiler(eventTypeCodes: Event.typeCodes(machine: replay.engine.machine))
        var filters: [EventFilter] = []
        var groups: [GroupedStatistics] = []
        for part in Self.parts {
            // The parts are constants checked by the tests: a failure here is a bug, not bad input.
            filters.append(try compiler.compile(part.filter, for: Event.self))
            groups.append(try GroupedStatistics(by: part.fields, intervalNs: nil, printer: printer))
        }
        statistics = CaptureStatistics(machine: replay.engine.machine)
        _ = try ReadPipeline.run(replay, into: RunProfileSink(filters: filters, groups: groups, statistics: statistics, printer: printer))
        self.groups = groups
        paths = readers.map(\.path)
        engine = replay.engine
    }

    /// State bounds the replay reached (`Engine.limitWarnings`).
    public var limitWarnings: [String] { engine.limitWarnings }

    /// The statistics' report (every syscall's latency percentiles).
    public func report() -> StatisticsReport {
        statistics.report(limit: .max, counters: nil) { self.engine.paths.string($0) }
    }
}
