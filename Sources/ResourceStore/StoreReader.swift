import GRDB

/// Reads of the store inside one read transaction: every query a tool makes
/// for one answer sees the same snapshot of the store, and the transaction is
/// opened once per answer rather than once per query.
///
/// Not `Sendable`: it lives only for the duration of ``ResourceStore/read(_:)``.
public struct StoreReader {
    let db: Database
}

extension ResourceStore {
    /// Runs `body` in one read transaction.
    public func read<T>(_ body: (StoreReader) throws -> T) throws -> T {
        if let queue = database as? DatabaseQueue {
            // One connection whose every access, the ingest included, is serialized by the queue: a
            // read already sees a whole snapshot. GRDB's read isolation would add a transaction and
            // toggle `query_only`, which expires the cached statements and recompiles them per read.
            return try queue.inDatabase { db in try body(StoreReader(db: db)) }
        }
        return try database.read { db in try body(StoreReader(db: db)) }
    }
}

extension StoreReader {
    /// Runs a cached statement and maps each row as it is stepped.
    ///
    /// A cursor reads columns straight from the statement; `fetchAll` would
    /// first copy every row's values, which costs more than the mapping.
    func rows<T>(_ sql: String, _ arguments: StatementArguments, _ transform: (Row) throws -> T) throws -> [T] {
        let cursor = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
        var result: [T] = []
        while let row = try cursor.next() {
            result.append(try transform(row))
        }
        return result
    }
}
