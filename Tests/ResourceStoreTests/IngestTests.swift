import Fleet
import Foundation
import GRDB
import JSON
import Policy
import ResourceStore
import Testing

/// The ingest's behaviour as a whole: what a valid snapshot stores, that both forms store the same,
/// that a rejected snapshot changes nothing, that an empty snapshot empties the store.
struct IngestTests {
    typealias F = IngestFixtures

    @Test func storesEveryRecordOfAValidSnapshot() throws {
        // Given an empty store and the base snapshot
        let store = try ResourceStore.inMemory()

        // When it is ingested
        let summary = try store.ingest(.bytes(F.document(F.base)), manifest: F.manifest(), now: F.now)

        // Then every record is stored and counted
        #expect(summary.count(.resource) == 5)
        #expect(summary.count(type: .vm) == 2)
        #expect(summary.count(type: .agent) == 3)
        for kind in SnapshotRecordKind.allCases.dropFirst() {
            #expect(summary.count(kind) == 1, "\(kind)")
        }
        #expect(summary.generatedAt == Timestamp("2026-11-28T10:00:00Z"))
        #expect(summary.ingestedAt == F.now)
        #expect(summary.format == .jsonDocument)
        let tables = ["resource": 5, "resourceTag": 6, "agent": 1, "platformConnection": 1, "alert": 1,
                      "recoveryPoint": 1, "metricSample": 1, "snapshotInfo": 4]
        for (table, count) in tables {
            #expect(try F.count(table, in: store) == count, "\(table)")
        }
    }

    @Test func fillsTheIndexedColumnsAndTheSnapshotFacts() throws {
        let store = try ResourceStore.inMemory()
        try store.ingest(.bytes(F.lines(F.base)), manifest: F.manifest(), now: F.now)

        let row = try #require(try store.database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM resource WHERE id = 'vm/pve-a/101'")
        })
        #expect(row["platform"] as String? == "proxmox-pve")
        #expect(row["cpu"] as Double? == 0.25)
        #expect(row["memoryUsage"] as Double? == 0.25)
        #expect(row["diskUsage"] as Double? == 0.25)
        #expect(row["lastSeen"] as Int64? == Timestamp("2026-11-28T09:59:30Z")?.secondsSince1970)
        #expect(row["parentId"] as String? == "agent/pve-a")

        let facts = try store.database.read { db in
            try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT key, value FROM snapshotInfo").map {
                ($0["key"] as String, $0["value"] as String)
            })
        }
        #expect(facts == [
            "generatedAt": "2026-11-28T10:00:00Z", "ingestedAt": "2026-11-28T10:00:00Z", "resourceCount": "5",
            "source": "\(F.lines(F.base).count) bytes in memory",
        ])
    }

    @Test func searchIndexHoldsNameTagsAndIdentity() throws {
        let store = try ResourceStore.inMemory()
        try store.ingest(.bytes(F.document(F.base)), manifest: F.manifest(), now: F.now)

        let hits = try store.database.read { db in
            try String.fetchAll(db, sql: """
                SELECT resource.id FROM resourceSearch JOIN resource ON resource.rowid = resourceSearch.rowid
                WHERE resourceSearch MATCH ? ORDER BY resource.id
                """, arguments: ["web"])
        }
        #expect(hits == ["vm/pve-a/101"])
    }

    @Test func aliasesAreStoredAsCanonicalIds() throws {
        // Given resources written with the aliases `pve` and `vmware`, and a backup with `pbs`
        let store = try ResourceStore.inMemory()
        try store.ingest(.bytes(F.document(F.base)), manifest: F.manifest(), now: F.now)

        // Then the columns and the stored records name the canonical ids
        let rows = try store.database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, platform, record FROM resource WHERE id IN ('vm/pve-a/101', 'vm/esx-1/db') ORDER BY id")
        }
        #expect(rows.map { $0["platform"] as String } == ["vmware-vsphere", "proxmox-pve"])
        for row in rows {
            let record = try JSONParser.parse(row["record"] as String)
            #expect(record["platform"] == .string(row["platform"]))
        }
        // and the record is otherwise as given, key order included
        let given = try #require(F.base[0].records[1].objectValue)
        let stored = try JSONParser.parse(try #require(rows.first { $0["id"] == "vm/pve-a/101" })["record"] as String)
        var expected = given
        expected["platform"] = "proxmox-pve"
        #expect(JSONSerializer.string(stored) == JSONSerializer.string(.object(expected)))
        let backupPlatform = try store.database.read { db in try String.fetchOne(db, sql: "SELECT platform FROM recoveryPoint") }
        #expect(backupPlatform == "proxmox-pbs")
    }

    @Test func bothFormsGiveTheSameStore() throws {
        // Given the same snapshot as a JSON document and as JSON Lines
        let fromDocument = try ResourceStore.inMemory()
        let fromLines = try ResourceStore.inMemory()

        // When each is ingested into its own store
        try fromDocument.ingest(.bytes(F.document(F.base)), manifest: F.manifest(), now: F.now)
        let summary = try fromLines.ingest(.bytes(F.lines(F.base)), manifest: F.manifest(), now: F.now)

        // Then every table holds the same rows
        #expect(summary.format == .jsonLines)
        let document = try F.dump(fromDocument)
        let lines = try F.dump(fromLines)
        #expect(document.keys.sorted() == lines.keys.sorted())
        for table in document.keys.sorted() {
            #expect(document[table] == lines[table], "\(table)")
        }
    }

    @Test func aRejectedSnapshotLeavesThePreviousContent() throws {
        // Given a store holding the base snapshot
        let store = try ResourceStore.inMemory()
        try store.ingest(.bytes(F.document(F.base)), manifest: F.manifest(), now: F.now)
        let before = try F.dump(store)

        // When a snapshot with one bad resource among valid ones is ingested
        let bad = F.adding([(.resource, F.resource("vm/new", ["status": "up"]))], to: [(.resource, [F.resource("vm/other")])] + F.base.dropFirst())
        #expect(throws: SnapshotRejection.self) {
            try store.ingest(.bytes(F.lines(bad)), manifest: F.manifest(), now: F.now)
        }

        // Then nothing changed
        #expect(try F.dump(store) == before)
    }

    @Test func theWritersBulkSettingsArePutBackAfterAnIngest() throws {
        let store = try ResourceStore.inMemory()
        let settings = { try store.database.write { db in
            [try Int.fetchOne(db, sql: "PRAGMA cache_size"), try Int.fetchOne(db, sql: "PRAGMA threads")]
        } }
        let before = try settings()
        try store.ingest(.bytes(F.lines(F.base)), manifest: F.manifest(), now: F.now)
        #expect(try settings() == before)
        #expect(throws: SnapshotRejection.self) {
            try store.ingest(.bytes(Array("{\"resources\": [1]}".utf8)), manifest: F.manifest(), now: F.now)
        }
        #expect(try settings() == before)
    }

    @Test func anUnreadableSnapshotStopsTheIngestAndLeavesThePreviousContent() throws {
        // Given a store holding the base snapshot
        let store = try ResourceStore.inMemory()
        try store.ingest(.bytes(F.document(F.base)), manifest: F.manifest(), now: F.now)
        let before = try F.dump(store)

        // When the snapshot path is a directory: it opens, but its first read fails on the reading thread
        let directory = FileManager.default.temporaryDirectory.path
        let error = try #require(throws: StoreError.self) {
            try store.ingest(.file(directory), manifest: F.manifest(), now: F.now)
        }

        // Then the writer reports the reader's error, and nothing changed
        #expect(error.message.hasPrefix("cannot read the snapshot \(directory): "))
        #expect(try F.dump(store) == before)
    }

    @Test(arguments: [
        ("document", "{\"resources\": []}"),
        ("lines", "{\"generatedAt\": \"2026-11-28T11:00:00Z\"}\n"),
    ])
    func anEmptySnapshotEmptiesTheStore(form: String, snapshot: String) throws {
        // Given a store holding the base snapshot
        let store = try ResourceStore.inMemory()
        try store.ingest(.bytes(F.document(F.base)), manifest: F.manifest(), now: F.now)

        // When an empty snapshot is ingested
        let summary = try store.ingest(.bytes(Array(snapshot.utf8)), manifest: F.manifest(), now: F.now)

        // Then every table is empty but for the facts
        #expect(summary.recordCounts.values.allSatisfy { $0 == 0 })
        for table in ["resource", "resourceTag", "agent", "platformConnection", "alert", "recoveryPoint", "metricSample"] {
            #expect(try F.count(table, in: store) == 0, "\(table)")
        }
        let searchRows = try store.database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM resourceSearch WHERE resourceSearch MATCH 'web'")
        }
        #expect(searchRows == 0)
        #expect(try F.count("snapshotInfo", in: store) == (form == "lines" ? 4 : 3))
    }

    @Test(arguments: ["", "  \n\n"])
    func noBytesAtAllIsRefused(text: String) throws {
        let store = try ResourceStore.inMemory()
        let rejection = try #require(throws: SnapshotRejection.self) {
            try store.ingest(.bytes(Array(text.utf8)), manifest: F.manifest(), now: F.now)
        }
        #expect(rejection.errors.map(\.description) == [
            "snapshot: is empty; an empty snapshot is {\"resources\": []}, or a JSON Lines {\"generatedAt\": …} line",
        ])
    }
}
