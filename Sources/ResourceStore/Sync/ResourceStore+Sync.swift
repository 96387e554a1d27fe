import Fleet
import GRDB

extension ResourceStore {
    /// Applies a checked fleet from a live source (a Pulse server) in one write transaction, writing
    /// only what changed since the last sync.
    ///
    /// ```
    /// BEGIN IMMEDIATE
    ///   (a batch: checked here, against the hashes the last sync kept; unchanged resources set apart)
    ///   shrink guard: the fleet may not lose more than `shrinkGuard` allows
    ///   no row kept from an earlier sync (a new store, or one an ingest filled)?
    ///       empty every snapshot table, indexes set aside while rows go in
    ///   each kind: add new rows, rewrite changed ones, delete vanished ones (``SyncWriter``)
    ///   anything written?  snapshotInfo rewritten (clients watching the store are told)
    ///   syncStatus: the last good sync is now
    /// COMMIT
    /// ```
    /// Readers of a file store see the fleet before the sync or after it, never half of it.
    ///
    /// - Throws: ``FleetShrinkRefusal`` when the fleet would shrink past `shrinkGuard`; ``StoreError``
    ///   when the database fails. Either way the store is as it was.
    @discardableResult
    package func sync(_ fleet: CheckedFleet, now: Timestamp, shrinkGuard: FleetShrinkGuard? = .default) throws -> SyncSummary {
        try sync(source: fleet.source, now: now, shrinkGuard: shrinkGuard) { _ in fleet }
    }

    /// Checks a batch and applies it in one write transaction (as the sync of a checked fleet
    /// applies a checked fleet), the check made inside it against the hashes the store keeps: a
    /// resource whose record and parent hash to its kept hash is neither validated again nor rehashed
    /// nor rewritten.
    @discardableResult
    package func sync(
        _ batch: FleetBatch, checker: FleetBatchChecker, now: Timestamp, shrinkGuard: FleetShrinkGuard? = .default
    ) throws -> SyncSummary {
        var checker = checker
        return try sync(source: batch.source, now: now, shrinkGuard: shrinkGuard) { db in
            let salt = checker.fingerprint
            if batch.resourcesAsKept {
                // As kept only if every raw row the store keeps was recognised, none read: else the
                // batch, which holds only the aliases its join needed, cannot be written.
                let kept = try Int.fetchOne(db, sql: "SELECT count(*) FROM syncedRawRow") ?? 0
                guard kept == batch.rawRows.count, batch.rawRows.allSatisfy(\.isRecognised), !batch.isPartial else {
                    throw FleetRecognitionStale(count: batch.recognised.count)
                }
            }
            if let scope = batch.aliasScope, !batch.resourcesAsKept, !batch.isPartial {
                // The scope holds for the raw rows the walk started from: another sync wrote since?
                let kept = try Int.fetchOne(db, sql: "SELECT count(*) FROM syncedRawRow") ?? 0
                guard kept == scope.keptRawRows else { throw FleetRecognitionStale(count: batch.recognised.count) }
            }
            let lookup = try db.makeStatement(sql: "SELECT resourceId FROM resourceAlias WHERE alias = ?")
            return checker.check(
                batch, kept: try Self.keptResources(db), hash: { SyncRowHash.of(record: $0, parentId: $1, salt: salt) },
                storedAlias: { alias in try? String.fetchOne(lookup, arguments: [alias]) }
            )
        }
    }

    private func sync(
        source: String, now: Timestamp, shrinkGuard: FleetShrinkGuard?, check: (Database) throws -> CheckedFleet
    ) throws -> SyncSummary {
        let clock = ContinuousClock()
        let started = clock.now
        do {
            return try database.writeWithoutTransaction { db in
                var summary: SyncSummary?
                try db.inTransaction(.immediate) {
                    let fleet = try check(db)
                    // The batch lacks the records of resources it took for the stored ones: write nothing.
                    if fleet.staleRecognitions > 0 { throw FleetRecognitionStale(count: fleet.staleRecognitions) }
                    let before = try Int.fetchOne(db, sql: "SELECT count(*) FROM resource") ?? 0
                    // A partial fleet deletes no resource: there is nothing for the guard to stop.
                    if !fleet.isPartial { try shrinkGuard?.check(before: before, after: fleet.resourceCount) }
                    let replaceAll = try Int.fetchOne(db, sql: "SELECT count(*) FROM syncedRow") == 0
                    var indexes: [String] = []
                    if replaceAll {
                        indexes = try IngestWriter.setIndexesAside(db)
                        try IngestWriter.emptyTables(db)
                    }
                    var writer = try SyncWriter(db)
                    let counts = try writer.apply(fleet)
                    // A resource's hash: written now, or kept unchanged (the hash it was kept with).
                    let written = writer.writtenResourceHashes
                    var unchangedHashes: [String: String]?
                    let raw = try SyncRawRows.keep(fleet.rawRows, partial: fleet.isPartial, recordHash: { id in
                        if let hash = written[id] { return hash }
                        if unchangedHashes == nil {
                            unchangedHashes = Dictionary(fleet.unchangedResources.map { ($0.id, $0.hash) }, uniquingKeysWith: { first, _ in first })
                        }
                        return unchangedHashes?[id]
                    }, db)
                    try IngestWriter.restoreIndexes(indexes, db)
                    var result = SyncSummary(
                        counts: counts, resourceCounts: fleet.resourceCounts, skipped: fleet.skipped,
                        unjoinedAlerts: fleet.unjoinedAlerts, unjoinedRecoveryPoints: fleet.unjoinedRecoveryPoints,
                        detachedResources: fleet.detachedResources, replacedAll: replaceAll, elapsed: clock.now - started
                    )
                    result.recognisedResources = fleet.recognisedResources
                    result.rawRowsWritten = raw.written
                    result.rawRowsRemoved = raw.removed
                    if replaceAll || result.changedAnything {
                        // A partial fleet's store also holds the resources it kept unseen.
                        let stored = fleet.resourceCount + (counts["resource"]?.keptUnseen ?? 0)
                        try Self.recordSnapshotInfo(fleet, resourceCount: stored, now: now, db)
                    }
                    try Self.recordStatus(SyncStatus(source: fleet.source, lastGoodSync: now, lastAttempt: now, lastError: nil), db)
                    summary = result
                    return .commit
                }
                guard var summary else { throw StoreError(message: "the sync transaction did not commit") }
                summary.elapsed = clock.now - started
                return summary
            }
        } catch let error as FleetShrinkRefusal {
            throw error
        } catch let error as FleetRecognitionStale {
            throw error
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(message: "the sync from \(source) failed, the store is unchanged: \(error)")
        }
    }

    /// The resources a sync wrote, by id, with their kept hashes; empty when no sync wrote this
    /// store's resources (a new store, or one an ingest filled).
    private static func keptResources(_ db: Database) throws -> [String: UnchangedResource] {
        var kept: [String: UnchangedResource] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT r.id, r.type, r.platform, r.parentId, s.hash
            FROM syncedRow AS s JOIN resource AS r ON r.id = s.id
            WHERE s.kind = 'resource'
            """)
        while let row = try rows.next() {
            let id: String = row[0]
            kept[id] = UnchangedResource(id: id, type: row[1], platform: row[2], parentId: row[3], hash: row[4])
        }
        return kept
    }

    /// Records a sync attempt that did not commit: the data stays as the last good sync left it,
    /// and `syncStatus` says when it was tried and why it failed.
    package func recordSyncFailure(source: String, reason: String, now: Timestamp) throws {
        try database.write { db in
            let previous = SyncStatus(facts: try Self.statusFacts(db))
            let status = SyncStatus(source: source, lastGoodSync: previous?.lastGoodSync, lastAttempt: now, lastError: reason)
            try Self.recordStatus(status, db)
        }
    }

    private static func recordSnapshotInfo(_ fleet: CheckedFleet, resourceCount: Int, now: Timestamp, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM snapshotInfo")
        var facts: [(key: String, value: String)] = []
        if let generatedAt = fleet.generatedAt { facts.append(("generatedAt", generatedAt.description)) }
        facts.append(("ingestedAt", now.description))
        facts.append(("resourceCount", String(resourceCount)))
        facts.append(("source", fleet.source))
        try IngestWriter.recordInfo(facts, db)
    }

    private static func recordStatus(_ status: SyncStatus, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM syncStatus")
        let statement = try db.makeStatement(sql: "INSERT INTO syncStatus (key, value) VALUES (?, ?)")
        for fact in status.facts {
            try statement.execute(arguments: [fact.key, fact.value])
        }
    }

    fileprivate static func statusFacts(_ db: Database) throws -> [String: String] {
        var facts: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT key, value FROM syncStatus") {
            facts[row[0]] = row[1]
        }
        return facts
    }
}

extension StoreReader {
    /// The last sync attempt and the last good one; nil for a store no sync has written.
    package func syncStatus() throws -> SyncStatus? {
        let facts = Dictionary(
            try rows("SELECT key, value FROM syncStatus") { ($0[0] as String, $0[1] as String) },
            uniquingKeysWith: { first, _ in first }
        )
        return SyncStatus(facts: facts)
    }

    /// The resource an alias names (Pulse's legacy and source ids); nil when it names none.
    package func resourceId(forAlias alias: String) throws -> String? {
        try first("SELECT resourceId FROM resourceAlias WHERE alias = ?", [.text(alias)]) { $0[0] as String }
    }
}
