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

    /// One argument, bound by position.
    enum Argument {
        case text(String)
        case integer(Int64)
        case real(Double)
        case null
    }

    /// Binds `arguments` in order, runs the statement, and returns how many rows it changed.
    @discardableResult
    func run(_ arguments: Argument...) throws -> Int {
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        for (offset, argument) in arguments.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch argument {
            case .text(var text):
                code = text.withUTF8 { bytes in
                    bytes.withMemoryRebound(to: CChar.self) {
                        sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count), Self.transient)
                    }
                }
            case .integer(let value): code = sqlite3_bind_int64(handle, index, value)
            case .real(let value): code = sqlite3_bind_double(handle, index, value)
            case .null: code = sqlite3_bind_null(handle, index)
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

    /// SQLITE_TRANSIENT: SQLite copies the bytes, since the Swift string may move after the call.
    private static var transient: sqlite3_destructor_type {
        unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    }
}

extension IngestStatement.Argument {
    static func text(_ value: String?) -> Self { value.map(Self.text) ?? .null }
    static func integer(_ value: Int64?) -> Self { value.map(Self.integer) ?? .null }
    static func real(_ value: Double?) -> Self { value.map(Self.real) ?? .null }
    static func flag(_ value: Bool?) -> Self { value.map { .integer($0 ? 1 : 0) } ?? .null }
}
