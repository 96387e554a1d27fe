/// Completion of resource ids and names, for `completion/complete`.
///
/// A prefix is a range of the id's primary key or of `resourceByName` (name, id, platform), so a
/// completion reads at most `limit + 1` index entries however big the store: a million resources
/// complete as fast as three hundred. Matching is by bytes (case-sensitive), in the order of the
/// index.
extension StoreReader {
    /// What a completion offers.
    package enum CompletionField: Sendable {
        case id
        case name
    }

    /// The ids (or distinct names) that start with `prefix`, in byte order, at most `limit`, leaving out
    /// resources of `hiddenPlatforms`; `more` when others start with it too.
    package func completions(
        of field: CompletionField, prefix: String, hiddenPlatforms: [String] = [], limit: Int = 100
    ) throws -> (values: [String], more: Bool) {
        let limit = max(1, min(limit, 100))
        let column = field == .id ? "id" : "name"
        let hidden = hiddenPlatforms.isEmpty
            ? "" : " AND +platform NOT IN (\(Array(repeating: "?", count: hiddenPlatforms.count).joined(separator: ", ")))"
        let sql = """
            SELECT \(field == .id ? "" : "DISTINCT ")\(column) FROM resource
            WHERE \(column) >= ?1 AND \(column) < ?1 || x'ff'\(hidden)
            ORDER BY \(column) LIMIT \(limit + 1)
            """
        let arguments: [SQLiteArgument] = [.text(String(prefix.prefix(512)))] + hiddenPlatforms.map { .text($0) }
        let found = try rows(sql, arguments) { row -> String in row[0] }
        return (Array(found.prefix(limit)), found.count > limit)
    }
}
