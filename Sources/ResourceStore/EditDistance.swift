/// Levenshtein distance, for "did you mean" suggestions.
enum EditDistance {
    /// The number of single-character edits between `lhs` and `rhs`, capped at 64 characters each.
    static func between(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs.prefix(64)), b = Array(rhs.prefix(64))
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = Array(repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
