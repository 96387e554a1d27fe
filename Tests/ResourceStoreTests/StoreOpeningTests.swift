import AuditLog
import Fleet
import Foundation
import GRDB
import GRDBSQLite
import Testing

@testable import ResourceStore

/// What opening a file as a store does to files that are not ours, to newer stores, to a store
/// another process is writing.
@Suite(.serialized)
struct StoreOpeningTests {
    typealias F = IngestFixtures

    @Test func aForeignSQLiteFileIsRefusedUntouchedAndUnread() throws {
        // Given some other application's database
        let directory = try TemporaryStoreDirectory()
        let foreign = try DatabaseQueue(path: directory.storePath)
        try foreign.write { db in
            try db.execute(sql: "CREATE TABLE credentials (service TEXT, password TEXT)")
            try db.execute(sql: "INSERT INTO credentials VALUES ('registry', 'hunter2')")
        }
        try foreign.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: directory.storePath))

        // When it is opened as a store, it is refused
        let error = try #require(throws: StoreError.self) { try ResourceStore.open(path: directory.storePath) }

        // Then the message names no table or column of it, and the file is as it was, with no WAL beside it
        #expect(error.message.contains("a SQLite database of some other application"), "\(error)")
        #expect(!error.message.contains("credentials") && !error.message.contains("password"), "\(error)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.storePath)) == before)
        #expect(!FileManager.default.fileExists(atPath: directory.storePath + "-wal"))
        #expect(!FileManager.default.fileExists(atPath: directory.chainPath))
    }

    @Test func aFileThatIsNotSQLiteIsRefusedUntouched() throws {
        let directory = try TemporaryStoreDirectory()
        try Data("-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n".utf8).write(to: URL(fileURLWithPath: directory.storePath))

        let error = try #require(throws: StoreError.self) { try ResourceStore.open(path: directory.storePath) }

        #expect(error.message.contains("is not a pulse-assistant store"), "\(error)")
        #expect(!error.message.contains("secret"))
        #expect(try String(contentsOfFile: directory.storePath, encoding: .utf8).hasPrefix("-----BEGIN"))
    }

    @Test func aStoreFromANewerVersionIsRefused() throws {
        let directory = try TemporaryStoreDirectory()
        _ = try directory.open()
        let queue = try DatabaseQueue(path: directory.storePath)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9: the future')") }
        try queue.close()

        let error = try #require(throws: StoreError.self) { try directory.open() }

        #expect(error.message.contains("made by a newer pulse-assistant"), "\(error)")
        #expect(error.message.contains("v9: the future"))
    }

    @Test func aStoreIsOpenedPromptlyWhileAnotherConnectionHoldsTheWriteLock() throws {
        // Given a store, and another connection holding its write lock with nothing to commit yet
        let directory = try TemporaryStoreDirectory()
        try directory.open().ingest(.bytes(F.document(F.base)), manifest: F.manifest(), now: F.now)
        // (SQLite's own API: GRDB will not leave a transaction open)
        var holder: OpaquePointer?
        #expect(sqlite3_open_v2(directory.storePath, &holder, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK)
        defer { sqlite3_close(holder) }
        #expect(sqlite3_exec(holder, "BEGIN IMMEDIATE", nil, nil, nil) == SQLITE_OK)
        defer { sqlite3_exec(holder, "ROLLBACK", nil, nil, nil) }

        // When a server opens it, it does not wait for the lock, and reads
        let clock = ContinuousClock()
        let started = clock.now
        let store = try directory.open()
        #expect(clock.now - started < .seconds(2))
        #expect(try F.count("resource", in: store) == 5)
    }
}
