/// The patterns of a `pmatch (...)`: a path matches when some pattern's components are the leading components
/// of the path (`/opt/dir` matches `/opt/dir` and `/opt/dir/x`, not `/opt/directory`). A component with
/// wildcards matches like `glob` within that component.
struct PathPrefixSet: Sendable {
    enum Component: Sendable { case literal([UInt8]), glob(GlobPattern) }
    let patterns: [[Component]]

    init(_ texts: [String]) {
        patterns = texts.map { text in
            text.split(separator: "/").map { part in
                GlobPattern.hasWildcards(String(part)) ? .glob(GlobPattern(String(part))) : .literal(Array(part.utf8))
            }
        }
    }

    func matches(_ path: UnsafeRawBufferPointer) -> Bool {
        patternLoop: for pattern in patterns {
            var i = 0
            for component in pattern {
                while i < path.count, path[i] == UInt8(ascii: "/") { i += 1 }
                guard i < path.count else { continue patternLoop }
                var end = i
                while end < path.count, path[end] != UInt8(ascii: "/") { end += 1 }
                let part = UnsafeRawBufferPointer(rebasing: path[i..<end])
                switch component {
                case .literal(let bytes):
                    guard bytes.count == part.count, bytes.elementsEqual(part) else { continue patternLoop }
                case .glob(let g):
                    guard g.matches(part) else { continue patternLoop }
                }
                i = end
            }
            return true
        }
        return false
    }
}
