/// Small text helpers for the renderers; internal, so `Policy` adds nothing to `String`'s public API.
extension String {
    /// Pads with spaces to `width` characters, for aligned columns.
    func padding(to width: Int) -> String {
        self + String(repeating: " ", count: max(0, width - count))
    }

    /// Drops trailing spaces, so the last column leaves no invisible padding.
    var trimmingTrailingSpaces: String {
        String(self[..<(lastIndex { $0 != " " }.map(index(after:)) ?? startIndex)])
    }

    /// A Markdown table cell cannot hold a raw `|`.
    var replacingPipes: String {
        split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|")
    }

    /// The string with its first character uppercased, to start a sentence.
    var capitalizedFirst: String {
        prefix(1).uppercased() + dropFirst()
    }
}
