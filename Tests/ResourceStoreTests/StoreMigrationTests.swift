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

    /// A store from before v4 kept recovery points in a rowid table with an index by resource; v4
    /// moves them into a table ordered by resource, newest first, and every point and page survives.
    @Test("v4 keeps every recovery point, in the same pages")
    func recoveryPointsMoveIntoResourceOrder() throws {
        let directory = try TemporaryStoreDirectory()
        let store = try directory.open()
        try store.ingest(.bytes(IngestFixtures.lines(ResourceQueryTests.snapshot)), manifest: try IngestFixtures.manifest(), now: IngestFixtures.now)
        let rows = try IngestFixtures.dump(store)["recoveryPoint"]
        let pages = try store.read { reader in
            [try reader.recoveryPoints(of: "vm/pve-a/101", limit: 2).rows.map(\.id), try reader.recoveryPoints(of: "vm/pve-a/101").rows.map(\.id)]
        }
        try store.database.write { db in
            try db.execute(sql: """
                CREATE TABLE recoveryPointV3 (
                    id TEXT PRIMARY KEY NOT NULL, resourceId TEXT NOT NULL, platform TEXT NOT NULL, kind TEXT NOT NULL,
                    at INTEGER NOT NULL, sizeBytes INTEGER, verified INTEGER
                );
                INSERT INTO recoveryPointV3 SELECT id, resourceId, platform, kind, at, sizeBytes, verified FROM recoveryPoint;
                DROP TABLE recoveryPoint;
                ALTER TABLE recoveryPointV3 RENAME TO recoveryPoint;
                CREATE INDEX recoveryPointByResource ON recoveryPoint(resourceId, at, id);
                DELETE FROM grdb_migrations WHERE identifier LIKE 'v4:%';
                """)
        }

        let reopened = try directory.open()
        #expect(try IngestFixtures.dump(reopened)["recoveryPoint"] == rows)
        #expect(rows?.count == 3)
        let after = try reopened.read { reader in
            [try reader.recoveryPoints(of: "vm/pve-a/101", limit: 2).rows.map(\.id), try reader.recoveryPoints(of: "vm/pve-a/101").rows.map(\.id)]
        }
        #expect(after == pages)
        #expect(pages == [["rp-3", "rp-2"], ["rp-3", "rp-2", "rp-1"]])
        let indexes = try reopened.database.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'recoveryPoint'")
        }
        #expect(indexes == ["sqlite_autoindex_recoveryPoint_1"])
    }

    /// A store from before v7 had no index on `resourceTag` by resource rowid; v7 adds it, the tags
    /// carried over, and the tag look-ups a sync's rewrite makes use it instead of scanning the table.
    @Test("v7 indexes resource tags by resource, every tag kept")
    func resourceTagsGainAnIndexByResource() throws {
        let directory = try TemporaryStoreDirectory()
        let store = try directory.open()
        try store.ingest(.bytes(IngestFixtures.lines(ResourceQueryTests.snapshot)), manifest: try IngestFixtures.manifest(), now: IngestFixtures.now)
        let tags = try IngestFixtures.dump(store)["resourceTag"]
        try store.database.write { db in
            try db.execute(sql: """
                DROP INDEX resourceTagByResource;
                DELETE FROM grdb_migrations WHERE identifier LIKE 'v7:%';
                """)
        }
        #expect(try plan(store).contains("SCAN"))

        let reopened = try directory.open()
        #expect(try IngestFixtures.dump(reopened)["resourceTag"] == tags)
        #expect(tags?.isEmpty == false)
        let detail = try plan(reopened)
        #expect(detail.contains("resourceTagByResource"))
        #expect(!detail.contains("SCAN"))
        let applied = try reopened.database.read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations WHERE identifier LIKE 'v7:%'")
        }
        #expect(applied == ["v7: resource tags by resource"])
    }

    /// A store from before v8 kept no source rows by their raw bytes; v8 adds the table, the synced
    /// fleet carried over, and the next sync (which then reads every row) keeps its rows there.
    @Test("v8 adds the raw rows of a sync, the synced fleet kept")
    func rawRowsTableIsAdded() throws {
        let directory = try TemporaryStoreDirectory()
        let store = try directory.open()
        try StoreSyncTests.sync(store, StoreRawRowTests.batchWithRawRows())
        var fleet = try IngestFixtures.dump(store)
        try store.database.write { db in
            try db.execute(sql: """
                DROP TABLE syncedRawRow;
                DELETE FROM grdb_migrations WHERE identifier LIKE 'v8:%';
                """)
        }

        let reopened = try directory.open()
        #expect(try reopened.syncedRawRows().isEmpty, "a store from before v8 kept none")
        var after = try IngestFixtures.dump(reopened)
        #expect(after["syncedRawRow"] == [])
        after["syncedRawRow"] = nil
        fleet["syncedRawRow"] = nil
        #expect(after == fleet)
        let summary = try StoreSyncTests.sync(reopened, StoreRawRowTests.batchWithRawRows(), at: StoreSyncTests.later)
        #expect(summary.rowsWritten == 0)
        #expect(summary.rawRowsWritten == 4)
        let applied = try reopened.database.read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations WHERE identifier LIKE 'v8:%'")
        }
        #expect(applied == ["v8: synced rows known by their raw bytes"])
    }

    /// The plan of a sync's tag delete, on the writer's connection (the one a sync uses).
    private func plan(_ store: ResourceStore) throws -> String {
        try store.database.write { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN DELETE FROM resourceTag WHERE resourceRowid = 1")
                .map { $0["detail"] as String? ?? "" }.joined(separator: "; ")
        }
    }

    private func ids(_ store: ResourceStore, text: String) throws -> [String] {
        var query = ResourceQuery()
        query.text = text
        query.limit = 50
        return try store.read { try $0.search(query) }.rows.map(\.id).sorted()
    }
}
