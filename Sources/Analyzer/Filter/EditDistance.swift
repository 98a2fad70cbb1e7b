/// Nearest-name suggestions for misspelt fields and operators.
enum EditDistance {
    /// Edit distance between two strings, over their characters: insertions, deletions, substitutions and
    /// swaps of two neighbours each count one (so `contians` is one edit from `contains`).
    /// Exact when the distance is at most `cap`; otherwise some number above `cap`. Past the cap the figure is
    /// not needed: once a whole row of the table exceeds it the walk stops (row minima never decrease, swaps
    /// included), which spares `nearest` most of the table for names that are far apart.
    static func distance(_ a: String, _ b: String, cap: Int = .max) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        // Three rows of the dynamic-programming table: two back is needed for swaps.
        var twoBack = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMin = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], twoBack[j - 2] + 1)
                }
                rowMin = min(rowMin, current[j])
            }
            if rowMin > cap { return cap + 1 }
            (twoBack, previous, current) = (previous, current, twoBack)
        }
        return previous[b.count]
    }

    /// The candidate closest to `word`, if close enough to be a plausible typo: at most a third of the word's
    /// length (at least 1, at most 3) edits away. Ties go to the earlier candidate.
    static func nearest(to word: String, in candidates: [String]) -> String? {
        let length = word.count
        let limit = max(1, min(3, length / 3))
        var best: (String, Int)?
        for c in candidates {
            // Each edit changes the length by at most one: a candidate further off in length cannot qualify.
            if abs(c.count - length) > limit { continue }
            let d = distance(word, c, cap: limit)
            if d <= limit, best == nil || d < best!.1 { best = (c, d) }
        }
        return best?.0
    }
}
