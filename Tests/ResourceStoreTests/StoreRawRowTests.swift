import Fleet
import GRDB
import JSON
import Policy
import ResourceStore
import Testing

/// The rows a sync keeps by their raw bytes (`syncedRawRow`, v8): kept beside the hash of the record
/// they became, confirmed before a recognised resource is taken as the stored one, and dropped when
/// they no longer describe one walk.
@Suite struct StoreRawRowTests {
    typealias F = IngestFixtures

    /// `StoreSyncTests.batch` with a raw row for each resource and one for a skip.
    static func batchWithRawRows() -> FleetBatch {
        var batch = StoreSyncTests.batch()
        batch.rawRows = batch.resources.map { resource in
            let id = resource["id"]?.stringValue ?? ""
            return FleetRawRow(hash: "raw-\(id)", resourceId: id, memo: "{\"memo\":\"\(id)\"}")
        } + [FleetRawRow(hash: "raw-skip", resourceId: nil, memo: "{\"r\":\"provider-local type\"}")]
        return batch
    }

    /// The batch a walk makes when it recognises every row of `batch` by its raw bytes.
    static func recognised(_ batch: FleetBatch, kept: [String: FleetRawRow]) -> FleetBatch {
        var next = batch
        next.recognised = batch.resources.compactMap { resource in
            guard let id = resource["id"]?.stringValue, let row = kept["raw-\(id)"] else { return nil }
            return RecognisedResource(id: id, parentId: resource["parentId"]?.stringValue, recordHash: row.recordHash ?? "")
        }
        next.resources = []
        next.rawRows = batch.rawRows.map { row in
            var row = kept[row.hash] ?? row
            row.isRecognised = true
            return row
        }
        return next
    }

    /// Every table of the fleet, rows as text, sorted (the sync's own status facts left out).
    static func fleet(_ store: ResourceStore) throws -> [String: [String]] {
        var dump = try F.dump(store)
        dump["syncStatus"] = nil
        dump["snapshotInfo"] = nil
        return dump
    }

    @Test func aSyncKeepsEachRawRowWithTheHashOfTheRecordItBecame() throws {
        let store = try ResourceStore.inMemory()
        let summary = try StoreSyncTests.sync(store, Self.batchWithRawRows())
        #expect(summary.rawRowsWritten == 4)
        let kept = try store.syncedRawRows()
        #expect(Set(kept.keys) == ["raw-agent-node", "raw-vm-0", "raw-vm-1", "raw-skip"])
        let hashes = try store.database.read { db in
            try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT id, hash FROM syncedRow WHERE kind = 'resource'").map {
                ($0[0] as String, $0[1] as String)
            })
        }
        for id in ["agent-node", "vm-0", "vm-1"] {
            #expect(kept["raw-\(id)"]?.recordHash == hashes[id])
            #expect(kept["raw-\(id)"]?.memo == "{\"memo\":\"\(id)\"}")
        }
        #expect(kept["raw-skip"]?.resourceId == nil)
        #expect(kept["raw-skip"]?.recordHash == nil)
    }

    @Test func aRowWhoseRecordTheCheckRefusedIsNotKept() throws {
        let store = try ResourceStore.inMemory()
        var batch = Self.batchWithRawRows()
        batch.resources.append(["id": "vm-bad", "type": "vm", "platform": "proxmox-pve", "status": "online"])  // no name
        batch.rawRows.append(FleetRawRow(hash: "raw-vm-bad", resourceId: "vm-bad", memo: "{}"))
        let summary = try StoreSyncTests.sync(store, batch)
        #expect(summary.skipped.map(\.id) == ["vm-bad"])
        #expect(try store.syncedRawRows()["raw-vm-bad"] == nil, "a refused row is read again next time, and refused again")
    }

    @Test func aFleetRecognisedByRawBytesLeavesTheStoreAsAFullCheckWould() throws {
        let store = try ResourceStore.inMemory()
        try StoreSyncTests.sync(store, Self.batchWithRawRows())
        let before = try Self.fleet(store)
        let next = Self.recognised(Self.batchWithRawRows(), kept: try store.syncedRawRows())
        let summary = try StoreSyncTests.sync(store, next, at: StoreSyncTests.later)
        #expect(summary.recognisedResources == 3)
        #expect(summary.rowsWritten == 0)
        #expect(summary.rawRowsWritten == 0)
        #expect(summary.counts["resource"] == .init(unchanged: 3))
        #expect(summary.counts["alias"] == .init(unchanged: 2))
        #expect(summary.unjoinedAlerts == 0, "the alert still joins through the stored alias")
        #expect(try Self.fleet(store) == before)
    }

    @Test func everyRowRecognisedKeepsTheStoredAliasesWithoutComparingThem() throws {
        let store = try ResourceStore.inMemory()
        try StoreSyncTests.sync(store, Self.batchWithRawRows())
        let before = try Self.fleet(store)
        var next = Self.recognised(Self.batchWithRawRows(), kept: try store.syncedRawRows())
        next.resourcesAsKept = true
        next.aliases = [:]  // not needed: the store keeps them
        let summary = try StoreSyncTests.sync(store, next, at: StoreSyncTests.later)
        #expect(summary.counts["alias"] == .init(unchanged: 2))
        #expect(summary.unjoinedAlerts == 0)
        #expect(try Self.fleet(store) == before)
    }

    /// A batch taken as kept holds only the aliases its join needed: one the store cannot confirm
    /// (it keeps a row the walk did not meet) is refused, and the caller reads every row again.
    @Test func asKeptIsRefusedWhenTheStoreKeepsRowsTheWalkDidNotMeet() throws {
        let store = try ResourceStore.inMemory()
        try StoreSyncTests.sync(store, Self.batchWithRawRows())
        let before = try Self.fleet(store)
        var next = Self.recognised(Self.batchWithRawRows(), kept: try store.syncedRawRows())
        next.rawRows.removeAll { $0.hash == "raw-skip" }  // the skip vanished
        next.resourcesAsKept = true
        next.aliases = [:]
        #expect(throws: FleetRecognitionStale.self) { try StoreSyncTests.sync(store, next, at: StoreSyncTests.later) }
        #expect(try Self.fleet(store) == before)
    }

    @Test(arguments: ["another record hash", "a resource the store does not keep"])
    func aRecognisedResourceTheStoreDoesNotKeepAsItWasRefusesTheSync(_ case: String) throws {
        let store = try ResourceStore.inMemory()
        try StoreSyncTests.sync(store, Self.batchWithRawRows())
        let before = try Self.fleet(store)
        var next = Self.recognised(Self.batchWithRawRows(), kept: try store.syncedRawRows())
        if `case` == "another record hash" {
            next.recognised[1].recordHash = "0123456789abcdef0123456789abcdef"
        } else {
            next.recognised.append(RecognisedResource(id: "vm-gone", parentId: nil, recordHash: "00"))
        }
        #expect(throws: FleetRecognitionStale.self) { try StoreSyncTests.sync(store, next, at: StoreSyncTests.later) }
        #expect(try Self.fleet(store) == before, "nothing written")
    }

    @Test func aRecognisedResourceGivenAnotherParentRefusesTheSync() throws {
        let store = try ResourceStore.inMemory()
        try StoreSyncTests.sync(store, Self.batchWithRawRows())
        var next = Self.recognised(Self.batchWithRawRows(), kept: try store.syncedRawRows())
        let index = try #require(next.recognised.firstIndex { $0.id == "vm-0" })
        next.recognised[index].parentId = nil  // its parent vanished: its stored record names it
        #expect(throws: FleetRecognitionStale.self) { try StoreSyncTests.sync(store, next, at: StoreSyncTests.later) }
    }

    @Test func aPartialFleetDropsEveryRawRowAndTheNextSyncReadsEveryRow() throws {
        let store = try ResourceStore.inMemory()
        try StoreSyncTests.sync(store, Self.batchWithRawRows())
        var partial = Self.batchWithRawRows()
        partial.isPartial = true
        let summary = try StoreSyncTests.sync(store, partial, at: StoreSyncTests.later)
        #expect(summary.rawRowsRemoved == 4)
        #expect(try store.syncedRawRows().isEmpty)
        #expect(summary.counts["alias"]?.unchanged == 2)
    }

    @Test func anIngestDropsTheRawRows() throws {
        let store = try ResourceStore.inMemory()
        try StoreSyncTests.sync(store, Self.batchWithRawRows())
        try store.ingest(.bytes(F.lines(ResourceQueryTests.snapshot)), manifest: try F.manifest(), now: F.now)
        #expect(try store.syncedRawRows().isEmpty)
    }
}
