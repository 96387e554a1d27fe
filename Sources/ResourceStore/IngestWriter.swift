import Fleet
import GRDB

/// Writes validated rows into the store's tables, inside the ingest's one write transaction.
///
/// Every statement is prepared once and reused for every row. Rows of the other record kinds go in
/// with `INSERT OR IGNORE`: validated rows have no NULL in a NOT NULL column, so an ignored row
/// can only be a repeated primary key, which is how their ids (and a metric sample's
/// (resourceId, metric, at)) are checked for uniqueness without keeping them in memory.
///
/// Deliberately not `Sendable`: it lives inside one `write` closure, on the writer's thread.
struct IngestWriter {
    private let resource: IngestStatement
    private let tag: IngestStatement
    private let search: IngestStatement
    private let agent: IngestStatement
    private let connection: IngestStatement
    private let alert: IngestStatement
    private let recoveryPoint: IngestStatement
    private let metricSample: IngestStatement

    init(_ db: Database) throws {
        resource = try IngestStatement(db, sql: """
            INSERT INTO resource (rowid, id, type, platform, name, status, powerState, technology, parentId,
                                  cpu, memoryUsage, diskUsage, lastSeen, record)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        tag = try IngestStatement(db, sql: "INSERT INTO resourceTag (tag, resourceRowid) VALUES (?, ?)")
        search = try IngestStatement(db, sql: "INSERT INTO resourceSearch (rowid, name, tags, identity) VALUES (?, ?, ?, ?)")
        agent = try IngestStatement(db, sql: """
            INSERT OR IGNORE INTO agent (id, hostResourceId, endpoint, commandsEnabled, lastHeartbeat, version)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        connection = try IngestStatement(db, sql: """
            INSERT OR IGNORE INTO platformConnection (id, platform, rootResourceId, endpoint, controlEnabled)
            VALUES (?, ?, ?, ?, ?)
            """)
        alert = try IngestStatement(db, sql: """
            INSERT OR IGNORE INTO alert (id, resourceId, severity, message, since) VALUES (?, ?, ?, ?, ?)
            """)
        recoveryPoint = try IngestStatement(db, sql: """
            INSERT OR IGNORE INTO recoveryPoint (id, resourceId, platform, kind, at, sizeBytes, verified)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        metricSample = try IngestStatement(db, sql: """
            INSERT OR IGNORE INTO metricSample (resourceId, metric, at, value) VALUES (?, ?, ?, ?)
            """)
    }

    // MARK: - Rows

    /// Inserts a resource with its tags and its full-text row, all under `rowid`.
    func insert(_ row: IngestRow.Resource, rowid: Int64) throws {
        try resource.run(
            .integer(rowid), .text(row.id), .text(row.type.rawValue), .text(row.platform), .text(row.name),
            .text(row.status), .text(row.powerState), .text(row.technology), .text(row.parentId), .real(row.cpu),
            .real(row.memoryUsage), .real(row.diskUsage), .integer(row.lastSeen), .text(row.record)
        )
        for name in row.tags {
            try tag.run(.text(name), .integer(rowid))
        }
        try search.run(.integer(rowid), .text(row.name), .text(row.tags.joined(separator: " ")), .text(row.identityText))
    }

    /// Inserts an agent; false when its id was already taken.
    func insert(_ row: IngestRow.Agent) throws -> Bool {
        try agent.run(
            .text(row.id), .text(row.hostResourceId), .text(row.endpoint), .flag(row.commandsEnabled),
            .integer(row.lastHeartbeat), .text(row.version)
        ) == 1
    }

    /// Inserts a platform connection; false when its id was already taken.
    func insert(_ row: IngestRow.Connection) throws -> Bool {
        try connection.run(
            .text(row.id), .text(row.platform), .text(row.rootResourceId), .text(row.endpoint), .flag(row.controlEnabled)
        ) == 1
    }

    /// Inserts an alert; false when its id was already taken.
    func insert(_ row: IngestRow.Alert) throws -> Bool {
        try alert.run(.text(row.id), .text(row.resourceId), .text(row.severity), .text(row.message), .integer(row.since)) == 1
    }

    /// Inserts a recovery point; false when its id was already taken.
    func insert(_ row: IngestRow.RecoveryPoint) throws -> Bool {
        try recoveryPoint.run(
            .text(row.id), .text(row.resourceId), .text(row.platform), .text(row.kind), .integer(row.at),
            .integer(row.sizeBytes), .flag(row.verified)
        ) == 1
    }

    /// Inserts a metric sample; false when the resource already had this metric at this time.
    func insert(_ row: IngestRow.MetricSample) throws -> Bool {
        try metricSample.run(.text(row.resourceId), .text(row.metric), .integer(row.at), .real(row.value)) == 1
    }
}
