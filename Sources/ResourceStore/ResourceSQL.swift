/// Builds the SQL of resource searches.
///
/// Index use is chosen with the order: every listing index ends in
/// `(name, id)`, equality filters come first, and the keyset position is a
/// row-value comparison, so a page of a name-ordered search is one index
/// range however deep the page. The visibility filter is written `+platform`
/// so the planner never prefers the platform index for it over a better one.
enum ResourceSQL {
    struct Statement {
        var sql: String
        var arguments: [SQLiteArgument]
    }

    // MARK: - Point reads
    //
    // Constants, not interpolated per call: the connection's statement cache is keyed by the text.

    static let byId = "SELECT \(ResourceRow.columns), record FROM resource WHERE id = ?"

    static let byName = "SELECT \(ResourceRow.columns), record FROM resource WHERE name = ? ORDER BY id LIMIT ?"

    static let byPrefix = """
        SELECT \(ResourceRow.columns) FROM resource WHERE id >= ?1 AND id < ?1 || x'ff'
        UNION SELECT \(ResourceRow.columns) FROM resource WHERE name >= ?1 AND name < ?1 || x'ff'
        LIMIT 200
        """

    static let byWords = """
        SELECT \(ResourceRow.columns) FROM resource
        WHERE rowid IN (SELECT rowid FROM resourceSearch WHERE resourceSearch MATCH ? LIMIT 200)
        """

    /// A resource's columns without its record: one step of a parent chain.
    static let columnsById = "SELECT \(ResourceRow.columns) FROM resource WHERE id = ?"

    static let childCounts = "SELECT type, count(*) FROM resource WHERE parentId = ? GROUP BY type ORDER BY type"

    // MARK: - Searches

    static func select(_ query: ResourceQuery) -> Statement {
        var (conditions, arguments) = filters(query)
        let sort = query.sort
        if let after = query.after {
            switch (after.value, sort.descending) {
            case (.text(let value), _):
                conditions.append("(\(sort.expression), id) > (?, ?)")
                arguments += [.text(value), .text(after.id)]
            case (.number(let value), _):
                conditions.append("(\(sort.expression) < ? OR (\(sort.expression) = ? AND id > ?))")
                arguments += [.real(value), .real(value), .text(after.id)]
            }
        }
        let order = sort.descending ? "\(sort.expression) DESC, id" : "\(sort.expression), id"
        let columns = ResourceRow.columns + (query.withRecords ? ", record" : "")
        let sql = "SELECT \(columns) FROM resource\(whereClause(conditions)) ORDER BY \(order) LIMIT ?"
        // One row more than the page tells whether there is a next page.
        return Statement(sql: sql, arguments: arguments + [.integer(query.limit + 1)])
    }

    static func count(_ query: ResourceQuery) -> Statement {
        let (conditions, arguments) = filters(query)
        return Statement(sql: "SELECT count(*) FROM resource\(whereClause(conditions))", arguments: arguments)
    }

    /// The keyset position of `row` in `sort`'s order.
    static func key(of row: ResourceRow, sort: ResourceSort) -> ResourceKey {
        switch sort {
        case .name: ResourceKey(value: .text(row.name), id: row.id)
        case .cpu: ResourceKey(value: .number(row.cpu ?? -1), id: row.id)
        case .memoryUsage: ResourceKey(value: .number(row.memoryUsage ?? -1), id: row.id)
        case .diskUsage: ResourceKey(value: .number(row.diskUsage ?? -1), id: row.id)
        }
    }

    /// ` AND +platform NOT IN (...)` for hidden platforms, or nothing.
    static func hiddenClause(_ hidden: [String]) -> (sql: String, arguments: [SQLiteArgument]) {
        guard !hidden.isEmpty else { return ("", []) }
        return (" AND +platform NOT IN (\(placeholders(hidden.count)))", .texts(hidden))
    }

    private static func filters(_ query: ResourceQuery) -> ([String], [SQLiteArgument]) {
        var conditions: [String] = []
        var arguments: [SQLiteArgument] = []
        func oneOf(_ column: String, _ values: [String]) {
            guard !values.isEmpty else { return }
            conditions.append(values.count == 1 ? "\(column) = ?" : "\(column) IN (\(placeholders(values.count)))")
            arguments += .texts(values)
        }
        oneOf("type", query.types)
        oneOf("status", query.statuses)
        oneOf("platform", query.platforms)
        oneOf("powerState", query.powerStates)
        if let parentId = query.parentId {
            conditions.append("parentId = ?")
            arguments.append(.text(parentId))
        } else if query.rootsOnly {
            conditions.append("parentId IS NULL")
        }
        if let minimum = query.minDiskUsage {
            conditions.append("diskUsage >= ?")
            arguments.append(.real(minimum))
        }
        if let tag = query.tag {
            conditions.append("rowid IN (SELECT resourceRowid FROM resourceTag WHERE tag = ?)")
            arguments.append(.text(tag))
        }
        if let text = query.text, let match = FullTextQuery.prefixQuery(text) {
            conditions.append("rowid IN (SELECT rowid FROM resourceSearch WHERE resourceSearch MATCH ?)")
            arguments.append(.text(match))
        }
        if !query.hiddenPlatforms.isEmpty {
            conditions.append("+platform NOT IN (\(placeholders(query.hiddenPlatforms.count)))")
            arguments += .texts(query.hiddenPlatforms)
        }
        return (conditions, arguments)
    }

    private static func whereClause(_ conditions: [String]) -> String {
        conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
    }

    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }
}
