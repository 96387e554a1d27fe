import GRDBSQLite

/// One value bound to a statement's parameter, by position: the store's reads and the ingest's
/// inserts both bind through it.
///
/// An enum rather than GRDB's `DatabaseValueConvertible` existentials: binding it costs a switch,
/// not a box per argument.
enum SQLiteArgument: Equatable {
    case text(String)
    case integer(Int64)
    case real(Double)
    case null

    static func text(_ value: String?) -> Self { value.map(Self.text) ?? .null }
    static func integer(_ value: Int) -> Self { .integer(Int64(value)) }
    static func integer(_ value: Int64?) -> Self { value.map(Self.integer) ?? .null }
    static func real(_ value: Double?) -> Self { value.map(Self.real) ?? .null }
    /// A flag as SQLite keeps one: 1 or 0.
    static func flag(_ value: Bool?) -> Self { value.map { .integer($0 ? 1 : 0) } ?? .null }

    /// Binds the value to parameter `index` (from 1) of `statement`; returns SQLite's result code.
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        switch self {
        case .text(let text) where text.isEmpty:
            // An empty buffer may have no address, and a NULL address would bind NULL, not ''.
            return sqlite3_bind_text(statement, index, "", 0, Self.transient)
        case .text(var text):
            return text.withUTF8 { bytes in
                bytes.withMemoryRebound(to: CChar.self) {
                    sqlite3_bind_text(statement, index, $0.baseAddress, Int32($0.count), Self.transient)
                }
            }
        case .integer(let value): return sqlite3_bind_int64(statement, index, value)
        case .real(let value): return sqlite3_bind_double(statement, index, value)
        case .null: return sqlite3_bind_null(statement, index)
        }
    }

    /// SQLITE_TRANSIENT: SQLite copies the bytes, since the Swift string may move after the call.
    private static var transient: sqlite3_destructor_type {
        unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    }
}

extension [SQLiteArgument] {
    /// Each of `values` as text, in order.
    static func texts(_ values: [String]) -> Self { values.map(SQLiteArgument.text) }
}
