import Fleet
import GRDB
import JSON
import Policy
import ResourceStore
import Testing

/// A fleet from a live source goes in row by row: what is unchanged is not written, what vanished
/// is deleted, one bad record is skipped, and aliases find resources.
@Suite struct StoreSyncTests {
    typealias F = IngestFixtures

    static let later = Timestamp(secondsSince1970: F.now.secondsSince1970 + 30)

    /// A node, two VMs under it, an agent on the node, an alert by a legacy id and a recovery point.
    static func batch(
        vmNames: [String] = ["web-01", "db-01"], extra: [JSONObject] = [], alerts: [JSONObject]? = nil
    ) -> FleetBatch {
        let node: JSONObject = [
            "id": "agent-node", "type": "agent", "platform": "proxmox-pve", "name": "pve1", "status": "online",
            "tags": ["lab"], "identity": ["hostname": "pve1.lan"], "details": ["pulse": ["aliases": ["node:lab-pve1"]]],
        ]
        var resources: [JSONObject] = [node]
        for (index, name) in vmNames.enumerated() {
            resources.append([
                "id": .string("vm-\(index)"), "type": "vm", "platform": "proxmox-pve", "name": .string(name),
                "status": "online", "powerState": "running", "parentId": "agent-node", "tags": ["prod"],
                "identity": ["hostname": .string("\(name).lan")],
            ])
        }
        resources += extra
        return FleetBatch(
            source: "pulse http://127.0.0.1:7655", resources: resources,
            agents: [["id": "pulse-agent:a1", "hostResourceId": "agent-node", "endpoint": "pulse:a1", "commandsEnabled": true]],
            alerts: alerts ?? [["id": "al-1", "resourceId": "lab:pve1:100", "severity": "warning", "message": "memory 87%", "since": "2026-11-28T09:00:00Z"]],
            recoveryPoints: [["id": "rp-1", "resourceId": "vm-0", "platform": "proxmox-pbs", "kind": "backup", "at": "2026-11-28T02:00:00Z"]],
            aliases: ["lab:pve1:100": "vm-0", "node:lab-pve1": "agent-node", "ghost": "vm-missing"]
        )
    }

    /// Syncs as `sync` and `serve --pulse-url` do: the batch checked inside the write transaction.
    @discardableResult
    static func sync(
        _ store: ResourceStore, _ batch: FleetBatch, at now: Timestamp = F.now, shrinkGuard: FleetShrinkGuard? = .default
    ) throws -> SyncSummary {
        try store.sync(batch, checker: FleetBatchChecker(manifest: try F.manifest()), now: now, shrinkGuard: shrinkGuard)
    }

    /// How many rows of the store's tables were inserted, updated or deleted while `body` ran (see `countWrites`).
    static func rowsChanged(_ store: ResourceStore, _ body: () throws -> Void) throws -> Int {
        let before = try store.database.read { try Int.fetchOne($0, sql: "SELECT n FROM writeCount") ?? 0 }
        try body()
        let after = try store.database.read { try Int.fetchOne($0, sql: "SELECT n FROM writeCount") ?? 0 }
        return after - before
    }

    /// Triggers counting every insert, update and delete on the resource tables a sync writes.
    static func countWrites(_ store: ResourceStore) throws {
        try store.database.write { db in
            try db.execute(sql: "CREATE TABLE writeCount (n INTEGER NOT NULL); INSERT INTO writeCount VALUES (0)")
            for table in ["resource", "resourceTag", "syncedRow", "resourceAlias", "agent", "alert", "recoveryPoint"] {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    try db.execute(sql: """
                        CREATE TEMP TRIGGER count_\(table)_\(event) AFTER \(event) ON main.\(table)
                        BEGIN UPDATE writeCount SET n = n + 1; END
                        """)
                }
            }
        }
    }

    static func ids(_ store: ResourceStore, text: String) throws -> [String] {
        var query = ResourceQuery()
        query.text = text
        query.limit = 50
        return try store.read { try $0.search(query) }.rows.map(\.id).sorted()
    }

    @Test func firstSyncWritesEverythingAndTheAlertJoinsThroughItsAlias() throws {
        let store = try ResourceStore.inMemory()
        let summary = try Self.sync(store, Self.batch())
        #expect(summary.replacedAll)
        #expect(summary.counts["resource"]?.added == 3)
        #expect(summary.counts["alias"]?.added == 2, "the alias of a resource not in the fleet is dropped")
        #expect(summary.unjoinedAlerts == 0)
        let alerts = try store.read { try $0.alerts(on: "vm-0") }
        #expect(alerts.map(\.id) == ["al-1"])
        #expect(try store.read { try $0.resource(id: "lab:pve1:100") }?.id == "vm-0")
        #expect(try store.read { try $0.resource(id: "ghost") } == nil)
        #expect(try store.read { try $0.syncStatus() }?.lastGoodSync == F.now)
    }

    @Test func anUnchangedResyncWritesNoRowAndLeavesTheSnapshotRecord() throws {
        let store = try ResourceStore.inMemory()
        try Self.sync(store, Self.batch())
        let info = try store.read { try $0.snapshotInfo() }
        let summary = try Self.sync(store, Self.batch(), at: Self.later)
        #expect(!summary.replacedAll)
        #expect(summary.rowsWritten == 0)
        #expect(summary.counts["resource"]?.unchanged == 3)
        #expect(try store.read { try $0.snapshotInfo() } == info, "watchers are told only of a change")
        #expect(try store.read { try $0.syncStatus() }?.lastGoodSync == Self.later)
    }

    @Test func anUnchangedResyncTouchesNoRowOfTheStore() throws {
        let store = try ResourceStore.inMemory()
        try Self.sync(store, Self.batch())
        let before = try F.dump(store)
        try Self.countWrites(store)
        let written = try Self.rowsChanged(store) {
            let summary = try Self.sync(store, Self.batch(), at: Self.later)
            #expect(summary.counts["resource"] == SyncSummary.Counts(unchanged: 3))
        }
        #expect(written == 0)
        var after = try F.dump(store)
        after["writeCount"] = nil
        #expect(after.filter { $0.key != "syncStatus" } == before.filter { $0.key != "syncStatus" })
    }

    /// The check inside the write finds a resource by its kept hash before validating it: a record
    /// that hashes to what the store keeps is the row the store holds, so it is not checked again.
    @Test func aResourceWithItsKeptHashIsNotValidatedAgain() throws {
        var checker = FleetBatchChecker(manifest: try F.manifest())
        let invalid: JSONObject = ["id": "vm-kept", "type": "vm", "platform": "proxmox-pve", "name": 42, "status": "online"]
        let kept = ["vm-kept": UnchangedResource(id: "vm-kept", type: "vm", platform: "proxmox-pve", parentId: nil, hash: "kept")]
        let found = checker.check(FleetBatch(source: "test", resources: [invalid]), kept: kept, hash: { _, _ in "kept" })
        #expect(found.unchangedResources.map(\.id) == ["vm-kept"])
        #expect(found.resources.isEmpty)
        #expect(found.skipped.isEmpty)
        let changed = checker.check(FleetBatch(source: "test", resources: [invalid]), kept: kept, hash: { _, _ in "other" })
        #expect(changed.unchangedResources.isEmpty)
        #expect(changed.skipped.map(\.id) == ["vm-kept"], "a record that changed is validated")
    }

    /// The batch with its resources checked where they were made (``FleetBatch/checkedResources``),
    /// as a Pulse walk gives them, instead of as records.
    static func checked(_ batch: FleetBatch) throws -> FleetBatch {
        var checker = FleetBatchChecker(manifest: try F.manifest())
        var checked = batch
        checked.checkedResources = try batch.resources.map { try checker.checkResource($0).get() }
        checked.resources = []
        return checked
    }

    /// Checked where they were made or given as records, the same resources make the same store,
    /// and a re-sync of either form finds every row unchanged, or rewrites the one whose parent went.
    @Test(arguments: [false, true])
    func checkedResourcesSyncAsTheirRecordsDo(checkedFirst: Bool) throws {
        let asRecords = try ResourceStore.inMemory()
        let asChecked = try ResourceStore.inMemory()
        try Self.sync(asRecords, Self.batch())
        let first = try Self.sync(asChecked, try Self.checked(Self.batch()))
        #expect(first.counts["resource"]?.added == 3)
        var dumped = try F.dump(asChecked)
        var expected = try F.dump(asRecords)
        dumped["syncStatus"] = nil
        expected["syncStatus"] = nil
        #expect(dumped == expected)
        let again = checkedFirst ? try Self.checked(Self.batch()) : Self.batch()
        let unchanged = try Self.sync(asChecked, again, at: Self.later)
        #expect(unchanged.counts["resource"] == SyncSummary.Counts(unchanged: 3))
        var withoutNode = Self.batch()
        withoutNode.resources.removeFirst()
        let gone = try Self.sync(asChecked, try Self.checked(withoutNode), at: Self.later, shrinkGuard: nil)
        #expect(gone.counts["resource"] == SyncSummary.Counts(changed: 2, removed: 1))
        #expect(try asChecked.read { try $0.resource(id: "vm-0") }?.parentId == nil)
    }

    /// A record refused where it is made is a skip naming its id and what is wrong, as the batch's check says.
    @Test func aRecordRefusedWhereItIsMadeNamesWhy() throws {
        var checker = FleetBatchChecker(manifest: try F.manifest())
        let bad: JSONObject = ["id": "vm-bad", "type": "vm", "platform": "proxmox-pve", "name": 42, "status": "online"]
        guard case .failure(let refusal) = checker.checkResource(bad) else {
            Issue.record("a record without a string name was accepted")
            return
        }
        #expect(refusal.skip.id == "vm-bad")
        #expect(refusal.skip.reason.hasPrefix("name: must be a non-empty string"))
        let row = try checker.checkResource(Self.batch().resources[1]).get()
        #expect(row.id == "vm-0")
        #expect(row.parentId == "agent-node")
        #expect(row.record == JSONSerializer.string(.object(Self.batch().resources[1])))
    }

    /// A kept hash includes the manifest that checked the row: under another manifest the same
    /// records are validated again, and what it refuses leaves the store.
    @Test func aResourceKeptUnderAnotherManifestIsCheckedAgain() throws {
        let store = try ResourceStore.inMemory()
        try Self.sync(store, Self.batch())
        var stricter = try F.manifest()
        let pve = try #require(stricter.platforms.firstIndex { $0.id.rawValue == "proxmox-pve" })
        stricter.platforms[pve].projections.removeAll { $0 == "vm" }
        let checker = FleetBatchChecker(manifest: stricter)
        #expect(checker.fingerprint != FleetBatchChecker(manifest: try F.manifest()).fingerprint)
        let summary = try store.sync(Self.batch(), checker: checker, now: Self.later, shrinkGuard: nil)
        #expect(summary.counts["resource"] == SyncSummary.Counts(changed: 1, removed: 2))
        #expect(summary.skipped.compactMap(\.id).sorted() == ["vm-0", "vm-1"])
        #expect(try store.read { try $0.resourceCount() } == 1)
        let again = try store.sync(Self.batch(), checker: checker, now: Self.later, shrinkGuard: nil)
        #expect(again.counts["resource"] == SyncSummary.Counts(unchanged: 1))
    }

    @Test func anUnchangedResourceWhoseParentVanishesOrComesBackIsRewritten() throws {
        let store = try ResourceStore.inMemory()
        try Self.sync(store, Self.batch())
        var withoutNode = Self.batch()
        withoutNode.resources.removeFirst()
        let gone = try Self.sync(store, withoutNode, at: Self.later, shrinkGuard: nil)
        #expect(gone.counts["resource"] == SyncSummary.Counts(changed: 2, removed: 1))
        #expect(gone.detachedResources == 2)
        #expect(try store.read { try $0.resource(id: "vm-0") }?.parentId == nil)
        let again = try Self.sync(store, withoutNode, at: Self.later, shrinkGuard: nil)
        #expect(again.counts["resource"] == SyncSummary.Counts(unchanged: 2), "a detached row is unchanged while its parent stays away")
        let back = try Self.sync(store, Self.batch(), at: Self.later)
        #expect(back.counts["resource"] == SyncSummary.Counts(added: 1, changed: 2))
        #expect(try store.read { try $0.resource(id: "vm-1") }?.parentId == "agent-node")
        #expect(try Self.ids(store, text: "prod") == ["vm-0", "vm-1"])
    }

    @Test func aChangedResourceIsRewrittenWithItsSearchRowAndAVanishedOneIsGone() throws {
        let store = try ResourceStore.inMemory()
        try Self.sync(store, Self.batch(vmNames: ["web-01", "db-01", "cache-01"]))
        #expect(try Self.ids(store, text: "cache") == ["vm-2"])
        let summary = try Self.sync(store, Self.batch(vmNames: ["web-99", "db-01"]), at: Self.later)
        #expect(summary.counts["resource"] == SyncSummary.Counts(added: 0, changed: 1, removed: 1, unchanged: 2))
        #expect(try Self.ids(store, text: "web-99") == ["vm-0"])
        #expect(try Self.ids(store, text: "web-01").isEmpty, "the old words left the full-text index")
        #expect(try Self.ids(store, text: "cache").isEmpty)
        #expect(try Self.ids(store, text: "prod") == ["vm-0", "vm-1"])
        let tags = try store.database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM resourceTag") }
        #expect(tags == 3)
        #expect(try store.read { try $0.resourceCount() } == 3)
    }

    @Test func aPartialFleetDeletesNothingItLacksAndTheNextCompleteOneDoes() throws {
        let store = try ResourceStore.inMemory()
        try Self.sync(store, Self.batch(vmNames: ["web-01", "db-01", "cache-01"]))
        // Pulse's pages kept changing during both walks: cache-01 (and the agent, and an alias) may only
        // have been missed, so the store keeps them.
        var partial = Self.batch(vmNames: ["web-99", "db-01"])
        partial.agents = []
        partial.aliases.removeValue(forKey: "node:lab-pve1")
        partial.isPartial = true
        let summary = try Self.sync(store, partial, at: Self.later)
        #expect(summary.counts["resource"] == SyncSummary.Counts(added: 0, changed: 1, removed: 0, unchanged: 2, keptUnseen: 1))
        #expect(summary.counts["agent"]?.keptUnseen == 1)
        #expect(summary.counts["alias"]?.keptUnseen == 1)
        #expect(try Self.ids(store, text: "cache") == ["vm-2"])
        #expect(try Self.ids(store, text: "web-99") == ["vm-0"], "what the partial fleet has is written")
        #expect(try store.read { try $0.resourceCount() } == 4)
        #expect(try store.read { try $0.snapshotInfo() }["resourceCount"] == "4", "the store's count, the unseen kept included")
        #expect(try store.database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM agent") } == 1)

        let complete = try Self.sync(store, Self.batch(vmNames: ["web-99", "db-01"]), at: Self.later)
        #expect(complete.counts["resource"] == SyncSummary.Counts(added: 0, changed: 0, removed: 1, unchanged: 3))
        #expect(try Self.ids(store, text: "cache").isEmpty)
    }

    @Test func aPartialFleetIsNotStoppedByTheShrinkGuard() throws {
        let store = try ResourceStore.inMemory()
        try Self.sync(store, Self.batch(vmNames: (0..<20).map { "vm-name-\($0)" }))
        var partial = Self.batch(vmNames: ["vm-name-0"])
        partial.isPartial = true
        let summary = try Self.sync(store, partial, at: Self.later)
        #expect(summary.counts["resource"]?.keptUnseen == 19)
        #expect(try store.read { try $0.resourceCount() } == 21)
    }

    @Test func aBadRecordIsSkippedWithItsIdAndTheRestIsStored() throws {
        let store = try ResourceStore.inMemory()
        let bad: JSONObject = ["id": "vm-bad", "type": "vm", "platform": "proxmox-pve", "name": 42, "status": "online"]
        let local: JSONObject = ["id": "x-1", "type": "docker-image", "platform": "docker", "name": "nginx", "status": "online"]
        let summary = try Self.sync(store, Self.batch(extra: [bad, local]))
        #expect(summary.counts["resource"]?.added == 3)
        let skipped = summary.skipped.map { "\($0.id ?? "-"): \($0.reason)" }
        #expect(skipped.count == 2)
        #expect(skipped[0].hasPrefix("vm-bad: name: must be a non-empty string"))
        #expect(skipped[1].hasPrefix("x-1: type: not a canonical resource type"))
    }

    @Test func aMissingParentMakesARootAndAnUnknownAlertIsKeptAndCounted() throws {
        let store = try ResourceStore.inMemory()
        let orphan: JSONObject = [
            "id": "ct-1", "type": "system-container", "platform": "proxmox-pve", "name": "ct", "status": "offline",
            "parentId": "agent-elsewhere",
        ]
        let alerts: [JSONObject] = [["id": "al-x", "resourceId": "nowhere:1", "severity": "critical", "message": "down", "since": "2026-11-28T09:00:00Z"]]
        let summary = try Self.sync(store, Self.batch(extra: [orphan], alerts: alerts))
        #expect(summary.detachedResources == 1)
        #expect(summary.unjoinedAlerts == 1)
        #expect(try store.read { try $0.resource(id: "ct-1") }?.parentId == nil)
        let kept = try store.database.read { try String.fetchAll($0, sql: "SELECT resourceId FROM alert") }
        #expect(kept == ["nowhere:1"])
        // list_alerts shows it with its resource id alone, whatever platforms are hidden; a platform filter leaves it out.
        var query = AlertQuery()
        query.hiddenPlatforms = ["vmware-vsphere"]
        let listed = try store.read { try $0.alerts(query) }.rows
        #expect(listed.map(\.id) == ["al-x"])
        #expect(listed.first?.resourceId == "nowhere:1")
        #expect(listed.first?.resourceName == nil && listed.first?.platform == nil && listed.first?.resourceType == nil)
        query.platforms = ["proxmox-pve"]
        #expect(try store.read { try $0.alerts(query) }.rows.isEmpty)
    }

    @Test func aFleetThatShrinksPastTheGuardIsRefusedAndTheStoreIsAsItWas() throws {
        let store = try ResourceStore.inMemory()
        let names = (0..<40).map { "vm-name-\($0)" }
        try Self.sync(store, Self.batch(vmNames: names))
        let before = try F.dump(store)
        #expect(throws: FleetShrinkRefusal.self) { try Self.sync(store, Self.batch(vmNames: ["one"]), at: Self.later) }
        #expect(try F.dump(store) == before, "the check ran inside the transaction the refusal rolled back")
        #expect(try store.read { try $0.resourceCount() } == 41)
        #expect(try store.read { try $0.syncStatus() }?.lastGoodSync == F.now)
    }

    @Test func aSyncReplacesAnIngestedFleetWholesale() throws {
        let store = try ResourceStore.inMemory()
        try store.ingest(.bytes(F.document(F.base)), manifest: F.manifest(), now: F.now)
        var checker = FleetBatchChecker(manifest: try F.manifest())
        let summary = try store.sync(checker.check(Self.batch()), now: Self.later, shrinkGuard: nil)
        #expect(summary.replacedAll)
        #expect(try store.read { try $0.resourceCount() } == 3)
        #expect(try store.read { try $0.snapshotInfo() }["source"] == "pulse http://127.0.0.1:7655")
    }

    @Test func aFailedAttemptKeepsTheLastGoodSync() throws {
        let store = try ResourceStore.inMemory()
        try Self.sync(store, Self.batch())
        try store.recordSyncFailure(source: "pulse http://127.0.0.1:7655", reason: "Pulse is unreachable", now: Self.later)
        let status = try #require(try store.read { try $0.syncStatus() })
        #expect(status.lastGoodSync == F.now)
        #expect(status.lastAttempt == Self.later)
        #expect(status.lastError == "Pulse is unreachable")
    }

    @Test func aCycleOfParentsIsBroken() throws {
        let store = try ResourceStore.inMemory()
        let a: JSONObject = ["id": "agent-a", "type": "agent", "platform": "agent", "name": "a", "status": "online", "parentId": "agent-b"]
        let b: JSONObject = ["id": "agent-b", "type": "agent", "platform": "agent", "name": "b", "status": "online", "parentId": "agent-a"]
        let summary = try Self.sync(store, Self.batch(extra: [a, b]))
        #expect(summary.detachedResources == 1)
        let parents = try store.database.read {
            try String?.fetchAll($0, sql: "SELECT parentId FROM resource WHERE id IN ('agent-a', 'agent-b') ORDER BY id")
        }
        #expect(parents.filter { $0 == nil }.count == 1)
    }
}
