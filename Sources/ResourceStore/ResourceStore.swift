import Foundation
import GRDB

/// The embedded SQLite store of Pulse's canonical resources.
///
/// One `Sendable` value holding the database writer; every read and write
/// goes through it. A file store is a `DatabasePool` in WAL mode, so readers
/// see either the content before an ingest or after it, never half of one,
/// and are never blocked by it. The schema is managed by ``StoreSchema``.
public struct ResourceStore: Sendable {
    /// The database; reads use `read`, the ingest one `write` transaction.
    public let database: any DatabaseWriter

    /// The audit chain: a file of its own beside a file store (``auditPath(for:)``), the same database
    /// for an in-memory one. Every tool call appends to it, and a commit in a WAL database makes every
    /// reader of that file drop its page cache: kept apart, the appends never slow the reads.
    public let auditDatabase: any DatabaseWriter

    /// Where the store lives, for messages: a path, or `in-memory`.
    public let location: String

    /// The audit chain's file for the store at `path`: `fleet.db` → `fleet.db.audit`.
    public static func auditPath(for path: String) -> String {
        path + ".audit"
    }

    /// Opens (creating if needed) the store at `path` and its audit file, and migrates them.
    ///
    /// Read-only (the audit commands), nothing is created or migrated, and the audit file must exist.
    ///
    /// - Throws: a `StoreError` naming the path when it cannot be opened or migrated.
    public static func open(path: String, readOnly: Bool = false) throws -> ResourceStore {
        var configuration = Self.configuration
        configuration.readonly = readOnly
        let audit = auditPath(for: path)
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            let auditPool = try DatabasePool(path: audit, configuration: configuration)
            if !readOnly {
                try StoreSchema.migrator.migrate(pool)
                try StoreSchema.auditMigrator.migrate(auditPool)
            }
            return ResourceStore(database: pool, auditDatabase: auditPool, location: path)
        } catch {
            throw StoreError(message: "cannot open the store at \(path) (audit \(audit)): \(error)")
        }
    }

    /// A private store in memory: for tests and the embedded demo fleet.
    public static func inMemory() throws -> ResourceStore {
        do {
            let queue = try DatabaseQueue(configuration: configuration)
            try StoreSchema.migrator.migrate(queue)
            try StoreSchema.auditMigrator.migrate(queue)
            return ResourceStore(database: queue, auditDatabase: queue, location: "in-memory")
        } catch {
            throw StoreError(message: "cannot create an in-memory store: \(error)")
        }
    }

    private static var configuration: Configuration {
        var configuration = Configuration()
        // A writer from another process (an ingest) may hold the lock for a while.
        configuration.busyMode = .timeout(10)
        configuration.maximumReaderCount = 4
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return configuration
    }
}

/// A store failure, said in words for an operator.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(message: String) {
        self.message = message
    }

    public var description: String { message }
}
