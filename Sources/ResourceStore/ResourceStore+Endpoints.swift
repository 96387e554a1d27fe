import Policy

extension StoreReader {
    /// The Pulse agents running on any of the resources `hostIds`, by id: the candidates for routing a
    /// control call on a resource whose parent chain is `hostIds`.
    public func agents(onHosts hostIds: [String]) throws -> [ControlEndpoint.Agent] {
        guard !hostIds.isEmpty else { return [] }
        return try rows("""
            SELECT id, hostResourceId, endpoint, commandsEnabled, lastHeartbeat FROM agent
            WHERE hostResourceId IN (\(ResourceSQL.placeholders(hostIds.count))) ORDER BY id
            """, .texts(hostIds)) { row in
            ControlEndpoint.Agent(
                id: row[0], hostResourceId: row[1], endpoint: row[2], commandsEnabled: row[3],
                lastHeartbeat: (row[4] as Int64?).map(Double.init)
            )
        }
    }

    /// The platform connections rooted at any of the resources `rootIds`, by id.
    public func connections(rootedAt rootIds: [String]) throws -> [ControlEndpoint.Connection] {
        guard !rootIds.isEmpty else { return [] }
        return try rows("""
            SELECT id, platform, rootResourceId, endpoint, controlEnabled FROM platformConnection
            WHERE rootResourceId IN (\(ResourceSQL.placeholders(rootIds.count))) ORDER BY id
            """, .texts(rootIds)) { row in
            ControlEndpoint.Connection(
                id: row[0], platform: row[1], rootResourceId: row[2], endpoint: row[3], controlEnabled: row[4]
            )
        }
    }
}
