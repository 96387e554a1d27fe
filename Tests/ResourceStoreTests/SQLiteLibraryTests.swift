import GRDBSQLite
import ResourceStore
import Testing

struct SQLiteLibraryTests {
    @Test("once a store is open, SQLite counts no memory: its statistics, and their mutex, are off")
    func memoryStatisticsAreOff() throws {
        // Given a store that has ingested and been read (SQLite has allocated plenty)
        let store = try ResourceStore.inMemory()
        try store.ingest(.bytes(IngestFixtures.fleetBytes(resources: 50)), manifest: IngestFixtures.manifest(), now: IngestFixtures.now)
        #expect(try store.read { try $0.resourceCount() } == 50)

        // Then the setting was taken, and nothing was counted
        #expect(SQLiteLibrary.memoryStatisticsResult == SQLITE_OK)
        #expect(sqlite3_memory_used() == 0)
        #expect(sqlite3_memory_highwater(0) == 0)
    }
}
