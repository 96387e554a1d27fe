import Fleet
import GRDB

/// Writes a ``CheckedFleet`` into the store, inside the sync's one write transaction: only the rows
/// whose content hash differs from the one kept in `syncedRow`, and deletes of rows that vanished.
///
/// ```
/// for each kind: the kept hashes (kind, id → hash)
///   resource the check found unchanged (``CheckedFleet/unchangedResources``)   not touched
///   row with the same hash   unchanged, not touched
///   row with another hash    rewritten in place (a resource keeps its rowid)
///   row not kept before      added
///   kept id not in the fleet removed
/// ```
/// A resource is rewritten as delete-then-insert under the same rowid, so its tags and its row of
/// the contentless full-text index go with it: the index's delete is given the values the row was
/// indexed with, rebuilt from the stored row as migration v3 builds them.
///
/// Deliberately not `Sendable`: it lives inside one `write` closure, on the writer's thread.
struct SyncWriter {
    private let db: Database
    private let rows: IngestWriter
    private let unindex: IngestStatement
    private let deleteTags: IngestStatement
    private let deleteResource: IngestStatement
    private let putHash: IngestStatement
    private let dropHash: IngestStatement
    private let putAgent: IngestStatement
    private let putAlert: IngestStatement
    private let putRecoveryPoint: IngestStatement
    private let putAlias: IngestStatement
    private var nextRowid: Int64
    /// The content hash of each resource this sync wrote (added or rewritten), by id: what the raw
    /// rows it keeps are confirmed against next time (``SyncRawRows``).
    private(set) var writtenResourceHashes: [String: String] = [:]

    init(_ db: Database) throws {
        self.db = db
        rows = try IngestWriter(db)
        unindex = try IngestStatement(db, sql: """
            INSERT INTO resourceSearch (resourceSearch, rowid, name, tags, identity)
            SELECT 'delete', r.rowid, r.name,
                   (SELECT group_concat(tag, ' ') FROM resourceTag WHERE resourceRowid = r.rowid),
                   (SELECT group_concat(i.value, ' ') FROM json_each(r.record, '$.identity') AS i WHERE i.type = 'text')
            FROM resource AS r WHERE r.rowid = ?
            """)
        deleteTags = try IngestStatement(db, sql: "DELETE FROM resourceTag WHERE resourceRowid = ?")
        deleteResource = try IngestStatement(db, sql: "DELETE FROM resource WHERE rowid = ?")
        putHash = try IngestStatement(db, sql: "INSERT OR REPLACE INTO syncedRow (kind, id, hash) VALUES (?, ?, ?)")
        dropHash = try IngestStatement(db, sql: "DELETE FROM syncedRow WHERE kind = ? AND id = ?")
        putAgent = try IngestStatement(db, sql: """
            INSERT OR REPLACE INTO agent (id, hostResourceId, endpoint, commandsEnabled, lastHeartbeat, version)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        putAlert = try IngestStatement(db, sql: """
            INSERT OR REPLACE INTO alert (id, resourceId, severity, message, since) VALUES (?, ?, ?, ?, ?)
            """)
        putRecoveryPoint = try IngestStatement(db, sql: """
            INSERT OR REPLACE INTO recoveryPoint (id, resourceId, platform, kind, at, sizeBytes, verified)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        putAlias = try IngestStatement(db, sql: "INSERT OR REPLACE INTO resourceAlias (alias, resourceId) VALUES (?, ?)")
        nextRowid = (try Int64.fetchOne(db, sql: "SELECT max(rowid) FROM resource") ?? 0) + 1
    }

    /// Writes every kind of row; returns the counts by kind.
    mutating func apply(_ fleet: CheckedFleet) throws -> [String: SyncSummary.Counts] {
        var counts: [String: SyncSummary.Counts] = [:]
        // A partial fleet deletes no resource, agent or alias it lacks: they may only have been missed.
        let deletes = !fleet.isPartial
        counts["resource"] = try applyResources(
            fleet.resources, unchanged: fleet.unchangedResources.map(\.id), salt: fleet.hashSalt, deletes: deletes
        )
        counts["agent"] = try diff("agent", fleet.agents, deletes: deletes, id: \.id, hash: SyncRowHash.of) { row, _ in
            try putAgent.run(
                .text(row.id), .text(row.hostResourceId), .text(row.endpoint), .flag(row.commandsEnabled),
                .integer(row.lastHeartbeat), .text(row.version)
            )
        } delete: { try db.execute(sql: "DELETE FROM agent WHERE id = ?", arguments: [$0]) }
        counts["alert"] = try diff("alert", fleet.alerts, id: \.id, hash: SyncRowHash.of) { row, _ in
            try putAlert.run(.text(row.id), .text(row.resourceId), .text(row.severity), .text(row.message), .integer(row.since))
        } delete: { try db.execute(sql: "DELETE FROM alert WHERE id = ?", arguments: [$0]) }
        counts["recoveryPoint"] = try diff("recoveryPoint", fleet.recoveryPoints, id: \.id, hash: SyncRowHash.of) { row, _ in
            try putRecoveryPoint.run(
                .text(row.id), .text(row.resourceId), .text(row.platform), .text(row.kind), .integer(row.at),
                .integer(row.sizeBytes), .flag(row.verified)
            )
        } delete: { try db.execute(sql: "DELETE FROM recoveryPoint WHERE id = ?", arguments: [$0]) }
        if fleet.aliasesAsKept {
            // Every resource as the last sync left it: its aliases are the stored ones.
            let kept = try Int.fetchOne(db, sql: "SELECT count(*) FROM syncedRow WHERE kind = 'alias'") ?? 0
            counts["alias"] = SyncSummary.Counts(unchanged: kept)
        } else if let names = fleet.aliasScope {
            counts["alias"] = try settleAliases(fleet.aliases, names: names)
        } else {
            counts["alias"] = try diff("alias", fleet.aliases, deletes: deletes, id: \.alias, hash: { SyncRowHash.of(alias: $0.resourceId) }) { row, _ in
                try putAlias.run(.text(row.alias), .text(row.resourceId))
            } delete: { try db.execute(sql: "DELETE FROM resourceAlias WHERE alias = ?", arguments: [$0]) }
        }
        return counts
    }

    /// Compares the aliases of `names` alone with the stored ones, writing what is new or changed
    /// and deleting what is gone; every other alias the store keeps is counted unchanged.
    private func settleAliases(_ aliases: [(alias: String, resourceId: String)], names: Set<String>) throws -> SyncSummary.Counts {
        let kept = try Int.fetchOne(db, sql: "SELECT count(*) FROM syncedRow WHERE kind = 'alias'") ?? 0
        let lookup = try db.makeStatement(sql: "SELECT hash FROM syncedRow WHERE kind = 'alias' AND id = ?")
        let settled = Dictionary(aliases.map { ($0.alias, $0.resourceId) }, uniquingKeysWith: { first, _ in first })
        var counts = SyncSummary.Counts()
        for name in names.sorted() {
            let previous = try String.fetchOne(lookup, arguments: [name])
            if let resourceId = settled[name] {
                let digest = SyncRowHash.of(alias: resourceId)
                guard previous != digest else { continue }
                try putAlias.run(.text(name), .text(resourceId))
                try putHash.run(.text("alias"), .text(name), .text(digest))
                if previous == nil { counts.added += 1 } else { counts.changed += 1 }
            } else if previous != nil {
                try db.execute(sql: "DELETE FROM resourceAlias WHERE alias = ?", arguments: [name])
                try dropHash.run(.text("alias"), .text(name))
                counts.removed += 1
            }
        }
        counts.unchanged = kept - counts.changed - counts.removed
        return counts
    }

    // MARK: - Resources

    private mutating func applyResources(
        _ resources: [IngestRow.Resource], unchanged: [String], salt: String, deletes: Bool
    ) throws -> SyncSummary.Counts {
        // Read when the first row is rewritten or removed: an unchanged fleet needs none.
        var rowids: [String: Int64]?
        func keptRowid(_ id: String) throws -> Int64? {
            if rowids == nil {
                var all: [String: Int64] = [:]
                let cursor = try Row.fetchCursor(db, sql: "SELECT id, rowid FROM resource")
                while let row = try cursor.next() { all[row[0]] = row[1] }
                rowids = all
            }
            return rowids?[id]
        }
        var allocated = nextRowid
        defer { nextRowid = allocated }
        var hashes: [String: String] = [:]
        hashes.reserveCapacity(resources.count)
        defer { writtenResourceHashes = hashes }
        return try diff("resource", resources, unchanged: unchanged, deletes: deletes, id: \.id, hash: { row in
            let digest = SyncRowHash.of(row, salt: salt)
            hashes[row.id] = digest
            return digest
        }) { row, existed in
            let rowid: Int64
            if existed, let kept = try keptRowid(row.id) {
                try remove(rowid: kept)
                rowid = kept
            } else {
                rowid = allocated
                allocated += 1
            }
            try rows.insert(row, rowid: rowid)
        } delete: { id in
            if let kept = try keptRowid(id) { try remove(rowid: kept) }
        }
    }

    /// Deletes a resource with its full-text row and tags (the full-text delete first: it reads both).
    private func remove(rowid: Int64) throws {
        try unindex.run(.integer(rowid))
        try deleteTags.run(.integer(rowid))
        try deleteResource.run(.integer(rowid))
    }

    // MARK: - The diff

    /// Compares `rows` with the hashes kept for `kind`, writing (`put`, told whether the id was kept
    /// before) what is new or changed and deleting what vanished (unless `deletes` is false: then it
    /// is kept, and counted as kept), and keeps the new hashes. The ids in `unchanged` were found as
    /// kept before the write, each once: counted, not touched.
    private func diff<Record>(
        _ kind: String, _ records: [Record], unchanged: [String] = [], deletes: Bool = true,
        id: (Record) -> String, hash: (Record) -> String,
        put: (Record, Bool) throws -> Void, delete: (String) throws -> Void
    ) throws -> SyncSummary.Counts {
        // Nothing to write, and as many unchanged rows (distinct, each one kept) as are kept: nothing
        // vanished either, so the kept hashes need not be read.
        if records.isEmpty, !unchanged.isEmpty,
           try Int.fetchOne(db, sql: "SELECT count(*) FROM syncedRow WHERE kind = ?", arguments: [kind]) == unchanged.count {
            return SyncSummary.Counts(unchanged: unchanged.count)
        }
        var kept: [String: String] = [:]
        kept.reserveCapacity(records.count + unchanged.count)
        let cursor = try Row.fetchCursor(db, sql: "SELECT id, hash FROM syncedRow WHERE kind = ?", arguments: [kind])
        while let row = try cursor.next() {
            kept[row[0]] = row[1]
        }
        var counts = SyncSummary.Counts()
        for key in unchanged where kept.removeValue(forKey: key) != nil {
            counts.unchanged += 1
        }
        for record in records {
            let key = id(record)
            let digest = hash(record)
            let previous = kept.removeValue(forKey: key)
            if previous == digest {
                counts.unchanged += 1
                continue
            }
            try put(record, previous != nil)
            try putHash.run(.text(kind), .text(key), .text(digest))
            if previous == nil { counts.added += 1 } else { counts.changed += 1 }
        }
        guard deletes else {
            counts.keptUnseen = kept.count
            return counts
        }
        for key in kept.keys.sorted() {
            try delete(key)
            try dropHash.run(.text(kind), .text(key))
            counts.removed += 1
        }
        return counts
    }
}
