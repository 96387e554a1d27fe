import GRDB
import GRDBSQLite

/// A prepared INSERT whose arguments are bound straight through the SQLite C API.
///
/// GRDB's `execute(arguments:)` boxes every argument as a `DatabaseValue` in an array; at five
/// statements per resource and a million resources that boxing costs more than SQLite's own work
/// for a row. This binds in place, steps once and resets, and reports failures as GRDB's
/// `DatabaseError`. It keeps the GRDB `Statement` alive, which owns the SQLite statement.
///
/// Text is copied into one ``IngestTextBuffer`` per statement and bound `SQLITE_STATIC`, SQLite
/// reading it in place: bound `SQLITE_TRANSIENT`, SQLite would free the previous row's copy and
/// allocate and fill its own for every text argument (at 1M resources, binding took 3 s of the
/// writer's 71 s of CPU, most of it in `malloc` and `free`).
///
/// Deliberately not `Sendable`: used on the writer's thread, inside one transaction.
struct IngestStatement {
    private let statement: Statement
    private let handle: SQLiteStatement
    private let db: Database
    private let parameterCount: Int
    private let texts = IngestTextBuffer()

    init(_ db: Database, sql: String) throws {
        self.db = db
        statement = try db.makeStatement(sql: sql)
        handle = statement.sqliteStatement
        parameterCount = Int(sqlite3_bind_parameter_count(handle))
    }

    /// Binds `arguments` in order, runs the statement, and returns how many rows it changed.
    /// - Throws: `SQLITE_RANGE` unless there is one argument per parameter, or the database's error.
    @discardableResult
    func run(_ arguments: SQLiteArgument...) throws -> Int {
        guard arguments.count == parameterCount else { throw error(SQLITE_RANGE) }
        defer { sqlite3_reset(handle) }
        var textBytes = 0
        for argument in arguments {
            if case .text(let text) = argument { textBytes += text.utf8.count }
        }
        // Every text is in place before any is bound: the buffer may move while it grows.
        texts.reset(capacity: textBytes)
        for (offset, argument) in arguments.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            if case .text(let text) = argument {
                let bytes = texts.append(text)
                code = sqlite3_bind_text(handle, index, bytes.baseAddress, Int32(bytes.count), nil)  // nil: SQLITE_STATIC
            } else {
                code = argument.bind(to: handle, at: index)
            }
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
