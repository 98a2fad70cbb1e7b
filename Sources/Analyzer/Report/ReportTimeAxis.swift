/// The report's time buckets: at most `maxBuckets` buckets of a round length (1, 2 or 5 times a power of ten
/// ns) from `startNs`. Sized from the window known before the replay; an event past the last bucket (a source
/// whose end was not known) doubles the length, and whoever holds per-bucket figures merges them in pairs
/// (`ReportAccumulator.grow`). Events come in time order, so the bucket of the event before is checked first.
struct ReportTimeAxis {
    /// Boot-time ns of bucket 0's start.
    let startNs: UInt64
    /// Length of a bucket, ns.
    private(set) var widthNs: UInt64
    /// The bound on buckets.
    let maxBuckets: Int
    /// Buckets that hold an event (the highest index used, plus one).
    private(set) var used = 0
    /// The bucket of the last event and its bounds.
    private var lastIndex = 0
    private var lastLow: UInt64 = 1, lastHigh: UInt64 = 0

    /// An axis over `startNs...endNs` in at most `maxBuckets` buckets (a bucket of 1 ms when the end is unknown).
    init(startNs: UInt64, endNs: UInt64?, maxBuckets: Int) {
        self.startNs = startNs
        self.maxBuckets = maxBuckets
        if let endNs, endNs >= startNs, endNs != .max {
            let span = endNs - startNs
            widthNs = Self.roundLength(span / UInt64(maxBuckets) + 1)
        } else {
            widthNs = 1_000_000
        }
    }

    /// The smallest of 1, 2, 5 times a power of ten that is >= `ns`.
    static func roundLength(_ ns: UInt64) -> UInt64 {
        var scale: UInt64 = 1
        while true {
            for m: UInt64 in [1, 2, 5] {
                let (v, overflow) = m.multipliedReportingOverflow(by: scale)
                if overflow { return UInt64(1) << 63 }
                if v >= ns { return v }
            }
            let (next, overflow) = scale.multipliedReportingOverflow(by: 10)
            if overflow { return UInt64(1) << 63 }
            scale = next
        }
    }

    /// The bucket of boot-time `ns`, or -1 when the axis must double first (`double()`), which the caller
    /// does with its figures and asks again. Times before the start go in bucket 0.
    @inline(__always)
    mutating func index(_ ns: UInt64) -> Int {
        if ns >= lastLow && ns < lastHigh { return lastIndex }
        return slowIndex(ns)
    }

    @inline(never)
    private mutating func slowIndex(_ ns: UInt64) -> Int {
        let offset = ns > startNs ? ns - startNs : 0
        let q = offset / widthNs
        guard q < UInt64(maxBuckets) else { return -1 }
        let i = Int(q)
        lastIndex = i
        lastLow = ns < startNs ? 0 : startNs + q * widthNs
        let (high, overflow) = (startNs + q * widthNs).addingReportingOverflow(widthNs)
        lastHigh = overflow ? .max : high
        if i + 1 > used { used = i + 1 }
        return i
    }

    /// Doubles the bucket length: bucket i becomes bucket i / 2.
    mutating func double() {
        widthNs = widthNs > UInt64.max / 2 ? .max : widthNs * 2
        used = (used + 1) / 2
        lastLow = 1
        lastHigh = 0
    }
}
