import GRDB

/// The table-wide steps around the rows: emptying the store, setting the secondary indexes aside
/// while rows go in, and recording the snapshot's facts. All run inside the ingest transaction, so
/// a rejected snapshot rolls every one of them back.
extension IngestWriter {
    /// The tables an ingest replaces, in the order they are emptied.
    static let tables = [
        "resourceTag", "resource", "alert", "recoveryPoint", "metricSample", "metricSeries", "agent",
        "platformConnection", "snapshotInfo", "syncedRow", "resourceAlias", "syncStatus",
        "syncedRawRow",
    ]

    /// Drops every explicit index on the replaced ``tables`` and returns their `CREATE INDEX`
    /// statements, taken from the schema itself so that an index added to ``StoreSchema`` is
    /// rebuilt without touching ingest. Indexes of tables an ingest keeps (`action`) stay.
    ///
    /// Maintaining four B-trees per resource row while a million rows go in costs more than
    /// sorting each index once at the end; the `UNIQUE` and primary-key indexes stay, since they
    /// enforce the constraints the ingest relies on.
    static func setIndexesAside(_ db: Database) throws -> [String] {
        let indexes = try Row.fetchAll(db, sql: """
            SELECT name, sql FROM sqlite_master
            WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (\(ResourceSQL.placeholders(tables.count)))
            ORDER BY name
            """, arguments: StatementArguments(tables))
        var statements: [String] = []
        for index in indexes {
            guard let name: String = index["name"], let sql: String = index["sql"] else { continue }
            try db.execute(sql: "DROP INDEX \(name.quotedDatabaseIdentifier)")
            statements.append(sql)
        }
        return statements
    }

    /// Recreates the indexes set aside, before the transaction commits.
    static func restoreIndexes(_ statements: [String], _ db: Database) throws {
        for sql in statements {
            try db.execute(sql: sql)
        }
    }

    /// Deletes the previous content: every table, and the contentless full-text index.
    static func emptyTables(_ db: Database) throws {
        for table in tables {
            try db.execute(sql: "DELETE FROM \(table.quotedDatabaseIdentifier)")
        }
        try db.execute(sql: "INSERT INTO resourceSearch(resourceSearch) VALUES('delete-all')")
    }

    /// Sums up each metric's history once, so that "which metrics does this resource have" is a
    /// lookup at read time rather than a scan of its samples.
    static func summarizeMetrics(_ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO metricSeries (resourceId, metric, first, last, count)
            SELECT resourceId, metric, min(at), max(at), count(*) FROM metricSample GROUP BY resourceId, metric
            """)
    }

    /// Records the snapshot's facts in `snapshotInfo` (times as RFC 3339 text).
    static func recordInfo(_ facts: [(key: String, value: String)], _ db: Database) throws {
        let statement = try db.makeStatement(sql: "INSERT INTO snapshotInfo (key, value) VALUES (?, ?)")
        for fact in facts {
            try statement.execute(arguments: [fact.key, fact.value])
        }
    }
}
