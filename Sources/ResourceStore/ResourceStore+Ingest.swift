import Fleet
import GRDB
import Policy

extension ResourceStore {
    /// Replaces the store's content with a validated snapshot, in one write transaction.
    ///
    /// Every record is checked (DESIGN §3): canonical types, platform ids and aliases (an alias is
    /// stored as its canonical id), (platform, type) against the platform's canonical projections,
    /// unique ids, parents, cycles, vocabularies, timestamps, metric ranges, references between
    /// records, endpoints, and the absence of secrets. Either the whole snapshot replaces the old
    /// content, or nothing changes:
    ///
    /// ```
    /// BEGIN IMMEDIATE
    ///   drop secondary indexes · empty every table
    ///   read → validate ─▶ insert, record by record (errors collected, never fatal);
    ///         a reading thread and this one, side by side (``IngestPipeline``)
    ///   parents, cycles, references
    ///   any error?  ROLLBACK, throw SnapshotRejection (every error, at most 100 shown)
    ///   rebuild indexes · snapshotInfo
    /// COMMIT
    /// ```
    /// Readers of a file store (a WAL `DatabasePool`) keep seeing the old content until the commit.
    ///
    /// - Parameters:
    ///   - source: the snapshot, JSON document or JSON Lines (detected).
    ///   - manifest: the platform support model that judges platforms and projections.
    ///   - now: the ingest time recorded in `snapshotInfo`, from the caller's clock.
    ///   - checks: the end record to require, the shrink guard to apply (``IngestChecks``).
    ///   - progress: called after each chunk and at each phase, from one thread at a time.
    /// - Returns: what was stored.
    /// - Throws: ``SnapshotRejection`` when the snapshot is invalid; ``FleetShrinkRefusal`` when it
    ///   would remove more of the fleet than `checks` allow; ``StoreError`` when the source
    ///   cannot be read or the database fails. Either way the previous content is untouched.
    @discardableResult
    package func ingest(
        _ source: SnapshotSource, manifest: PlatformSupportManifest, now: Timestamp, checks: IngestChecks = IngestChecks(),
        progress: (@Sendable (IngestProgress) -> Void)? = nil
    ) throws -> IngestSummary {
        let clock = ContinuousClock()
        let started = clock.now
        let input = try SnapshotInput(source, requireEndRecord: checks.requireEndRecord)
        defer { input.close() }
        do {
            return try database.writeWithoutTransaction { db in
                try Self.checkpointingAround(db) { try Self.withBulkSettings(db) {
                    var summary: IngestSummary?
                    var recordsRead = 0
                    try db.inTransaction(.immediate) {
                        let ingestion = SnapshotIngestion(
                            manifest: manifest, pipe: IngestPipe(capacity: IngestPipeline.capacity),
                            totalBytes: input.totalBytes, progress: progress
                        )
                        let before = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM resource") ?? 0
                        let sink = try IngestSink(db)
                        let indexes = try IngestWriter.setIndexesAside(db)
                        try IngestWriter.emptyTables(db)
                        let format = try IngestPipeline.run(input, into: ingestion, writingTo: sink)
                        ingestion.finish(merging: sink.log)
                        recordsRead = ingestion.recordsRead
                        if let rejection = ingestion.log.rejection { throw rejection }
                        try checks.shrinkGuard?.check(before: before, after: sink.recordCounts[.resource] ?? 0)
                        ingestion.report(.indexing)
                        try IngestWriter.restoreIndexes(indexes, db)
                        try IngestWriter.summarizeMetrics(db)
                        let facts = Self.facts(
                            generatedAt: ingestion.generatedAt, resources: sink.recordCounts[.resource] ?? 0,
                            source: source, now: now
                        )
                        try IngestWriter.recordInfo(facts, db)
                        summary = IngestSummary(
                            recordCounts: sink.recordCounts, resourceTypeCounts: sink.resourceTypeCounts,
                            generatedAt: ingestion.generatedAt, ingestedAt: now, source: source.description,
                            format: format, elapsed: clock.now - started
                        )
                        return .commit
                    }
                    guard var summary else { throw StoreError(message: "the ingest transaction did not commit") }
                    summary.elapsed = clock.now - started
                    progress?(IngestProgress(
                        phase: .done, recordsRead: recordsRead,
                        bytesRead: input.totalBytes ?? 0, totalBytes: input.totalBytes
                    ))
                    return summary
                } }
            }
        } catch let error as SnapshotRejection {
            throw error
        } catch let error as FleetShrinkRefusal {
            throw error
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(message: "ingest of \(source) failed, the store is unchanged: \(error)")
        }
    }

    /// The `snapshotInfo` facts: when it was made and ingested, how many resources, from where.
    private static func facts(
        generatedAt: Timestamp?, resources: Int, source: SnapshotSource, now: Timestamp
    ) -> [(key: String, value: String)] {
        var facts: [(key: String, value: String)] = []
        if let generatedAt {
            facts.append(("generatedAt", generatedAt.description))
        }
        facts.append(("ingestedAt", now.description))
        facts.append(("resourceCount", String(resources)))
        facts.append(("source", source.description))
        return facts
    }

    /// Runs `body` between two checkpoints that truncate the WAL: one before, one if it throws.
    ///
    /// A rolled-back ingest leaves in the WAL every page its transaction spilled there, as large as the
    /// snapshot (1.3 GB at 1M resources); after a failure at COMMIT on a full disk, that WAL kept the
    /// store from opening until space came back. The checkpoint before moves what earlier commits left
    /// in the WAL into the database while there is room, so that after a failure the WAL holds no
    /// committed frame: the checkpoint then has nothing to copy, needs no space, and truncates it.
    private static func checkpointingAround<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        _ = try? Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        do {
            return try body()
        } catch {
            // A COMMIT that fails on a full disk can leave the transaction open: end it first.
            if db.isInsideTransaction { try? db.execute(sql: "ROLLBACK") }
            _ = try? Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            throw error
        }
    }

    /// Runs `body` with a page cache large enough for a million-row transaction and a second thread
    /// for SQLite's sorter (the index rebuilds sort every row; the reading thread is done by then),
    /// then puts the connection's settings back, so that later writes are not affected. A larger
    /// cache was tried and was no faster.
    private static func withBulkSettings<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
        let threads = try Int.fetchOne(db, sql: "PRAGMA threads") ?? 0
        try db.execute(sql: "PRAGMA cache_size = -262144")  // KiB: 256 MiB
        try db.execute(sql: "PRAGMA threads = 2")
        defer {
            try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)")
            try? db.execute(sql: "PRAGMA threads = \(threads)")
        }
        return try body()
    }
}
