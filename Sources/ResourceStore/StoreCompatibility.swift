import Fleet
import Foundation
import GRDB

/// Decides, before a store is opened for writing, whether the file at a path is one of ours.
///
/// ```
/// no file, or an empty one            new: created and migrated
/// our migrations, all known           ours: opened (migrated further only if behind)
/// a migration this build does not know   refused: made by a newer pulse-assistant
/// tables but none of our migrations   refused: some other application's database, left untouched
/// not SQLite                          refused
/// ```
/// The file is read through a read-only connection of its own, so a foreign database is neither
/// switched to WAL nor given a migrations table, and what refuses it names no table or column of it.
enum StoreCompatibility {
    enum Verdict: Equatable {
        case new
        case ours(upToDate: Bool)
    }

    /// Reads what the file at `path` is.
    /// - Throws: ``StoreError`` when it is not a store this build may open for writing.
    static func check(path: String, migrations known: [String]) throws -> Verdict {
        var status = stat()
        guard stat(path, &status) == 0, status.st_size > 0 else { return .new }
        var configuration = Configuration()
        configuration.readonly = true
        let applied: [String]?
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            applied = try queue.read { db -> [String]? in
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                if tables.isEmpty { return [] }
                guard tables.contains("grdb_migrations") else { return nil }
                return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            }
            try queue.close()
        } catch {
            throw StoreError(message: "\(path) is not a pulse-assistant store (SQLite cannot read it as a database); it was left untouched")
        }
        guard let applied, applied.isEmpty || applied.contains(where: known.contains) else {
            throw StoreError(message: "\(path) is a SQLite database of some other application, not a pulse-assistant store; "
                + "it was left untouched (give `--store` a new path to create a store)")
        }
        if applied.isEmpty { return .new }
        let unknown = applied.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw StoreError(message: "the store at \(path) was made by a newer pulse-assistant (its schema has "
                + "\(unknown.count == 1 ? "a migration" : "migrations") this build does not know: \(unknown.joined(separator: ", "))); "
                + "use that version, or ingest the snapshot again into a new store")
        }
        return .ours(upToDate: known.allSatisfy(applied.contains))
    }
}
