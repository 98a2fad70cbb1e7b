/// `kcap diff A B`: what run B did that run A did not (and the reverse), per `RunProfile` part, the syscall
/// counts and errors per program that changed, the latency percentiles that moved, and the thresholds the
/// changes exceed. Every list is sorted, so the same two captures give the same report on every machine.
public struct RunDiff: Encodable, Equatable {
    /// An item one run has and the other has not.
    public struct Item: Encodable, Equatable {
        /// The item's field values (`/usr/bin/curl`, `tcp 10.0.0.1:443`: `RunProfile.Part.text`).
        public let item: String
        /// Events that named it in A and in B (one of them is 0).
        public let before: UInt64, after: UInt64
    }

    /// One set part's changes.
    public struct SetChanges: Encodable, Equatable {
        public let part: String
        public let added: [Item]
        public let removed: [Item]
    }

    /// A program's syscall whose count or errors changed.
    public struct CountChange: Encodable, Equatable {
        public let program: String
        public let syscall: String
        public let countBefore: UInt64, countAfter: UInt64
        public let errorsBefore: UInt64, errorsAfter: UInt64
    }

    /// A syscall whose latency percentiles moved.
    public struct LatencyChange: Encodable, Equatable {
        public let syscall: String
        public let p50Before: UInt64, p50After: UInt64
        public let p99Before: UInt64, p99After: UInt64
    }

    /// When a diff fails a CI run (nil: no limit), and what is too small to report.
    public struct Thresholds: Equatable {
        /// Items B has that A has not, over every set part.
        public var maxNew: Int?
        /// Errors B has more than A, over every program's syscalls.
        public var maxNewErrors: UInt64?
        /// Growth of one program's count of one syscall, in percent.
        public var maxCountIncreasePercent: Double?
        /// Growth of one syscall's p99 latency, in percent.
        public var maxLatencyIncreasePercent: Double?
        /// Count and latency changes below this (percent) are not reported (set changes always are).
        public var minChangePercent: Double = 10
        /// No limits; changes under 10% unreported.
        public init() {}
    }

    /// The captures compared.
    public let a: [String], b: [String]
    /// Per set part, in `RunProfile.parts` order.
    public let sets: [SetChanges]
    /// Count and error changes, by program then syscall.
    public let syscalls: [CountChange]
    /// Latency changes, by syscall.
    public let latency: [LatencyChange]
    /// One line per threshold exceeded (empty: the diff passes).
    public let exceeded: [String]

    /// True when nothing changed.
    public var isEmpty: Bool {
        sets.allSatisfy { $0.added.isEmpty && $0.removed.isEmpty } && syscalls.isEmpty && latency.isEmpty
    }

    /// Compares run `a` with run `b`.
    public init(_ a: RunProfile, _ b: RunProfile, thresholds: Thresholds = Thresholds()) {
        self.a = a.paths
        self.b = b.paths
        var sets: [SetChanges] = []
        var syscalls: [CountChange] = []
        for (i, part) in RunProfile.parts.enumerated() {
            let before = Self.table(a.groups[i]), after = Self.table(b.groups[i])
            if part.isSet {
                let added = Self.sorted(after.keys.filter { before[$0] == nil }).map {
                    Item(item: part.text($0), before: 0, after: after[$0]!.count)
                }
                let removed = Self.sorted(before.keys.filter { after[$0] == nil }).map {
                    Item(item: part.text($0), before: before[$0]!.count, after: 0)
                }
                sets.append(SetChanges(part: part.name, added: added, removed: removed))
                continue
            }
            for key in Self.sorted(Set(before.keys).union(after.keys)) {
                let x = before[key] ?? GroupedStatistics.Figures(), y = after[key] ?? GroupedStatistics.Figures()
                guard x.count == 0 || y.count == 0 || x.errors != y.errors
                        || Self.percent(x.count, y.count).magnitude > thresholds.minChangePercent else { continue }
                syscalls.append(CountChange(program: key.first ?? "", syscall: key.dropFirst().joined(separator: " "),
                                            countBefore: x.count, countAfter: y.count, errorsBefore: x.errors, errorsAfter: y.errors))
            }
        }
        var latency: [LatencyChange] = []
        let ra = Dictionary(a.report().topSyscallsByCount.compactMap { r in r.latencyNs.map { (r.name, $0) } }, uniquingKeysWith: { x, _ in x })
        let rb = Dictionary(b.report().topSyscallsByCount.compactMap { r in r.latencyNs.map { (r.name, $0) } }, uniquingKeysWith: { x, _ in x })
        for name in Set(ra.keys).intersection(rb.keys).sorted() {
            let x = ra[name]!, y = rb[name]!
            guard Self.percent(x.p99, y.p99).magnitude > thresholds.minChangePercent
                    || Self.percent(x.p50, y.p50).magnitude > thresholds.minChangePercent else { continue }
            latency.append(LatencyChange(syscall: name, p50Before: x.p50, p50After: y.p50, p99Before: x.p99, p99After: y.p99))
        }
        self.sets = sets
        self.syscalls = syscalls
        self.latency = latency
        exceeded = Self.exceeded(sets: sets, syscalls: syscalls, latency: latency, thresholds: thresholds)
    }

    /// Keys in order, field by field.
    static func sorted<S: Sequence<[String]>>(_ keys: S) -> [[String]] {
        keys.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// Key → figures of one part.
    static func table(_ g: GroupedStatistics) -> [[String]: GroupedStatistics.Figures] {
        Dictionary(g.rows().map { ($0.key, $0.figures) }, uniquingKeysWith: { x, _ in x })
    }

    /// The change from `x` to `y` in percent (infinite from 0 to more).
    public static func percent(_ x: UInt64, _ y: UInt64) -> Double {
        if x == y { return 0 }
        if x == 0 { return .infinity }
        return (Double(y) - Double(x)) / Double(x) * 100
    }

    static func exceeded(sets: [SetChanges], syscalls: [CountChange], latency: [LatencyChange], thresholds t: Thresholds) -> [String] {
        var out: [String] = []
        let new = sets.reduce(0) { $0 + $1.added.count }
        if let max = t.maxNew, new > max { out.append("\(new) new items (programs, files, connections, ports), more than --max-new \(max)") }
        let newErrors = syscalls.reduce(UInt64(0)) { $0 + ($1.errorsAfter > $1.errorsBefore ? $1.errorsAfter - $1.errorsBefore : 0) }
        if let max = t.maxNewErrors, newErrors > max { out.append("\(newErrors) more failed syscalls, more than --max-new-errors \(max)") }
        if let max = t.maxCountIncreasePercent {
            for c in syscalls where c.countBefore > 0 && percent(c.countBefore, c.countAfter) > max {
                out.append("\(c.program) \(c.syscall): \(c.countBefore) -> \(c.countAfter) calls, more than --max-count-increase \(Self.text(max))%")
            }
        }
        if let max = t.maxLatencyIncreasePercent {
            for l in latency where percent(l.p99Before, l.p99After) > max {
                out.append("\(l.syscall): p99 \(l.p99Before)ns -> \(l.p99After)ns, more than --max-latency-increase \(Self.text(max))%")
            }
        }
        return out
    }

    /// A percentage without a needless fraction (`10`, `12.5`).
    static func text(_ v: Double) -> String {
        v == v.rounded() && v.magnitude < 1e15 ? String(Int64(v)) : String(v)
    }
}
