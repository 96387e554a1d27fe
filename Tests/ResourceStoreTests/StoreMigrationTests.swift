import GRDB
import ResourceStore
import Testing

/// Stores written by an older build open in this one, their content carried over.
@Suite("Store migrations")
struct StoreMigrationTests {
    /// A store from before v3 had a full-text index with positions; opening it rebuilds the index
    /// from the rows, and a search finds what it found before: by name, tag and identity value.
    @Test("v3 rebuilds the full-text index from the resources, their tags and identities")
    func fullTextIndexIsRebuilt() throws {
        let directory = try TemporaryStoreDirectory()
        let store = try directory.open()
        try store.ingest(.bytes(IngestFixtures.lines(ResourceQueryTests.snapshot)), manifest: try IngestFixtures.manifest(), now: IngestFixtures.now)
        let searches = ["web", "web-01.exam", "lab", "pihole", "org"]
        let fresh = try searches.map { try ids(store, text: $0) }
        #expect(fresh == [
            ["app/dock-1/web-01", "vm/pve-a/101", "vm/pve-a/102"],
            ["vm/pve-a/101"],
            ["agent/pve-a"],
            ["ct/pve-a/201"],
            ["vm/pve-a/101"],
        ])
        try store.database.write { db in
            try db.execute(sql: """
                DROP TABLE resourceSearch;
                CREATE VIRTUAL TABLE resourceSearch USING fts5(name, tags, identity, content='', tokenize='unicode61');
                DELETE FROM grdb_migrations WHERE identifier LIKE 'v3:%';
                """)
        }
        let before = try searches.map { try ids(store, text: $0) }
        #expect(before == Array(repeating: [], count: searches.count))  // the old index was left empty: only a rebuild fills it

        let reopened = try directory.open()
        let after = try searches.map { try ids(reopened, text: $0) }
        #expect(after == fresh)
        let options = try reopened.database.read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'resourceSearch'")
        }
        #expect(options?.contains("detail=none") == true)
    }

    private func ids(_ store: ResourceStore, text: String) throws -> [String] {
        var query = ResourceQuery()
        query.text = text
        query.limit = 50
        return try store.read { try $0.search(query) }.rows.map(\.id).sorted()
    }
}
