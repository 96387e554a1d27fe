/// Turns words a caller typed into a safe FTS5 query.
///
/// Text from the model is data, never query syntax: every word is quoted
/// (FTS5 operators, column filters and parentheses lose their meaning) and
/// matched as a prefix, and all words must match.
enum FullTextQuery {
    /// `"web"* AND "prod"*` for `web prod`; nil when there are no words.
    static func prefixQuery(_ text: String) -> String? {
        let words = text
            .split { !($0.isLetter || $0.isNumber) }
            .prefix(16)
            .map { "\"\($0.replacingOccurrences(of: "\"", with: ""))\"*" }
        return words.isEmpty ? nil : words.joined(separator: " AND ")
    }
}
