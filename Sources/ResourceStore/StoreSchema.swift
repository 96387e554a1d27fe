import GRDB

/// The store's tables, as named migrations.
///
/// ```
/// resource            one row per canonical resource: indexed columns + the full record as JSON
/// resourceTag         (tag, resource rowid) for tag filters; also by resource rowid, for a sync's rewrites (v7)
/// resourceSearch      FTS5 over name, tags and identity values (contentless, rowids only; rowid = resource rowid) (v3)
/// alert               active alerts
/// recoveryPoint       backups and snapshots, kept by (resourceId, at DESC, id) (v4)
/// metricSample        metric history, (resourceId, metric, at) → value
/// metricSeries        per (resourceId, metric): first and last sample time and count, summed up at ingest
/// agent               Pulse agents and their control endpoints
/// platformConnection  platform connections (TrueNAS, ...) and their control endpoints
/// snapshotInfo        key → value facts about the ingested snapshot
/// syncedRow           (kind, id) → content hash of each row a sync wrote, to write only what changed (v5)
/// resourceAlias       alias → resource id: the other names a synced resource is known by (v5)
/// syncStatus          key → value facts about the last sync attempt, good or not (v5)
/// syncedRawRow        raw hash of a source row → the resource it became and the source's memo, so
///                     that the next walk recognises the row by its bytes, unparsed (v8)
/// action              control actions: one row per control call, written before dispatch (v2);
///                     `pulse`: Pulse's side of an action on the pulse route (v6)
/// ```
///
/// The audit chain is not a table: it is a JSON Lines file beside the store (``AuditFile``).
///
/// An ingest replaces the snapshot's tables; it never touches `action` or the audit,
/// which are the record of what the assistant asked for, not a view of the infrastructure.
///
/// Times are INTEGER seconds since 1970-01-01T00:00:00Z. Keyset pagination
/// orders resources by `(name, id)`; every index that serves a listing has
/// those columns after its equality columns, so that a page is an index
/// range, not a sort, and then `platform`, so that the read gate's
/// `platform NOT IN (...)` is checked in the index without visiting the rows
/// it leaves out.
package enum StoreSchema {
    package static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: resources, alerts, recovery points, metrics, agents, connections") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2: control actions") { db in
            try db.execute(sql: v2)
        }
        migrator.registerMigration("v3: a full-text index of rowids only") { db in
            try db.execute(sql: v3)
        }
        migrator.registerMigration("v4: recovery points kept in resource order") { db in
            try db.execute(sql: v4)
        }
        migrator.registerMigration("v5: synced rows, aliases, sync status") { db in
            try db.execute(sql: v5)
        }
        migrator.registerMigration("v6: Pulse's side of an action") { db in
            try db.execute(sql: v6)
        }
        migrator.registerMigration("v7: resource tags by resource") { db in
            try db.execute(sql: v7)
        }
        migrator.registerMigration("v8: synced rows known by their raw bytes") { db in
            try db.execute(sql: v8)
        }
        return migrator
    }

    private static let v1 = """
        CREATE TABLE resource (
            rowid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            platform TEXT NOT NULL,
            name TEXT NOT NULL,
            status TEXT NOT NULL,
            powerState TEXT,
            technology TEXT,
            parentId TEXT,
            cpu REAL,
            memoryUsage REAL,
            diskUsage REAL,
            lastSeen INTEGER,
            record TEXT NOT NULL
        );
        CREATE INDEX resourceByTypeStatusName ON resource(type, status, name, id, platform);
        CREATE INDEX resourceByPlatformName ON resource(platform, name, id);
        CREATE INDEX resourceByParentName ON resource(parentId, name, id, platform);
        CREATE INDEX resourceByName ON resource(name, id, platform);

        CREATE TABLE resourceTag (
            tag TEXT NOT NULL,
            resourceRowid INTEGER NOT NULL,
            PRIMARY KEY (tag, resourceRowid)
        ) WITHOUT ROWID;

        CREATE VIRTUAL TABLE resourceSearch USING fts5(name, tags, identity, content='', tokenize='unicode61');

        CREATE TABLE alert (
            id TEXT PRIMARY KEY NOT NULL,
            resourceId TEXT NOT NULL,
            severity TEXT NOT NULL,
            message TEXT NOT NULL,
            since INTEGER NOT NULL
        );
        CREATE INDEX alertByResource ON alert(resourceId, since, id);
        CREATE INDEX alertBySeverity ON alert(severity, since, id);

        CREATE TABLE recoveryPoint (
            id TEXT PRIMARY KEY NOT NULL,
            resourceId TEXT NOT NULL,
            platform TEXT NOT NULL,
            kind TEXT NOT NULL,
            at INTEGER NOT NULL,
            sizeBytes INTEGER,
            verified INTEGER
        );
        CREATE INDEX recoveryPointByResource ON recoveryPoint(resourceId, at, id);

        CREATE TABLE metricSample (
            resourceId TEXT NOT NULL,
            metric TEXT NOT NULL,
            at INTEGER NOT NULL,
            value REAL NOT NULL,
            PRIMARY KEY (resourceId, metric, at)
        ) WITHOUT ROWID;

        CREATE TABLE metricSeries (
            resourceId TEXT NOT NULL,
            metric TEXT NOT NULL,
            first INTEGER NOT NULL,
            last INTEGER NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (resourceId, metric)
        ) WITHOUT ROWID;

        CREATE TABLE agent (
            id TEXT PRIMARY KEY NOT NULL,
            hostResourceId TEXT NOT NULL,
            endpoint TEXT NOT NULL,
            commandsEnabled INTEGER NOT NULL,
            lastHeartbeat INTEGER,
            version TEXT
        );
        CREATE INDEX agentByHost ON agent(hostResourceId);

        CREATE TABLE platformConnection (
            id TEXT PRIMARY KEY NOT NULL,
            platform TEXT NOT NULL,
            rootResourceId TEXT NOT NULL,
            endpoint TEXT NOT NULL,
            controlEnabled INTEGER NOT NULL
        );
        CREATE INDEX platformConnectionByRoot ON platformConnection(rootResourceId);

        CREATE TABLE snapshotInfo (
            key TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
        );
        """

    /// Times are INTEGER milliseconds since 1970 (an action's steps are often within one second);
    /// `request`, `decision` and `observed` are JSON objects as text.
    private static let v2 = """
        CREATE TABLE action (
            rowid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            idempotencyKey TEXT UNIQUE,
            resourceId TEXT NOT NULL,
            action TEXT NOT NULL,
            reason TEXT NOT NULL,
            request TEXT NOT NULL,
            controlLevel TEXT NOT NULL,
            decision TEXT NOT NULL,
            approval TEXT,
            state TEXT NOT NULL,
            code TEXT,
            message TEXT,
            observed TEXT,
            createdAt INTEGER NOT NULL,
            updatedAt INTEGER NOT NULL,
            dispatchedAt INTEGER,
            finishedAt INTEGER
        );
        CREATE INDEX actionByResource ON action(resourceId, createdAt);
        """

    /// The full-text index keeps which resources hold a word, not where in them (`detail=none`) nor
    /// how long each column is (`columnsize=0`): searches are words matched as prefixes, ANDed,
    /// never phrases, column filters or ranks: a third of the size, built in about half the time. The
    /// index is rebuilt from the rows, since a contentless one cannot be copied.
    private static let v3 = """
        DROP TABLE resourceSearch;
        CREATE VIRTUAL TABLE resourceSearch USING fts5(
            name, tags, identity, content='', tokenize='unicode61', detail=none, columnsize=0
        );
        INSERT INTO resourceSearch (rowid, name, tags, identity)
        SELECT r.rowid, r.name, t.tags,
               (SELECT group_concat(i.value, ' ') FROM json_each(r.record, '$.identity') AS i WHERE i.type = 'text')
        FROM resource AS r
        LEFT JOIN (SELECT resourceRowid, group_concat(tag, ' ') AS tags FROM resourceTag GROUP BY resourceRowid) AS t
          ON t.resourceRowid = r.rowid;
        """

    /// A resource's recovery points, newest first, are one range of the table itself: no secondary
    /// index to build at ingest or to go through at read, and a third less to write.
    private static let v4 = """
        CREATE TABLE recoveryPointV4 (
            id TEXT NOT NULL UNIQUE,
            resourceId TEXT NOT NULL,
            platform TEXT NOT NULL,
            kind TEXT NOT NULL,
            at INTEGER NOT NULL,
            sizeBytes INTEGER,
            verified INTEGER,
            PRIMARY KEY (resourceId, at DESC, id)
        ) WITHOUT ROWID;
        INSERT INTO recoveryPointV4 (id, resourceId, platform, kind, at, sizeBytes, verified)
        SELECT id, resourceId, platform, kind, at, sizeBytes, verified FROM recoveryPoint;
        DROP TABLE recoveryPoint;
        ALTER TABLE recoveryPointV4 RENAME TO recoveryPoint;
        """

    /// A sync keeps the hash of every row it wrote, so that the next one rewrites only rows whose
    /// content changed; an ingest empties it (it replaces everything). `syncStatus` is apart from
    /// `snapshotInfo` because it changes at every attempt, while `snapshotInfo` changes only with
    /// the content (that is what the store watcher tells clients about).
    private static let v5 = """
        CREATE TABLE syncedRow (
            kind TEXT NOT NULL,
            id TEXT NOT NULL,
            hash TEXT NOT NULL,
            PRIMARY KEY (kind, id)
        ) WITHOUT ROWID;

        CREATE TABLE resourceAlias (
            alias TEXT PRIMARY KEY NOT NULL,
            resourceId TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX resourceAliasByResource ON resourceAlias(resourceId);

        CREATE TABLE syncStatus (
            key TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
        );
        """

    /// An action on the `pulse` route keeps Pulse's action id, plan hash, state and verification
    /// beside ours (JSON object text), so that a restarted server can ask Pulse how it ended.
    private static let v6 = """
        ALTER TABLE action ADD COLUMN pulse TEXT;
        """

    /// A sync that rewrites or removes a resource deletes its tags and gives the full-text index
    /// the tags it was indexed with, both by resource rowid: without this index each is a scan of
    /// the whole tag table (4.2 s per 1 000 rewritten resources at 100k; 4 ms with it).
    private static let v7 = """
        CREATE INDEX resourceTagByResource ON resourceTag(resourceRowid);
        """

    /// A sync keeps, per source row it read, the hash of the row's bytes (salted with the manifest
    /// and the mapping's version), the resource it became (NULL for a skip) with the content hash of
    /// that resource's record as written (`syncedRow.hash`: a recognised row stands for that record
    /// only) and the source's memo
    /// (``Fleet/FleetRawRow``): a row whose bytes come back is recognised before it is parsed. A store
    /// from before v8 has none, so its next sync reads every row, as before, and keeps them.
    private static let v8 = """
        CREATE TABLE syncedRawRow (
            hash TEXT PRIMARY KEY NOT NULL,
            resourceId TEXT,
            recordHash TEXT,
            memo TEXT NOT NULL
        ) WITHOUT ROWID;
        """
}
