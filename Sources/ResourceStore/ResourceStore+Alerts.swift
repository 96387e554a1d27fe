extension StoreReader {
    /// One page of alerts: critical before warning before info, newest first, then by id. An alert
    /// whose resource is not in the store is listed too (without its resource's fields), unless a
    /// platform filter asks for platforms.
    package func alerts(_ query: AlertQuery) throws -> (rows: [AlertRow], next: AlertKey?) {
        var conditions: [String] = []
        var arguments: [SQLiteArgument] = []
        func oneOf(_ column: String, _ values: [String]) {
            guard !values.isEmpty else { return }
            conditions.append("\(column) IN (\(ResourceSQL.placeholders(values.count)))")
            arguments += .texts(values)
        }
        oneOf("a.severity", query.severities)
        oneOf("r.platform", query.platforms)
        if !query.hiddenPlatforms.isEmpty {
            // An alert on no stored resource has no platform to hide it by.
            conditions.append("(r.platform IS NULL OR +r.platform NOT IN (\(ResourceSQL.placeholders(query.hiddenPlatforms.count))))")
            arguments += .texts(query.hiddenPlatforms)
        }
        if let resourceId = query.resourceId {
            conditions.append("a.resourceId = ?")
            arguments.append(.text(resourceId))
        }
        if let after = query.after {
            conditions.append("(\(AlertRow.rankSQL), -a.since, a.id) > (?, ?, ?)")
            arguments += [.integer(after.rank), .integer(-after.since), .text(after.id)]
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let sql = """
            SELECT \(AlertRow.columns) FROM alert a LEFT JOIN resource r ON r.id = a.resourceId\(filter)
            ORDER BY \(AlertRow.rankSQL), a.since DESC, a.id LIMIT ?
            """
        return page(try rows(sql, arguments + [.integer(query.limit + 1)], AlertRow.init), limit: query.limit)
    }

    /// Active alerts on one resource, most severe first (for `get_resource`): ``alerts(_:)`` filtered
    /// by resource, from statements prepared once.
    ///
    /// Most resources have none, so an index probe asks first: the ordered join costs several times
    /// more even when it finds nothing (the planner looks the resource up before the alerts, and
    /// opens a sorter).
    package func alerts(on resourceId: String, limit: Int = 20) throws -> [AlertRow] {
        guard try first(Self.anyAlertOnResource, [.text(resourceId)], { _ in true }) != nil else { return [] }
        return page(try rows(Self.alertsOnResource, [.text(resourceId), .integer(limit + 1)], AlertRow.init), limit: limit).rows
    }

    private static let anyAlertOnResource = "SELECT 1 FROM alert WHERE resourceId = ? LIMIT 1"

    private static let alertsOnResource = """
        SELECT \(AlertRow.columns) FROM alert a JOIN resource r ON r.id = a.resourceId WHERE a.resourceId = ?
        ORDER BY \(AlertRow.rankSQL), a.since DESC, a.id LIMIT ?
        """

    private func page(_ found: [AlertRow], limit: Int) -> (rows: [AlertRow], next: AlertKey?) {
        guard found.count > limit else { return (found, nil) }
        let page = Array(found.prefix(limit))
        return (page, page.last.map { AlertKey(rank: $0.rank, since: $0.since.secondsSince1970, id: $0.id) })
    }
}
