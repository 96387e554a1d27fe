import GRDB
import GRDBSQLite

/// A SQLite connection that ``StoreReader`` reads through, with its prepared statements.
///
/// GRDB's row and argument machinery (a `Row` per fetch, `StatementArguments` boxing every value,
/// a cursor object per query) cost more than SQLite's own work for the point lookups a tool makes
/// by the dozen. Here arguments are bound in place, columns are read straight into the row types
/// (``ReadRow``), and each SQL string is prepared once per connection.
///
/// A file store's connections are opened read-only on the store file (WAL) and owned here; an
/// in-memory store's one connection is borrowed from its `DatabaseQueue`, used only inside the
/// queue's `inDatabase`. Either way errors come back as GRDB's `DatabaseError`, with the SQL and
/// without the arguments.
///
/// `@unchecked Sendable`: it has mutable state (the statement cache) and one user at a time —
/// ``ReadConnectionPool`` hands it to one read and takes it back after.
final class ReadConnection: @unchecked Sendable {
    let handle: OpaquePointer
    private let owned: Bool
    private var statements: [String: OpaquePointer] = [:]

    /// Opens a read-only connection on the store file at `path`.
    init(path: String) throws {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            sqlite3_close_v2(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
        }
        self.handle = handle
        owned = true
        // A writer from another process may hold the WAL lock while it recovers or restarts the log.
        sqlite3_busy_timeout(handle, 10_000)
        sqlite3_extended_result_codes(handle, 1)
        // No `mmap_size`: mapping the file counts every page a read touches in the server's RSS, and
        // it was no faster (first touches of a page fault); docs/decisions.md has the figures.
    }

    /// Uses the connection `handle`, owned by someone else (an in-memory store's `DatabaseQueue`).
    ///
    /// Only its statements are finalized here. GRDB closes a connection it releases with
    /// `sqlite3_close_v2`, which waits for them, so the two may go in either order.
    init(borrowing handle: OpaquePointer) {
        self.handle = handle
        owned = false
    }

    deinit {
        for statement in statements.values {
            sqlite3_finalize(statement)
        }
        if owned {
            sqlite3_close_v2(handle)
        }
    }

    /// Whether a transaction is open: a connection left in one after a read is not reused.
    var isInTransaction: Bool {
        sqlite3_get_autocommit(handle) == 0
    }

    /// Binds `arguments`, steps the statement for `sql` and maps each row as it is stepped.
    func rows<T>(_ sql: String, _ arguments: [SQLiteArgument] = [], _ transform: (ReadRow) throws -> T) throws -> [T] {
        let statement = try prepared(sql)
        defer { sqlite3_reset(statement) }
        try bind(arguments, to: statement, sql: sql)
        var result: [T] = []
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_ROW {
                result.append(try transform(ReadRow(statement: statement)))
            } else if code == SQLITE_DONE {
                return result
            } else {
                throw error(code, sql: sql)
            }
        }
    }

    /// The first row of the statement for `sql`, mapped; nil when there is none.
    func first<T>(_ sql: String, _ arguments: [SQLiteArgument] = [], _ transform: (ReadRow) throws -> T) throws -> T? {
        let statement = try prepared(sql)
        defer { sqlite3_reset(statement) }
        try bind(arguments, to: statement, sql: sql)
        let code = sqlite3_step(statement)
        if code == SQLITE_ROW {
            return try transform(ReadRow(statement: statement))
        } else if code == SQLITE_DONE {
            return nil
        }
        throw error(code, sql: sql)
    }

    /// Runs `sql`, which returns no rows (`BEGIN`, `COMMIT`), from the statement cache.
    func execute(_ sql: String) throws {
        let statement = try prepared(sql)
        defer { sqlite3_reset(statement) }
        let code = sqlite3_step(statement)
        guard code == SQLITE_DONE || code == SQLITE_ROW else { throw error(code, sql: sql) }
    }

    /// Prepared statements kept per connection: the point reads' few dozen, and room for the
    /// shapes searches take (one per combination of filters and list lengths).
    static let maximumCachedStatements = 256

    /// How many prepared statements the connection keeps now.
    var cachedStatementCount: Int { statements.count }

    /// The prepared statement for `sql`, prepared on first use.
    ///
    /// A full cache is emptied of every statement not being stepped (a caller's `transform` may be
    /// running one), so that the shapes of many different searches do not pile up.
    private func prepared(_ sql: String) throws -> OpaquePointer {
        if let statement = statements[sql] {
            return statement
        }
        if statements.count >= Self.maximumCachedStatements {
            let idle = statements.filter { sqlite3_stmt_busy($0.value) == 0 }
            for (text, statement) in idle {
                sqlite3_finalize(statement)
                statements[text] = nil
            }
        }
        var statement: OpaquePointer?
        var text = sql
        let code = text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) {
                sqlite3_prepare_v3(handle, $0.baseAddress, Int32($0.count), UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
            }
        }
        guard code == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw error(code, sql: sql)
        }
        statements[sql] = statement
        return statement
    }

    private func bind(_ arguments: [SQLiteArgument], to statement: OpaquePointer, sql: String) throws {
        let expected = Int(sqlite3_bind_parameter_count(statement))
        guard arguments.count == expected else {
            throw DatabaseError(
                resultCode: .SQLITE_MISUSE,
                message: "wrong number of statement arguments: \(arguments.count) for \(expected) parameters",
                sql: sql
            )
        }
        for (offset, argument) in arguments.enumerated() {
            let code = argument.bind(to: statement, at: Int32(offset + 1))
            guard code == SQLITE_OK else { throw error(code, sql: sql) }
        }
    }

    private func error(_ code: Int32, sql: String) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code), message: sqlite3_errmsg(handle).map { String(cString: $0) }, sql: sql
        )
    }
}
