import CaptureFormat

/// Cuts a real capture into two files with the real writer, so tests can check that reading the pieces
/// together gives back what reading the whole gave: a rotation (everything up to a time in the first file,
/// the rest in the second, which has no snapshot of its own) or two overlapping shards (records dealt out
/// between the files, as per-CPU files would hold them).
public enum CaptureSplit {
    /// Which piece a record goes to.
    public enum Rule {
        /// Records and blocks at or before this boot-time ns go to the first file, the rest to the second.
        case at(UInt64)
        /// Records alternate between the files (the first record to the first file); every snapshot and
        /// counters block goes to the first file.
        case alternate
    }

    /// Every record's timestamp, sorted (for cuts and windows with events on both sides).
    public static func timestamps(_ path: String) throws -> [UInt64] {
        var stamps: [UInt64] = []
        try CaptureReader(path: path).forEachBlock { block in
            if case .events(let view) = block { view.forEachRecord { stamps.append($0.timestampNs) } }
        }
        return stamps.sorted()
    }

    /// Writes the two pieces of `path` to `first` and `second` (both with the original's header); returns how
    /// many records each got.
    @discardableResult
    public static func split(_ path: String, by rule: Rule, into first: String, _ second: String) throws -> (Int, Int) {
        let reader = try CaptureReader(path: path)
        let writers = [try CaptureWriter(path: first, header: reader.header), try CaptureWriter(path: second, header: reader.header)]
        var chunks = [EventChunk(), EventChunk()]
        var counts = [0, 0]
        var dealt = 0
        func flush(_ k: Int) throws {
            try writers[k].write(chunks[k])
            chunks[k].reset()
        }
        func side(_ ts: UInt64) -> Int {
            switch rule {
            case .at(let cut): return ts <= cut ? 0 : 1
            case .alternate: return 0
            }
        }
        try reader.forEachBlock { block in
            switch block {
            case .snapshot(let s):
                let k = side(s.timestampNs)
                try flush(k)
                try writers[k].write(s)
            case .counters(let c):
                let k = side(c.timestampNs)
                try flush(k)
                try writers[k].write(c)
            case .events(let view):
                try view.forEachRecord { record in
                    let k: Int
                    switch rule {
                    case .at(let cut): k = record.timestampNs <= cut ? 0 : 1
                    case .alternate: k = dealt % 2
                    }
                    dealt += 1
                    counts[k] += 1
                    if !chunks[k].append(record.bytes) {
                        try flush(k)
                        _ = chunks[k].append(record.bytes)
                    }
                }
            }
        }
        for k in 0..<2 {
            try flush(k)
            try writers[k].finish()
        }
        return (counts[0], counts[1])
    }
}
