// MARK: - Resources

extension StoreReader {
    /// The resource with `id`, or the one `id` is an alias of (a synced resource's other names:
    /// Pulse's legacy and source ids), with its record; nil when there is none. The row carries the
    /// canonical id, whichever name found it.
    package func resource(id: String) throws -> ResourceRow? {
        if let row = try first(ResourceSQL.byId, [.text(id)], { ResourceRow($0, withRecord: true) }) {
            return row
        }
        guard let canonical = try resourceId(forAlias: id), canonical != id else { return nil }
        return try first(ResourceSQL.byId, [.text(canonical)]) { ResourceRow($0, withRecord: true) }
    }

    /// Every resource called exactly `name`, ordered by id, at most `limit`.
    package func resources(named name: String, limit: Int = 20) throws -> [ResourceRow] {
        try rows(ResourceSQL.byName, [.text(name), .integer(limit)]) { ResourceRow($0, withRecord: true) }
    }

    /// The resources whose ids or names are closest to `text`, best first: for "did you mean".
    ///
    /// Candidates are resources whose id or name shares a prefix with `text`
    /// or whose words match it, ranked by edit distance. Resources of `excludingPlatforms` are never
    /// candidates, so a hint shows what the caller's listing would.
    package func closestResources(to text: String, excludingPlatforms hidden: [String] = [], limit: Int = 5) throws -> [ResourceRow] {
        let hidden = Set(hidden)
        let needle = String(text.prefix(200))
        let words = FullTextQuery.prefixQuery(needle)
        var found: [ResourceRow] = []
        var prefix = needle
        // Shorten the prefix until something shares it, keeping at least three characters.
        while found.isEmpty, prefix.count >= 3 {
            found = try rows(ResourceSQL.byPrefix, [.text(prefix)]) { ResourceRow($0, withRecord: false) }.filter { !hidden.contains($0.platform) }
            prefix.removeLast(max(1, prefix.count / 4))
        }
        if let words {
            found += try rows(ResourceSQL.byWords, [.text(words)]) { ResourceRow($0, withRecord: false) }.filter { !hidden.contains($0.platform) }
        }
        var seen = Set<String>()
        let unique = found.filter { seen.insert($0.id).inserted }
        let lowered = needle.lowercased()
        return unique
            .map { row in (row, min(EditDistance.between(lowered, row.id.lowercased()), EditDistance.between(lowered, row.name.lowercased()))) }
            .sorted { ($0.1, $0.0.id) < ($1.1, $1.0.id) }
            .prefix(limit)
            .map(\.0)
    }

    /// The ancestors of a resource, nearest first, up to `limit` levels.
    ///
    /// One point read per level, through one prepared statement: a chain is short (a VM's is its node
    /// and perhaps a cluster), and a recursive query would build and drop a temporary b-tree for its
    /// queue on every call. The walk stops at a missing parent, at `limit` levels, or before the first resource seen twice,
    /// so a cycle in a damaged store ends it instead of looping.
    package func parentChain(of row: ResourceRow, limit: Int = 16) throws -> [ResourceRow] {
        var chain: [ResourceRow] = []
        var next = row.parentId
        while chain.count < limit, let id = next, id != row.id, !chain.contains(where: { $0.id == id }),
              let parent = try first(ResourceSQL.columnsById, [.text(id)], { ResourceRow($0, withRecord: false) }) {
            chain.append(parent)
            next = parent.parentId
        }
        return chain
    }

    /// How many direct children of each type a resource has, by type name.
    package func childCounts(of id: String) throws -> [(type: String, count: Int)] {
        try rows(ResourceSQL.childCounts, [.text(id)]) { (type: $0[0], count: $0[1]) }
    }

    /// Direct children of `parentId` (or the roots when nil), by name, at most `limit`.
    package func children(of parentId: String?, hiddenPlatforms: [String] = [], limit: Int) throws -> [ResourceRow] {
        var query = ResourceQuery()
        query.parentId = parentId
        query.rootsOnly = parentId == nil
        query.hiddenPlatforms = hiddenPlatforms
        query.limit = limit
        return try search(query).rows
    }

    /// One page of resources matching `query`, in its order.
    package func search(_ query: ResourceQuery) throws -> ResourcePage {
        let statement = ResourceSQL.select(query)
        let found = try rows(statement.sql, statement.arguments) { ResourceRow($0, withRecord: query.withRecords) }
        guard found.count > query.limit else { return ResourcePage(rows: found, next: nil) }
        let page = Array(found.prefix(query.limit))
        return ResourcePage(rows: page, next: page.last.map { ResourceSQL.key(of: $0, sort: query.sort) })
    }

    /// How many resources match `query`'s filters (its order and page are ignored).
    package func count(_ query: ResourceQuery) throws -> Int {
        let statement = ResourceSQL.count(query)
        return try first(statement.sql, statement.arguments) { $0[0] as Int } ?? 0
    }
}
