import GRDB
import Testing

@testable import ResourceStore

/// The ingest's prepared inserts: text bound in place from one reused buffer, every parameter
/// bound for every row.
struct IngestStatementTests {
    @Test func rowsOfEveryKindOfArgumentReadBackAsBound() throws {
        // Given a table and an insert into it
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (n INTEGER, a TEXT, b TEXT, r REAL)")
            let insert = try IngestStatement(db, sql: "INSERT INTO t (n, a, b, r) VALUES (?, ?, ?, ?)")

            // When rows go in whose texts are empty, short, long (growing the buffer) and absent
            let long = String(repeating: "é-long-text ", count: 1000)
            try insert.run(.integer(1), .text("short"), .text(""), .real(0.5))
            try insert.run(.integer(2), .text(long), .text("after the long one"), .real(nil))
            try insert.run(.integer(3), .text(nil as String?), .text("x"), .real(2))

            // Then each row holds what was bound for it, '' as '' and nil as NULL
            let rows = try Row.fetchAll(db, sql: "SELECT n, a, b, r, typeof(b) AS tb FROM t ORDER BY n")
            #expect(rows.count == 3)
            #expect(rows[0]["a"] == "short")
            #expect(rows[0]["b"] == "")
            #expect(rows[0]["tb"] == "text")
            #expect(rows[0]["r"] == 0.5)
            #expect(rows[1]["a"] == long)
            #expect(rows[1]["b"] == "after the long one")
            #expect(rows[1]["r"] as Double? == nil)
            #expect(rows[2]["a"] as String? == nil)
            #expect(rows[2]["b"] == "x")
        }
    }

    @Test func aRowMissingAnArgumentIsRefusedRatherThanKeepingThePreviousRowsValue() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (a TEXT, b TEXT)")
            let insert = try IngestStatement(db, sql: "INSERT INTO t (a, b) VALUES (?, ?)")
            try insert.run(.text("a1"), .text("b1"))

            #expect(throws: DatabaseError.self) { try insert.run(.text("a2")) }

            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM t") == 1)
        }
    }

    @Test func theTextBufferKeepsEachRowsTextsSideBySide() {
        // Given a buffer smaller than the texts
        let buffer = IngestTextBuffer(capacity: 4)

        // When it is reset for them and they are appended
        buffer.reset(capacity: 11)
        let first = buffer.append("hello")
        let empty = buffer.append("")
        let second = buffer.append("world!")

        // Then each is where the one before ended, "" included, at a real address
        #expect(String(decoding: UnsafeRawBufferPointer(first), as: UTF8.self) == "hello")
        #expect(empty.baseAddress != nil && empty.count == 0)
        #expect(second.baseAddress == first.baseAddress.map { $0 + 5 })
        #expect(String(decoding: UnsafeRawBufferPointer(second), as: UTF8.self) == "world!")
    }
}
