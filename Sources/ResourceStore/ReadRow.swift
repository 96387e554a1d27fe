import Fleet
import GRDBSQLite

/// The current row of a read statement, its columns read straight from SQLite.
///
/// Valid only inside the `transform` of ``ReadConnection/rows(_:_:_:)``: the statement moves on
/// after it. `row[0]` reads like GRDB's `Row`, without copying the row's values first.
struct ReadRow {
    let statement: OpaquePointer

    subscript<Value: ReadValue>(_ index: Int32) -> Value {
        Value.read(statement, index)
    }
}

/// A type a column is read as.
///
/// SQLite converts between storage classes as its `sqlite3_column_*` functions document; a NULL
/// read as a non-optional type is the type's zero (the schema says NOT NULL where that matters),
/// so a damaged store answers oddly instead of trapping.
protocol ReadValue {
    static func read(_ statement: OpaquePointer, _ index: Int32) -> Self
}

extension String: ReadValue {
    static func read(_ statement: OpaquePointer, _ index: Int32) -> String {
        guard let text = sqlite3_column_text(statement, index) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, index))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }
}

extension Int64: ReadValue {
    static func read(_ statement: OpaquePointer, _ index: Int32) -> Int64 {
        sqlite3_column_int64(statement, index)
    }
}

extension Int: ReadValue {
    static func read(_ statement: OpaquePointer, _ index: Int32) -> Int {
        Int(sqlite3_column_int64(statement, index))
    }
}

extension Double: ReadValue {
    static func read(_ statement: OpaquePointer, _ index: Int32) -> Double {
        sqlite3_column_double(statement, index)
    }
}

extension Bool: ReadValue {
    static func read(_ statement: OpaquePointer, _ index: Int32) -> Bool {
        sqlite3_column_int64(statement, index) != 0
    }
}

extension Timestamp: ReadValue {
    static func read(_ statement: OpaquePointer, _ index: Int32) -> Timestamp {
        Timestamp(secondsSince1970: sqlite3_column_int64(statement, index))
    }
}

extension Optional: ReadValue where Wrapped: ReadValue {
    static func read(_ statement: OpaquePointer, _ index: Int32) -> Wrapped? {
        sqlite3_column_type(statement, index) == SQLITE_NULL ? nil : Wrapped.read(statement, index)
    }
}
