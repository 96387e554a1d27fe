import GRDB
import GRDBSQLite

/// A prepared INSERT whose arguments are bound straight through the SQLite C API.
///
/// GRDB's `execute(arguments:)` boxes every argument as a `DatabaseValue` in an array; at five
/// statements per resource and a million resources that boxing costs more than SQLite's own work
/// for a row. This binds in place, steps once and resets, and reports failures as GRDB's
/// `DatabaseError`. It keeps the GRDB `Statement` alive, which owns the SQLite statement.
///
/// Deliberately not `Sendable`: used on the writer's thread, inside one transaction.
struct IngestStatement {
    private let statement: Statement
    private let handle: SQLiteStatement
    private let db: Database

    init(_ db: Database, sql: String) throws {
        self.db = db
        statement = try db.makeStatement(sql: sql)
        handle = statement.sqliteStatement
    }

    /// Binds `arguments` in order, runs the statement, and returns how many rows it changed.
    @discardableResult
    func run(_ arguments: SQLiteArgument...) throws -> Int {
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        for (offset, argument) in arguments.enumerated() {
            let code = argument.bind(to: handle, at: Int32(offset + 1))
            guard code == SQLITE_OK else { throw error(code) }
        }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else { throw error(code) }
        return Int(sqlite3_changes(db.sqliteConnection))
    }

    private func error(_ code: Int32) -> DatabaseError {
        let message = db.sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }
}
