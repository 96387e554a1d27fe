/// Reads of the store inside one read transaction: every query a tool makes
/// for one answer sees the same snapshot of the store, and the transaction is
/// opened once per answer rather than once per query.
///
/// Queries go through a ``ReadConnection``: prepared once per connection, arguments bound in
/// place, columns read straight into the row types.
///
/// Not `Sendable`: it lives only for the duration of ``ResourceStore/read(_:)``.
package struct StoreReader {
    let connection: ReadConnection
}

@available(*, unavailable)
extension StoreReader: Sendable {}

extension ResourceStore {
    /// Runs `body` in one read transaction.
    ///
    /// - Throws: what `body` throws, or a `DatabaseError` when the store cannot be read.
    package func read<T>(_ body: (StoreReader) throws -> T) throws -> T {
        try readers.read { connection in try body(StoreReader(connection: connection)) }
    }
}

extension StoreReader {
    /// Runs the statement for `sql` and maps each row as it is stepped.
    func rows<T>(_ sql: String, _ arguments: [SQLiteArgument] = [], _ transform: (ReadRow) throws -> T) throws -> [T] {
        try connection.rows(sql, arguments, transform)
    }

    /// The first row of the statement for `sql`, mapped; nil when there is none.
    func first<T>(_ sql: String, _ arguments: [SQLiteArgument] = [], _ transform: (ReadRow) throws -> T) throws -> T? {
        try connection.first(sql, arguments, transform)
    }
}
