import Policy

extension StoreReader {
    /// The Pulse agents running on any of the resources `hostIds`, by id: the candidates for routing a
    /// control call on a resource whose parent chain is `hostIds`.
    ///
    /// One indexed lookup per host, sorted here: a chain holds a few ids, and `IN (…) ORDER BY id`
    /// would build a temporary b-tree for the list and a sorter for the order on every call.
    package func agents(onHosts hostIds: [String]) throws -> [ControlEndpoint.Agent] {
        try each(of: hostIds, """
            SELECT id, hostResourceId, endpoint, commandsEnabled, lastHeartbeat FROM agent WHERE hostResourceId = ?
            """) { row in
            ControlEndpoint.Agent(
                id: row[0], hostResourceId: row[1], endpoint: row[2], commandsEnabled: row[3],
                lastHeartbeat: (row[4] as Int64?).map(Double.init)
            )
        }.sorted { Self.byteOrder($0.id, $1.id) }
    }

    /// The platform connections rooted at any of the resources `rootIds`, by id; read as
    /// ``agents(onHosts:)`` is.
    package func connections(rootedAt rootIds: [String]) throws -> [ControlEndpoint.Connection] {
        try each(of: rootIds, """
            SELECT id, platform, rootResourceId, endpoint, controlEnabled FROM platformConnection WHERE rootResourceId = ?
            """) { row in
            ControlEndpoint.Connection(
                id: row[0], platform: row[1], rootResourceId: row[2], endpoint: row[3], controlEnabled: row[4]
            )
        }.sorted { Self.byteOrder($0.id, $1.id) }
    }

    /// SQLite's order for text (`BINARY`: UTF-8 bytes), which the `ORDER BY id` this replaced gave;
    /// Swift's `<` on strings orders by normalized scalars, not always the same.
    private static func byteOrder(_ left: String, _ right: String) -> Bool {
        left.utf8.lexicographicallyPrecedes(right.utf8)
    }

    /// The rows `sql` gives for each distinct id of `ids`, in turn.
    private func each<T>(of ids: [String], _ sql: String, _ transform: (ReadRow) throws -> T) throws -> [T] {
        var found: [T] = []
        for (index, id) in ids.enumerated() where !ids[..<index].contains(id) {
            found += try rows(sql, [.text(id)], transform)
        }
        return found
    }
}
