import AuditLog
import Fleet
import Foundation
import GRDB

/// The embedded SQLite store of Pulse's canonical resources.
///
/// One `Sendable` value holding the database writer; every read and write
/// goes through it. A file store is a `DatabasePool` in WAL mode, so readers
/// see either the content before an ingest or after it, never half of one,
/// and are never blocked by it; they read through their own connections
/// (``ReadConnectionPool``). The schema is managed by ``StoreSchema``.
package struct ResourceStore: Sendable {
    /// The database; reads use `read`, the ingest one `write` transaction.
    package let database: any DatabaseWriter

    /// The audit chain: a JSON Lines file beside a file store (``auditPath(for:)``), memory for an
    /// in-memory one. Every tool call appends to it, so it is not a table: a SQLite commit per call
    /// cost several times a plain append, and a commit in the store's WAL made every reader drop its
    /// page cache.
    package let audit: any AuditChain

    /// Where the store lives, for messages: a path, or `in-memory`.
    package let location: String

    /// The connections ``read(_:)`` reads through (``ReadConnectionPool``).
    let readers: ReadConnectionPool

    /// The audit chain's file for the store at `path`: `fleet.db` → `fleet.db.audit.jsonl`.
    package static func auditPath(for path: String) -> String {
        path + ".audit.jsonl"
    }

    /// The file holding where that chain ended at its last append: `fleet.db.audit.head`.
    package static func auditHeadPath(for path: String) -> String {
        path + ".audit.head"
    }

    /// Opens (creating if needed) the store at `path` and its audit file, and migrates them.
    ///
    /// Read-only (the audit commands), nothing is created or migrated. Not `audited` (an ingest, which
    /// answers no tool call), the audit chain is opened read-only: its files are neither created nor
    /// touched, and an append is refused.
    ///
    /// - Throws: a `StoreError` naming the path when it cannot be opened or migrated.
    package static func open(path: String, readOnly: Bool = false, audited: Bool = true) throws -> ResourceStore {
        var configuration = Self.configuration
        configuration.readonly = readOnly
        do {
            // Checked before anything writes: a foreign or newer file is refused as it was found, and a
            // store already up to date is opened without the write lock that a migration takes (so a
            // server starts while an ingest elsewhere holds it).
            let verdict = readOnly ? .ours(upToDate: true) : try StoreCompatibility.check(path: path, migrations: StoreSchema.migrator.migrations)
            let pool = try verdict == .ours(upToDate: true) && !readOnly
                ? openPool(path: path, configuration: configuration)
                : DatabasePool(path: path, configuration: configuration)
            if verdict != .ours(upToDate: true) {
                try StoreSchema.migrator.migrate(pool)
            }
            let audit = try AuditFile(path: auditPath(for: path), headPath: auditHeadPath(for: path), readOnly: readOnly || !audited)
            return ResourceStore(database: pool, audit: audit, location: path, readers: ReadConnectionPool(path: path))
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(message: "cannot open the store at \(path): \(error)")
        }
    }

    /// Opens a pool on a store that needs no migration, without waiting on another process's write lock.
    ///
    /// Setting a pool up writes once when the WAL file is missing or empty (GRDB makes it non-empty), so
    /// with another process sitting on the write lock (an ingest, an open `sqlite3` shell) the setup
    /// would wait ten seconds and fail. It waits one second instead; if the lock is still held, the
    /// store is opened read-only: every read works, and a write fails at once with SQLite's "attempt
    /// to write a readonly database" rather than the server not starting.
    private static func openPool(path: String, configuration: Configuration) throws -> DatabasePool {
        var prompt = configuration
        prompt.busyMode = .timeout(1)
        do {
            let pool = try DatabasePool(path: path, configuration: prompt)
            // Later writes wait as long as any other store's.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA busy_timeout = 10000") }
            return pool
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            var readOnly = configuration
            readOnly.readonly = true
            return try DatabasePool(path: path, configuration: readOnly)
        }
    }

    /// A private store in memory: for tests and the embedded demo fleet.
    package static func inMemory() throws -> ResourceStore {
        do {
            let queue = try DatabaseQueue(configuration: configuration)
            try StoreSchema.migrator.migrate(queue)
            return ResourceStore(
                database: queue, audit: AuditMemory(), location: "in-memory", readers: ReadConnectionPool(queue: queue)
            )
        } catch {
            throw StoreError(message: "cannot create an in-memory store: \(error)")
        }
    }

    /// The most a WAL keeps of its size once checkpointed: 64 MiB.
    static let walSizeLimit = 64 << 20

    private static var configuration: Configuration {
        _ = SQLiteLibrary.memoryStatisticsResult
        var configuration = Configuration()
        // A writer from another process (an ingest) may hold the lock for a while.
        configuration.busyMode = .timeout(10)
        configuration.maximumReaderCount = 4
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // After a checkpoint that resets it, the WAL is cut back to this size rather than kept at the
            // largest it ever grew to (an ingest's, the size of the snapshot).
            try db.execute(sql: "PRAGMA journal_size_limit = \(Self.walSizeLimit)")
        }
        return configuration
    }
}
