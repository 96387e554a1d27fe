import GRDB

// MARK: - Resources

extension StoreReader {
    /// The resource with `id`, with its record; nil when there is none.
    public func resource(id: String) throws -> ResourceRow? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT \(ResourceRow.columns), record FROM resource WHERE id = ?"),
            arguments: [id]
        ).map { ResourceRow($0, withRecord: true) }
    }

    /// Every resource called exactly `name`, ordered by id, at most `limit`.
    public func resources(named name: String, limit: Int = 20) throws -> [ResourceRow] {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT \(ResourceRow.columns), record FROM resource WHERE name = ? ORDER BY id LIMIT ?"),
            arguments: [name, limit]
        ).map { ResourceRow($0, withRecord: true) }
    }

    /// The resources whose ids or names are closest to `text`, best first: for "did you mean".
    ///
    /// Candidates are resources whose id or name shares a prefix with `text`
    /// or whose words match it, ranked by edit distance.
    public func closestResources(to text: String, limit: Int = 5) throws -> [ResourceRow] {
        let needle = String(text.prefix(200))
        let words = FullTextQuery.prefixQuery(needle)
        var rows: [ResourceRow] = []
        var prefix = needle
        // Shorten the prefix until something shares it, keeping at least three characters.
        while rows.isEmpty, prefix.count >= 3 {
            rows = try Row.fetchAll(
                db.cachedStatement(sql: """
                    SELECT \(ResourceRow.columns) FROM resource WHERE id >= ?1 AND id < ?1 || x'ff'
                    UNION SELECT \(ResourceRow.columns) FROM resource WHERE name >= ?1 AND name < ?1 || x'ff'
                    LIMIT 200
                    """),
                arguments: [prefix]
            ).map { ResourceRow($0, withRecord: false) }
            prefix.removeLast(max(1, prefix.count / 4))
        }
        if let words {
            rows += try Row.fetchAll(
                db.cachedStatement(sql: """
                    SELECT \(ResourceRow.columns) FROM resource
                    WHERE rowid IN (SELECT rowid FROM resourceSearch WHERE resourceSearch MATCH ? LIMIT 200)
                    """),
                arguments: [words]
            ).map { ResourceRow($0, withRecord: false) }
        }
        var seen = Set<String>()
        let unique = rows.filter { seen.insert($0.id).inserted }
        let lowered = needle.lowercased()
        return unique
            .map { row in (row, min(EditDistance.between(lowered, row.id.lowercased()), EditDistance.between(lowered, row.name.lowercased()))) }
            .sorted { ($0.1, $0.0.id) < ($1.1, $1.0.id) }
            .prefix(limit)
            .map(\.0)
    }

    /// The ancestors of a resource, nearest first, up to `limit` levels.
    public func parentChain(of row: ResourceRow, limit: Int = 16) throws -> [ResourceRow] {
        var chain: [ResourceRow] = []
        var next = row.parentId
        var seen: Set<String> = [row.id]
        while let id = next, chain.count < limit, seen.insert(id).inserted {
            guard let parent = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT \(ResourceRow.columns) FROM resource WHERE id = ?"),
                arguments: [id]
            ) else { break }
            let parentRow = ResourceRow(parent, withRecord: false)
            chain.append(parentRow)
            next = parentRow.parentId
        }
        return chain
    }

    /// How many direct children of each type a resource has, by type name.
    public func childCounts(of id: String) throws -> [(type: String, count: Int)] {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT type, count(*) FROM resource WHERE parentId = ? GROUP BY type ORDER BY type"),
            arguments: [id]
        ).map { (type: $0[0], count: $0[1]) }
    }

    /// Direct children of `parentId` (or the roots when nil), by name, at most `limit`.
    public func children(of parentId: String?, hiddenPlatforms: [String] = [], limit: Int) throws -> [ResourceRow] {
        var query = ResourceQuery()
        query.parentId = parentId
        query.rootsOnly = parentId == nil
        query.hiddenPlatforms = hiddenPlatforms
        query.limit = limit
        return try search(query).rows
    }

    /// One page of resources matching `query`, in its order.
    public func search(_ query: ResourceQuery) throws -> ResourcePage {
        let statement = ResourceSQL.select(query)
        let rows = try rows(statement.sql, StatementArguments(statement.arguments)) { ResourceRow($0, withRecord: query.withRecords) }
        guard rows.count > query.limit else { return ResourcePage(rows: rows, next: nil) }
        let page = Array(rows.prefix(query.limit))
        return ResourcePage(rows: page, next: page.last.map { ResourceSQL.key(of: $0, sort: query.sort) })
    }

    /// How many resources match `query`'s filters (its order and page are ignored).
    public func count(_ query: ResourceQuery) throws -> Int {
        let statement = ResourceSQL.count(query)
        return try Int.fetchOne(db.cachedStatement(sql: statement.sql), arguments: StatementArguments(statement.arguments)) ?? 0
    }
}
