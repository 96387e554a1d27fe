import GRDB

extension StoreReader {
    /// One page of alerts: critical before warning before info, newest first, then by id.
    public func alerts(_ query: AlertQuery) throws -> (rows: [AlertRow], next: AlertKey?) {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        func oneOf(_ column: String, _ values: [String], negate: Bool = false) {
            guard !values.isEmpty else { return }
            conditions.append("\(column) \(negate ? "NOT IN" : "IN") (\(ResourceSQL.placeholders(values.count)))")
            arguments += values
        }
        oneOf("a.severity", query.severities)
        oneOf("r.platform", query.platforms)
        oneOf("+r.platform", query.hiddenPlatforms, negate: true)
        if let resourceId = query.resourceId {
            conditions.append("a.resourceId = ?")
            arguments.append(resourceId)
        }
        if let after = query.after {
            conditions.append("(\(AlertRow.rankSQL), -a.since, a.id) > (?, ?, ?)")
            arguments += [after.rank, -after.since, after.id]
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let sql = """
            SELECT \(AlertRow.columns) FROM alert a JOIN resource r ON r.id = a.resourceId\(filter)
            ORDER BY \(AlertRow.rankSQL), a.since DESC, a.id LIMIT ?
            """
        let rows = try Row.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments(arguments + [query.limit + 1])).map(AlertRow.init)
        guard rows.count > query.limit else { return (rows, nil) }
        let page = Array(rows.prefix(query.limit))
        return (page, page.last.map { AlertKey(rank: $0.rank, since: $0.since.secondsSince1970, id: $0.id) })
    }

    /// Active alerts on one resource, most severe first (for `get_resource`).
    public func alerts(on resourceId: String, limit: Int = 20) throws -> [AlertRow] {
        var query = AlertQuery()
        query.resourceId = resourceId
        query.limit = limit
        return try alerts(query).rows
    }
}
