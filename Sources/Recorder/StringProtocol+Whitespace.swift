extension StringProtocol {
    /// The string without leading and trailing spaces, tabs and newlines (no Foundation needed).
    func trimmingCharacters(whitespace: Bool) -> String {
        let ws: Set<Character> = [" ", "\t", "\n", "\r"]
        var s = Substring(String(self))
        while let f = s.first, ws.contains(f) { s = s.dropFirst() }
        while let l = s.last, ws.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
